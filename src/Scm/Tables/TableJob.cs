namespace HybridSynth.Scm.Tables;

/// <summary>A table to be written: its schema and its rows, produced lazily in blocks (so that output can stream).</summary>
public sealed record TableJob(IReadOnlyList<ColumnSchema> Schema, IEnumerable<RowBlock> Blocks);
