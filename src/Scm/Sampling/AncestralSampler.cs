using HybridSynth.Scm.Mechanisms;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Randomness;

namespace HybridSynth.Scm.Sampling;

/// <summary>
/// Ancestral sampling with explicit exogenous noise: for each unit, variables are evaluated in
/// topological order, V := f_V(Pa_V, U_V), with U_V recomputed from (seed, variable, unit) by
/// <see cref="CounterNoise"/>. Two samplers with the same seed over a model and its mutilation
/// share every unit's noise, which is what makes their rows a factual/counterfactual pair.
/// </summary>
public sealed class AncestralSampler
{
    private readonly CausalModel _model;
    private readonly ulong[][] _keys;

    public AncestralSampler(CausalModel model, ulong seed, ulong stream = NoiseStreams.Exogenous)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        Seed = seed;
        _keys = new ulong[model.Count][];
        for (var v = 0; v < model.Count; v++)
        {
            var d = model.Mechanisms[v].NoiseDimension;
            _keys[v] = new ulong[d];
            for (var k = 0; k < d; k++) _keys[v][k] = CounterNoise.Key(seed, stream, model[v].Name, k);
        }
    }

    public CausalModel Model => _model;
    public ulong Seed { get; }

    /// <summary>Samples units [start, start + count).</summary>
    /// <param name="keepNoise">Also return the noise of each variable (for writing or inspection).</param>
    public SampleChunk SampleRange(long start, int count, bool keepNoise = false)
    {
        if (start < 0) throw new ArgumentOutOfRangeException(nameof(start));
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count));
        var n = _model.Count;
        var columns = new double[n][];
        var noise = keepNoise ? new double[n][][] : null;
        var scratch = new List<double[]>();
        foreach (var v in _model.Graph.TopologicalOrder)
        {
            var mechanism = _model.Mechanisms[v];
            var d = mechanism.NoiseDimension;
            var noiseColumns = new double[d][];
            for (var k = 0; k < d; k++)
            {
                var col = keepNoise ? new double[count] : Rent(scratch, k, count);
                CounterNoise.Uniforms(_keys[v][k], start, col.AsSpan(0, count));
                if (mechanism.NoiseKind == NoiseKind.StandardNormal)
                    for (var i = 0; i < count; i++) col[i] = CounterNoise.StandardNormal(col[i]);
                noiseColumns[k] = col;
            }
            if (noise is not null) noise[v] = noiseColumns;
            var parents = mechanism.Parents;
            var parentColumns = new double[parents.Count][];
            for (var q = 0; q < parents.Count; q++) parentColumns[q] = columns[parents[q]];
            var output = new double[count];
            mechanism.EvaluateBatch(new MechanismBatch(parentColumns, noiseColumns, count, start), output);
            columns[v] = output;
        }
        return new SampleChunk(start, count, columns, noise);
    }

    private static double[] Rent(List<double[]> scratch, int k, int count)
    {
        while (scratch.Count <= k) scratch.Add(new double[count]);
        return scratch[k];
    }
}
