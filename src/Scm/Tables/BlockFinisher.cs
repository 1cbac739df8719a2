namespace HybridSynth.Scm.Tables;

/// <summary>
/// Lets the consumer of a <see cref="TableJob"/> have its per-block work done by the producer's worker threads, beside the
/// work that made the block: a text writer's formatting of the rows into bytes runs on the sampling workers, in parallel and
/// overlapped with sampling, and the consuming thread only appends and hashes. The producer passes every block through
/// <see cref="Finish"/> on the worker that made it; the result travels in <see cref="RowBlock.Finished"/>.
/// </summary>
public sealed class BlockFinisher
{
    private Func<RowBlock, object>? _finish;

    /// <summary>The work done on the producer's workers for each block made from now on (it must be thread-safe); null for none.
    /// Set before the job's blocks are enumerated, by their one consumer.</summary>
    public void Set(Func<RowBlock, object>? finish) => Volatile.Write(ref _finish, finish);

    /// <summary>The block with the work set done on it (the producer calls this on the thread that made the block).</summary>
    public RowBlock Finish(RowBlock block) => Volatile.Read(ref _finish) is { } finish ? block with { Finished = finish(block) } : block;
}
