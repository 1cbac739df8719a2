using HybridSynth.Scm.Inference;
using HybridSynth.Scm.Interventions;
using HybridSynth.Scm.Mechanisms;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Tables;
using HybridSynth.Scm.Variables;

namespace HybridSynth.Scm.Sampling;

/// <summary>
/// Builds the tables the <c>sample</c> command writes: observational or interventional rows, with
/// optional noise columns and per-unit potential outcomes Y(control), Y(treated) and the individual
/// effect g(Y(treated)) − g(Y(control)), all from the same exogenous noise as the row.
/// </summary>
public static class SampleJobs
{
    /// <param name="model">The model, already intervened (do(…)) if wanted.</param>
    /// <param name="contrast">The treatment/outcome pair for potential outcomes, or null for none.</param>
    public static TableJob Sample(CausalModel model, long n, ulong seed, SamplingOptions options, TreatmentContrast? contrast)
    {
        var visible = VisibleVariables(model, options);
        var schema = visible.Select(v => new ColumnSchema(model[v].Name, model[v].Domain, ColumnRoles.Of(model[v]), model[v].Description)).ToList();
        var noiseColumns = new List<(int Variable, int Coordinate)>();
        if (options.IncludeNoise)
            foreach (var v in Enumerable.Range(0, model.Count))
                for (var k = 0; k < model.Mechanisms[v].NoiseDimension; k++)
                {
                    noiseColumns.Add((v, k));
                    var name = model.Mechanisms[v].NoiseDimension == 1 ? $"U_{model[v].Name}" : $"U_{model[v].Name}_{k}";
                    schema.Add(new ColumnSchema(name, ContinuousDomain.Instance, ColumnRoles.Noise, $"exogenous noise of {model[v].Name} ({model.Mechanisms[v].NoiseKind})"));
                }
        AncestralSampler? treated = null, control = null;
        // Per-unit outcome distributions are written when asked for and the outcome is categorical with a probability table.
        var outcomeDistributions = contrast is not null && options.OutcomeDistributions
            && model[contrast.Outcome].Domain is CategoricalDomain && model.Mechanisms[contrast.Outcome] is ICategoricalMechanism;
        if (contrast is not null)
        {
            var a = model[contrast.Treatment];
            var y = model[contrast.Outcome];
            if (model.AppliedInterventions.Any(i => i.Variable == contrast.Treatment))
                throw new Errors.ModelException($"potential outcomes of '{a.Name}' are not defined when '{a.Name}' is itself intervened on");
            treated = new AncestralSampler(model.Intervene(new HardIntervention(contrast.Treatment, contrast.TreatedCode)), seed);
            control = new AncestralSampler(model.Intervene(new HardIntervention(contrast.Treatment, contrast.ControlCode)), seed);
            // Named after the states compared (control first), never 0/1: on bnlearn networks the treated state may well be "no".
            var y0Name = contrast.PotentialOutcomeColumn(model, treated: false);
            var y1Name = contrast.PotentialOutcomeColumn(model, treated: true);
            schema.Add(new ColumnSchema(y0Name, y.Domain, ColumnRoles.PotentialOutcome, $"{y.Name} under do({a.Name}={a.Format(contrast.ControlCode)}) (control)"));
            schema.Add(new ColumnSchema(y1Name, y.Domain, ColumnRoles.PotentialOutcome, $"{y.Name} under do({a.Name}={a.Format(contrast.TreatedCode)}) (treated)"));
            schema.Add(new ColumnSchema("ite", ContinuousDomain.Instance, ColumnRoles.IndividualEffect, contrast.IndividualEffect(model)));
            if (outcomeDistributions)
                foreach (var code in new[] { contrast.ControlCode, contrast.TreatedCode })
                    foreach (var state in y.Categorical.States)
                        schema.Add(new ColumnSchema($"P({y.Name}={state}|do({a.Name}={a.Format(code)}))", ContinuousDomain.Instance, ColumnRoles.PotentialOutcome,
                            $"the unit's probability of {y.Name} = {state} under do({a.Name}={a.Format(code)})"));
        }
        var distributed = options.DomainProbabilities
            ? visible.Where(v => model[v].IsCategorical && model.Mechanisms[v] is ICategoricalMechanism and not ConstantMechanism).ToArray()
            : Array.Empty<int>();
        foreach (var v in distributed)
            foreach (var state in model[v].Categorical.States)
                schema.Add(new ColumnSchema($"P({model[v].Name}={state})", ContinuousDomain.Instance, ColumnRoles.DomainProbability,
                    $"the probability of {model[v].Name} = {state} given the row's parents"));
        CheckUnique(schema);
        var sampler = new AncestralSampler(model, seed);
        // The consumer's per-block work (a text writer's formatting) runs on the sampling workers, after each chunk is drawn.
        var finisher = new BlockFinisher();
        if (options.RecycleColumns && noiseColumns.Count == 0 && distributed.Length == 0 && !outcomeDistributions
            && !sampler.DepthFirst && treated?.DepthFirst != true && control?.DepthFirst != true)
            return new TableJob(schema, Recycled(contrast is null ? new[] { sampler } : new[] { sampler, treated!, control! }, visible, n, options, contrast, finisher)) { Finisher = finisher };
        var blocks = ChunkedRunner.Run(n, options.ChunkSize, options.Threads, (start, count) => finisher.Finish(Block(start, count)));
        return new TableJob(schema, blocks) { Finisher = finisher };

        RowBlock Block(long start, int count)
        {
            // The potential-outcome worlds are sampled with the factual one (jointly: a language model then scores each unit's arms one after another).
            var worlds = AncestralSampler.SampleJointly(contrast is null ? new[] { sampler } : new[] { sampler, treated!, control! }, start, count, options.IncludeNoise);
            var chunk = worlds[0];
            var columns = visible.Select(v => chunk.Columns[v]).ToList();
            foreach (var (v, k) in noiseColumns) columns.Add(chunk.Noise![v][k]);
            if (contrast is not null)
            {
                var world1 = worlds[1];
                var world0 = worlds[2];
                var y1 = world1.Columns[contrast.Outcome];
                var y0 = world0.Columns[contrast.Outcome];
                columns.Add(y0);
                columns.Add(y1);
                columns.Add(Effects(contrast, y0, y1, count, new double[count]));
                if (outcomeDistributions)
                {
                    columns.AddRange(RowDistributions(contrast.Outcome, world0, count, control!.Model));
                    columns.AddRange(RowDistributions(contrast.Outcome, world1, count, treated!.Model));
                }
            }
            foreach (var v in distributed) columns.AddRange(RowDistributions(v, chunk, count, model));
            return new RowBlock(start, count, columns);
        }
    }

