namespace HybridSynth.Scm.Mechanisms;

/// <summary>Inputs of a batched evaluation: one column per parent and one per noise coordinate, <see cref="Count"/> units long.</summary>
public sealed class MechanismBatch
{
    /// <summary>A batch of <paramref name="count"/> units starting at unit <paramref name="firstUnit"/> (or the explicit <paramref name="units"/>).</summary>
    public MechanismBatch(double[][] parentColumns, double[][] noiseColumns, int count, long firstUnit, long[]? units = null)
    {
        Units = units;
        ParentColumns = parentColumns;
        NoiseColumns = noiseColumns;
        Count = count;
        FirstUnit = firstUnit;
    }

    /// <summary>One column per parent, aligned with the mechanism's <see cref="IMechanism.Parents"/>.</summary>
    public double[][] ParentColumns { get; }
    /// <summary>One column per noise coordinate.</summary>
    public double[][] NoiseColumns { get; }
    /// <summary>The number of units.</summary>
    public int Count { get; }

    /// <summary>The unit index of row 0 (units are numbered from 0 across the whole dataset).</summary>
    public long FirstUnit { get; private set; }

    /// <summary>This batch, moved to start at unit <paramref name="firstUnit"/> (a sampler reusing its batches from chunk to chunk, with their columns refilled).</summary>
    internal MechanismBatch Reset(long firstUnit)
    {
        FirstUnit = firstUnit;
        return this;
    }

    /// <summary>The unit of each row when the rows are not consecutive units (a depth-first group); null when they are.</summary>
    public long[]? Units { get; }

    /// <summary>The unit index of row <paramref name="row"/>.</summary>
    public long Unit(int row) => Units?[row] ?? FirstUnit + row;

    /// <summary>Evaluates a mechanism row by row (the default batch path).</summary>
    public static void EvaluateRows(IMechanism mechanism, MechanismBatch batch, Span<double> output)
    {
        var p = mechanism.Parents.Count;
        var d = mechanism.NoiseDimension;
        Span<double> parents = p <= 64 ? stackalloc double[p] : new double[p];
        Span<double> noise = d <= 64 ? stackalloc double[d] : new double[d];
        for (var i = 0; i < batch.Count; i++)
        {
            for (var k = 0; k < p; k++) parents[k] = batch.ParentColumns[k][i];
            for (var k = 0; k < d; k++) noise[k] = batch.NoiseColumns[k][i];
            output[i] = mechanism.Evaluate(parents, noise);
        }
    }
}
