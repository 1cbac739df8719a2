namespace HybridSynth.Scm.Tables;

/// <summary>
/// A block of consecutive output rows in columnar form: Columns[c][i] is row i of column c (a state
/// code for a categorical column). <see cref="FirstRow"/> is the unit index of row 0.
/// </summary>
public sealed record RowBlock(long FirstRow, int Count, IReadOnlyList<double[]> Columns)
{
    /// <summary>
    /// Called by a writer once the block's rows are written (or formatted into bytes), when the producer wants its column arrays back for the next
    /// chunks (<see cref="Sampling.SamplingOptions.RecycleColumns"/>); the block must not be read afterwards. Null: nothing to give back.
    /// </summary>
    public Action? Release { get; init; }

    /// <summary>What the job's consumer asked the producer's worker to compute from the block (a text writer's formatted rows,
    /// see <see cref="BlockFinisher"/>), or null.</summary>
    public object? Finished { get; init; }
}
