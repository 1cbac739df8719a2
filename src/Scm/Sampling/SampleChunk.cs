namespace HybridSynth.Scm.Sampling;

/// <summary>
/// Consecutive units [Start, Start + Count) of a sample: one column per model variable
/// (state codes as doubles for categorical variables) and, when asked for, the noise that produced them.
/// </summary>
public sealed class SampleChunk
{
    /// <summary>A chunk of <paramref name="count"/> units from <paramref name="start"/>: one column per variable and, optionally, the noise by variable and coordinate.</summary>
    public SampleChunk(long start, int count, double[][] columns, double[][][]? noise)
    {
        Start = start;
        Count = count;
        Columns = columns;
        Noise = noise;
    }

    /// <summary>The first unit.</summary>
    public long Start { get; }
    /// <summary>The number of units.</summary>
    public int Count { get; }

    /// <summary>Columns[v][i] is the value of variable v for unit Start + i.</summary>
    public double[][] Columns { get; }

    /// <summary>Noise[v][d][i]: coordinate d of variable v's noise (after its transform, e.g. Φ⁻¹), or null when not kept.</summary>
    public double[][][]? Noise { get; }
}
