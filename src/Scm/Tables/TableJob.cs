namespace HybridSynth.Scm.Tables;

/// <summary>A table to be written: its schema and its rows, produced lazily in blocks (so that output can stream).</summary>
public sealed record TableJob(IReadOnlyList<ColumnSchema> Schema, IEnumerable<RowBlock> Blocks)
{
    /// <summary>Where the blocks are made on worker threads, the hook that has those workers also do the consumer's per-block
    /// work (see <see cref="BlockFinisher"/>); null when there is none (the consumer then does that work itself).</summary>
    public BlockFinisher? Finisher { get; init; }
}
