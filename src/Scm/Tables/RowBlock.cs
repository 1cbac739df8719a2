namespace HybridSynth.Scm.Tables;

/// <summary>
/// A block of consecutive output rows in columnar form: Columns[c][i] is row i of column c (a state
/// code for a categorical column). <see cref="FirstRow"/> is the unit index of row 0.
/// </summary>
public sealed record RowBlock(long FirstRow, int Count, IReadOnlyList<double[]> Columns);
