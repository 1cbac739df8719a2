namespace HybridSynth.Scm.Sampling;

/// <summary>
/// Runs a per-range job over units [0, n) in chunks, with up to <c>threads</c> chunks computed at
/// once, and yields the results in unit order. Because every unit's randomness is recomputable, the
/// concatenated output does not depend on the thread count or the chunk size; memory is bounded by
/// threads × chunk size.
/// </summary>
public static class ChunkedRunner
{
    /// <summary>The results of <paramref name="produce"/>(start, count) over consecutive chunks of [0, <paramref name="n"/>), in unit order (see the class summary).</summary>
    public static IEnumerable<T> Run<T>(long n, int chunkSize, int threads, Func<long, int, T> produce)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n));
        if (chunkSize < 1) throw new ArgumentOutOfRangeException(nameof(chunkSize), "the chunk size must be at least 1");
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), "at least one thread is needed");
        var chunks = (n + chunkSize - 1) / chunkSize;
        for (long first = 0; first < chunks; first += threads)
        {
            var batch = (int)Math.Min(threads, chunks - first);
            var results = new T[batch];
            if (batch == 1)
            {
                results[0] = Produce(first, n, chunkSize, produce);
            }
            else
            {
                Parallel.For(0, batch, new ParallelOptions { MaxDegreeOfParallelism = threads },
                    b => results[b] = Produce(first + b, n, chunkSize, produce));
            }
            foreach (var r in results) yield return r;
        }
    }

    private static T Produce<T>(long chunk, long n, int chunkSize, Func<long, int, T> produce)
    {
        var start = chunk * chunkSize;
        var count = (int)Math.Min(chunkSize, n - start);
        return produce(start, count);
    }
}
