namespace HybridSynth.Scm.Sampling;

/// <summary>
/// Runs a per-range job over units [0, n) in chunks, with up to <c>threads</c> chunks computed at
/// once, and yields the results in unit order. Because every unit's randomness is recomputable, the
/// concatenated output does not depend on the thread count or the chunk size; memory is bounded by
/// 2 × threads × chunk size (the batch being consumed and the next one, computed meanwhile).
/// </summary>
public static class ChunkedRunner
{
    /// <summary>The results of <paramref name="produce"/>(start, count) over consecutive chunks of [0, <paramref name="n"/>), in unit order (see the class summary).</summary>
    public static IEnumerable<T> Run<T>(long n, int chunkSize, int threads, Func<long, int, T> produce)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n));
        if (chunkSize < 1) throw new ArgumentOutOfRangeException(nameof(chunkSize), "the chunk size must be at least 1");
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), "at least one thread is needed");
        return Pipelined(n, chunkSize, threads, produce);
    }

    /// <summary>
    /// Batches of <c>threads</c> chunks, the next batch computed while the caller consumes the current one (writes it,
    /// hashes it), so the consumer's work overlaps the sampling instead of following it; at most two batches are in
    /// memory. The order of the results is the order of the chunks, whatever the timing.
    /// </summary>
    private static IEnumerable<T> Pipelined<T>(long n, int chunkSize, int threads, Func<long, int, T> produce)
    {
        var chunks = (n + chunkSize - 1) / chunkSize;
        T[] Batch(long first)
        {
            var batch = (int)Math.Min(threads, chunks - first);
            var results = new T[batch];
            if (batch == 1) results[0] = Produce(first, n, chunkSize, produce);
            else
                Parallel.For(0, batch, new ParallelOptions { MaxDegreeOfParallelism = threads },
                    b => results[b] = Produce(first + b, n, chunkSize, produce));
            return results;
        }
        if (chunks == 0) yield break;
        if (chunks <= threads)
        {
            foreach (var r in Batch(0)) yield return r;
            yield break;
        }
        Task<T[]>? next = Task.Run(() => Batch(0));
        try
        {
            for (long first = 0; first < chunks; first += threads)
            {
                var current = next!.GetAwaiter().GetResult();
                next = null;
                var following = first + threads;
                if (following < chunks) next = Task.Run(() => Batch(following));
                foreach (var r in current) yield return r;
            }
        }
        finally
        {
            // A consumer that stops early (an error while writing) waits for the batch in flight, so nothing samples on
            // after the caller has moved on (and disposed, say, a language model).
            if (next is not null)
                try { next.Wait(); }
                catch (AggregateException) { }
        }
    }

    private static T Produce<T>(long chunk, long n, int chunkSize, Func<long, int, T> produce)
    {
        var start = chunk * chunkSize;
        var count = (int)Math.Min(chunkSize, n - start);
        return produce(start, count);
    }
}
