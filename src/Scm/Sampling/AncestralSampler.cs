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

    /// <summary>A sampler of <paramref name="model"/> whose noise is keyed by <paramref name="seed"/> and <paramref name="stream"/>.</summary>
    public AncestralSampler(CausalModel model, ulong seed, ulong stream = NoiseStreams.Exogenous)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        Seed = seed;
        DepthFirst = model.Mechanisms.Any(m => m is IDepthFirstEvaluation);
        _keys = new ulong[model.Count][];
        for (var v = 0; v < model.Count; v++)
        {
            var d = model.Mechanisms[v].NoiseDimension;
            _keys[v] = new ulong[d];
            for (var k = 0; k < d; k++) _keys[v][k] = Seeds.Variable(seed, stream, model[v].Name, k);
        }
    }

    /// <summary>The model sampled.</summary>
    public CausalModel Model => _model;
    /// <summary>The seed of the noise.</summary>
    public ulong Seed { get; }

    /// <summary>Whether chunks are evaluated depth first (the model has an <see cref="IDepthFirstEvaluation"/> mechanism).</summary>
    public bool DepthFirst { get; }

    /// <summary>Samples units [start, start + count).</summary>
    /// <param name="keepNoise">Also return the noise of each variable (for writing or inspection).</param>
    /// <param name="reuse">The columns of an earlier chunk to overwrite (one array per variable, each at least <paramref name="count"/>
    /// long), which the chunk returned then holds; default new arrays. Not with a depth-first model.</param>
    public SampleChunk SampleRange(long start, int count, bool keepNoise = false, double[][]? reuse = null)
    {
        if (start < 0) throw new ArgumentOutOfRangeException(nameof(start));
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count));
        var n = _model.Count;
        if (reuse is not null)
        {
            if (DepthFirst) throw new ArgumentException("a depth-first model's chunk cannot reuse columns", nameof(reuse));
            if (reuse.Length != n) throw new ArgumentException($"{reuse.Length} columns to reuse for {n} variables", nameof(reuse));
            foreach (var c in reuse)
                if (c.Length < count) throw new ArgumentException($"a column to reuse has {c.Length} rows, not {count}", nameof(reuse));
        }
        if (DepthFirst) return SampleDepthFirst(start, count, keepNoise);
        var columns = reuse ?? new double[n][];
        var noise = keepNoise ? new double[n][][] : null;
        var pass = keepNoise ? null : TakePass(count);
        var scratch = pass?.Noise ?? new List<double[]>();
        foreach (var v in _model.Graph.TopologicalOrder)
        {
            var mechanism = _model.Mechanisms[v];
            var d = mechanism.NoiseDimension;
            var batch = pass?.Batches[v];
            var noiseColumns = batch?.NoiseColumns ?? new double[d][];
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
            var parentColumns = batch?.ParentColumns ?? new double[parents.Count][];
            for (var q = 0; q < parents.Count; q++) parentColumns[q] = columns[parents[q]];
            var output = reuse?[v] ?? new double[count];
            mechanism.EvaluateBatch(batch?.Reset(start) ?? new MechanismBatch(parentColumns, noiseColumns, count, start), output.AsSpan(0, count));
            columns[v] = output;
        }
        if (pass is not null) _passes.Add(pass);
        return new SampleChunk(start, count, columns, noise);
    }

    /// <summary>
    /// The arguments of one breadth-first pass over <c>count</c> units, kept for the next pass of that length: each variable's
    /// batch (its parent- and noise-column arrays, refilled by every pass) and the noise buffers, so that a chunk allocates
    /// nothing per variable (munin: 1,041 batches a chunk). A pass takes a set of its own, so concurrent chunks never share
    /// one; no mechanism keeps a batch after <see cref="IMechanism.EvaluateBatch"/> returns, and the noise is never handed out.
    /// </summary>
    private sealed class PassArguments(CausalModel model, int count)
    {
        public int Count { get; } = count;
        public MechanismBatch[] Batches { get; } = model.Mechanisms
            .Select(m => new MechanismBatch(new double[m.Parents.Count][], new double[m.NoiseDimension][], count, 0)).ToArray();
        public List<double[]> Noise { get; } = new();
    }

    private readonly System.Collections.Concurrent.ConcurrentBag<PassArguments> _passes = new();

    private PassArguments TakePass(int count)
    {
        while (_passes.TryTake(out var pass))
            if (pass.Count == count) return pass; // one of another length (the last, shorter chunk's) is dropped
        return new PassArguments(_model, count);
    }

    /// <summary>
    /// The same values as the column-by-column pass, visited depth first: the chunk's units are split
    /// into groups that share every value so far (in topological order); each group's next variable is
    /// evaluated for the group alone, the group is split by that variable's value, and each subgroup is
    /// finished before its sibling starts. Units sharing a prefix of values are thus evaluated together,
    /// and a language model decodes the text of each distinct prefix once per chunk.
    /// </summary>
    private SampleChunk SampleDepthFirst(long start, int count, bool keepNoise) => SampleJointly(new[] { this }, start, count, keepNoise)[0];

    /// <summary>
    /// Samples units [start, start + count) in several worlds at once — a model and its interventions
    /// (factual and counterfactual, or the arms of a treatment) — with exactly the values each sampler
    /// gives alone. With a depth-first model the worlds are visited together: a group holds the units
    /// that agree in every world on every earlier variable, and each variable is evaluated world after
    /// world for the group, so the worlds' prompts, which share everything but the intervened values,
    /// follow one another. Samplers whose models cannot share one topological order (a soft intervention
    /// that adds parents) are sampled one after another.
    /// </summary>
    public static SampleChunk[] SampleJointly(IReadOnlyList<AncestralSampler> samplers, long start, int count, bool keepNoise = false)
    {
        if (samplers.Count == 0) return Array.Empty<SampleChunk>();
        var first = samplers[0]._model;
        var order = first.Graph.TopologicalOrder.ToArray();
        var rank = new int[first.Count];
        for (var i = 0; i < order.Length; i++) rank[order[i]] = i;
        var shareable = samplers.All(s => s._model.Count == first.Count
            && Enumerable.Range(0, first.Count).All(v => s._model.Mechanisms[v].Parents.All(p => rank[p] < rank[v])));
        if (!shareable || !samplers.Any(s => s.DepthFirst))
            return samplers.Select(s => s.SampleRange(start, count, keepNoise)).ToArray();
        var w = samplers.Count;
        var n = first.Count;
        var columns = new double[w][][];
        var noise = new double[w][][][];
        for (var s = 0; s < w; s++)
        {
            columns[s] = new double[n][];
            noise[s] = new double[n][][];
            var model = samplers[s]._model;
            for (var v = 0; v < n; v++)
            {
                columns[s][v] = new double[count];
                var mechanism = model.Mechanisms[v];
                noise[s][v] = new double[mechanism.NoiseDimension][];
                for (var k = 0; k < mechanism.NoiseDimension; k++)
                {
                    var col = new double[count];
                    CounterNoise.Uniforms(samplers[s]._keys[v][k], start, col);
                    if (mechanism.NoiseKind == NoiseKind.StandardNormal)
                        for (var i = 0; i < count; i++) col[i] = CounterNoise.StandardNormal(col[i]);
                    noise[s][v][k] = col;
                }
            }
        }
        // An explicit stack of (rows, depth); a group's subgroups are pushed in reverse so they run in value order.
        var stack = new Stack<(int[] Rows, int Depth)>();
        stack.Push((Enumerable.Range(0, count).ToArray(), 0));
        var outputs = new double[w][];
        while (stack.Count > 0)
        {
            var (rows, depth) = stack.Pop();
            if (depth == order.Length || rows.Length == 0) continue;
            var v = order[depth];
            for (var s = 0; s < w; s++)
            {
                var mechanism = samplers[s]._model.Mechanisms[v];
                var parents = mechanism.Parents;
                var parentColumns = new double[parents.Count][];
                for (var q = 0; q < parents.Count; q++) parentColumns[q] = Gather(columns[s][parents[q]], rows);
                var noiseColumns = new double[mechanism.NoiseDimension][];
                for (var k = 0; k < noiseColumns.Length; k++) noiseColumns[k] = Gather(noise[s][v][k], rows);
                var output = new double[rows.Length];
                mechanism.EvaluateBatch(new MechanismBatch(parentColumns, noiseColumns, rows.Length, start + rows[0], rows.Select(r => start + r).ToArray()), output);
                for (var i = 0; i < rows.Length; i++) columns[s][v][rows[i]] = output[i];
                outputs[s] = output;
            }
            var groups = Enumerable.Range(0, rows.Length)
                .GroupBy(i => new ValueKey(outputs, i))
                .OrderBy(g => g.Key)
                .Select(g => g.Select(i => rows[i]).ToArray())
                .ToList();
            for (var g = groups.Count - 1; g >= 0; g--) stack.Push((groups[g], depth + 1));
        }
        return Enumerable.Range(0, w).Select(s => new SampleChunk(start, count, columns[s], keepNoise ? noise[s] : null)).ToArray();
    }

    /// <summary>A unit's values of one variable across the worlds, ordered world by world.</summary>
    private readonly struct ValueKey(double[][] outputs, int row) : IEquatable<ValueKey>, IComparable<ValueKey>
    {
        public bool Equals(ValueKey other)
        {
            for (var s = 0; s < outputs.Length; s++)
                if (!outputs[s][row].Equals(other.Value(s))) return false;
            return true;
        }

        private double Value(int s) => outputs[s][row];

        public override bool Equals(object? obj) => obj is ValueKey k && Equals(k);

        public override int GetHashCode()
        {
            var h = new HashCode();
            for (var s = 0; s < outputs.Length; s++) h.Add(outputs[s][row]);
            return h.ToHashCode();
        }

        public int CompareTo(ValueKey other)
        {
            for (var s = 0; s < outputs.Length; s++)
            {
                var c = outputs[s][row].CompareTo(other.Value(s));
                if (c != 0) return c;
            }
            return 0;
        }
    }

    private static double[] Gather(double[] column, int[] rows)
    {
        var result = new double[rows.Length];
        for (var i = 0; i < rows.Length; i++) result[i] = column[rows[i]];
        return result;
    }

    private static double[] Rent(List<double[]> scratch, int k, int count)
    {
        while (scratch.Count <= k) scratch.Add(new double[count]);
        return scratch[k];
    }
}
