namespace HybridSynth.Scm.Sampling;

/// <summary>
/// Runs a per-range job over units [0, n) in chunks, with up to <c>threads</c> chunks computed at
/// once, and yields the results in unit order. Because every unit's randomness is recomputable, the
/// concatenated output does not depend on the thread count or the chunk size; memory is bounded by
/// 2 × threads × chunk size (the chunk being consumed and those computed ahead of it meanwhile).
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
    /// <c>threads</c> workers, each taking the next chunk as soon as it has finished one, at most 2 × threads chunks ahead of
    /// the caller (the chunk being consumed included), so the caller's work (writing, hashing) overlaps the sampling and no
    /// worker waits for another's chunk; the results come out in chunk order whatever the timing. An error is raised when its
    /// chunk's turn comes (the earliest failing chunk first); a caller that stops early waits for the chunks in flight, so
    /// nothing samples on after the caller has moved on (and disposed, say, a language model).
    /// </summary>
    private static IEnumerable<T> Pipelined<T>(long n, int chunkSize, int threads, Func<long, int, T> produce)
    {
        var chunks = (n + chunkSize - 1) / chunkSize;
        if (chunks == 0) yield break;
        var window = (int)Math.Min(2L * threads, chunks);
        var results = new T[window];
        var errors = new System.Runtime.ExceptionServices.ExceptionDispatchInfo?[window];
        var ready = Enumerable.Range(0, window).Select(_ => new SemaphoreSlim(0, 1)).ToArray();
        using var permits = new SemaphoreSlim(window, window);
        using var stop = new CancellationTokenSource();
        long next = -1, failed = long.MaxValue;
        var abandoned = false;
        void Work()
        {
            while (true)
            {
                try { permits.Wait(stop.Token); }
                catch (OperationCanceledException) { return; }
                var chunk = Interlocked.Increment(ref next);
                // A chunk before a failed one is always computed: the caller waits for it before it sees the error (a stop
                // flag read here could skip one claimed just before the failure and leave the caller waiting forever).
                if (chunk >= chunks || chunk > Interlocked.Read(ref failed) || Volatile.Read(ref abandoned)) return;
                var slot = (int)(chunk % window);
                try { results[slot] = Produce(chunk, n, chunkSize, produce); }
                catch (Exception e)
                {
                    errors[slot] = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
                    for (var f = Interlocked.Read(ref failed); chunk < f; f = Interlocked.Read(ref failed))
                        if (Interlocked.CompareExchange(ref failed, chunk, f) == f) break;
                    stop.Cancel(); // no later chunk is started; the ones before this are still delivered
                }
                ready[slot].Release();
            }
        }
        var workers = Enumerable.Range(0, Math.Min(threads, (int)Math.Min(int.MaxValue, chunks))).Select(_ => Task.Factory.StartNew(Work, TaskCreationOptions.LongRunning)).ToArray();
        try
        {
            for (long chunk = 0; chunk < chunks; chunk++)
            {
                var slot = (int)(chunk % window);
                ready[slot].Wait();
                errors[slot]?.Throw();
                var result = results[slot];
                results[slot] = default!;
                yield return result;
                permits.Release(); // the caller is done with this chunk: a worker may start the one window chunks later
            }
        }
        finally
        {
            Volatile.Write(ref abandoned, true);
            stop.Cancel();
            try { Task.WaitAll(workers); }
            catch (AggregateException) { }
            foreach (var r in ready) r.Dispose();
        }
    }

    private static T Produce<T>(long chunk, long n, int chunkSize, Func<long, int, T> produce)
    {
        var start = chunk * chunkSize;
        var count = (int)Math.Min(chunkSize, n - start);
        return produce(start, count);
    }
}