    /// <summary>The individual effects g(Y(treated)) − g(Y(control)) of a chunk's units, into <paramref name="into"/>.</summary>
    private static double[] Effects(TreatmentContrast contrast, double[] y0, double[] y1, int count, double[] into)
    {
        for (var i = 0; i < count; i++) into[i] = contrast.Scale.Value(y1[i]) - contrast.Scale.Value(y0[i]);
        return into;
    }

    /// <summary>
    /// Rows (and, with a contrast, their potential outcomes: the worlds are the factual, treated and control samplers) whose
    /// chunks overwrite the columns of a written one, which each block's <see cref="RowBlock.Release"/> hands back whole
    /// (every world's columns, hidden ones included, and the effects): after the first chunks, sampling allocates only the
    /// chunk and its list of columns, and touches no fresh page. The arrays are chunk-sized; the last, shorter chunk uses
    /// their first rows. Without a contrast, a block is the chunk's own column array when every variable is written.
    /// </summary>
    private static IEnumerable<RowBlock> Recycled(AncestralSampler[] worlds, int[] visible, long n, SamplingOptions options, TreatmentContrast? contrast, BlockFinisher finisher)
    {
        var sets = new System.Collections.Concurrent.ConcurrentQueue<double[][][]>();
        return ChunkedRunner.Run(n, options.ChunkSize, options.Threads, (start, count) =>
        {
            sets.TryDequeue(out var reused);
            var set = new double[worlds.Length + 1][][];
            for (var w = 0; w < worlds.Length; w++)
                set[w] = (reused is null ? worlds[w].SampleRange(start, count) : worlds[w].SampleRange(start, count, reuse: reused[w])).Columns;
            var factual = set[0];
            double[][] columns;
            if (contrast is null) columns = visible.Length == factual.Length ? factual : visible.Select(v => factual[v]).ToArray();
            else
            {
                var (y1, y0) = (set[1][contrast.Outcome], set[2][contrast.Outcome]);
                set[^1] = [Effects(contrast, y0, y1, count, reused?[^1][0] ?? new double[count])];
                columns = [.. visible.Select(v => factual[v]), y0, y1, set[^1][0]];
            }
            return finisher.Finish(new RowBlock(start, count, columns) { Release = () => sets.Enqueue(set) });
        });
    }

    /// <summary>P(V = k | the row's parents) for every row of a chunk, one column per state of V (the mechanism of <paramref name="world"/>).</summary>
    private static IEnumerable<double[]> RowDistributions(int v, SampleChunk chunk, int count, CausalModel world)
    {
        var mech = (ICategoricalMechanism)world.Mechanisms[v];
        var k = mech.Cardinality;
        var columns = Enumerable.Range(0, k).Select(_ => new double[count]).ToArray();
        var parents = new double[mech.Parents.Count];
        var p = new double[k];
        for (var i = 0; i < count; i++)
        {
            for (var q = 0; q < parents.Length; q++) parents[q] = chunk.Columns[mech.Parents[q]][i];
            mech.Probabilities(parents, p);
            for (var s = 0; s < k; s++) columns[s][i] = p[s];
        }
        return columns;
    }

    /// <summary>The variables written, in declaration order: all but hidden ones unless asked for.</summary>
    public static int[] VisibleVariables(CausalModel model, SamplingOptions options) =>
        Enumerable.Range(0, model.Count).Where(v => options.IncludeHidden || !model[v].Hidden).ToArray();

    internal static void CheckUnique(IReadOnlyList<ColumnSchema> schema)
    {
        var dup = schema.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new Errors.ModelException($"two output columns would be named '{dup.Key}'; rename the variable");
    }
}
