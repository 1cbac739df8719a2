using HybridSynth.Scm.Interventions;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Sampling;
using HybridSynth.Scm.Tables;
using HybridSynth.Scm.Variables;

namespace HybridSynth.Scm.Counterfactuals;

/// <summary>
/// Unit-level counterfactuals by abduction, action and prediction. Abduction is exact because each
/// unit's exogenous noise is recomputable from (seed, variable, unit): the factual row is the model
/// evaluated on that noise; the counterfactual row is the mutilated model evaluated on the SAME
/// noise. A variable not downstream of the intervention therefore keeps its factual value, and
/// do(X = x) on a unit whose factual X is x reproduces the factual row bit for bit.
/// </summary>
public static class CounterfactualJobs
{
    /// <summary>The suffix of counterfactual columns: <c>X</c> is factual, <c>X_cf</c> counterfactual.</summary>
    public const string Suffix = "_cf";

    /// <summary>Factual and counterfactual values of the same units, side by side: unit, X…, X_cf….</summary>
    public static TableJob Pairs(CausalModel factualModel, IReadOnlyList<Intervention> interventions, long n, ulong seed, SamplingOptions options)
    {
        var counterfactualModel = factualModel.Intervene(interventions);
        var visible = SampleJobs.VisibleVariables(factualModel, options);
        var schema = new List<ColumnSchema> { new("unit", ContinuousDomain.Instance, ColumnRoles.Unit) };
        schema.AddRange(visible.Select(v => new ColumnSchema(factualModel[v].Name, factualModel[v].Domain, ColumnRoles.Of(factualModel[v]), factualModel[v].Description)));
        var label = string.Join(", ", interventions.Select(i => i.Describe(factualModel)));
        schema.AddRange(visible.Select(v => new ColumnSchema(factualModel[v].Name + Suffix, factualModel[v].Domain, ColumnRoles.Counterfactual, $"{factualModel[v].Name} under {label}, same unit")));
        SampleJobs.CheckUnique(schema);
        var factual = new AncestralSampler(factualModel, seed);
        var counterfactual = new AncestralSampler(counterfactualModel, seed);
        // With RecycleColumns (breadth-first models, where sampling jointly is each world's own pass), a chunk overwrites a
        // written chunk's columns of both worlds and its unit column, which the block's Release hands back.
        var recycle = options.RecycleColumns && !factual.DepthFirst && !counterfactual.DepthFirst;
        var sets = new System.Collections.Concurrent.ConcurrentQueue<double[][][]>();
        var finisher = new BlockFinisher(); // a text writer's formatting, on the sampling workers
        var blocks = ChunkedRunner.Run(n, options.ChunkSize, options.Threads, (start, count) =>
        {
            double[][][]? reused = null;
            if (recycle) sets.TryDequeue(out reused);
            var both = reused is not null
                ? new[] { factual.SampleRange(start, count, reuse: reused[0]), counterfactual.SampleRange(start, count, reuse: reused[1]) }
                : AncestralSampler.SampleJointly(new[] { factual, counterfactual }, start, count);
            var f = both[0];
            var c = both[1];
            var unit = reused?[2][0] ?? new double[count];
            for (var i = 0; i < count; i++) unit[i] = start + i;
            double[][] columns = [unit, .. visible.Select(v => f.Columns[v]), .. visible.Select(v => c.Columns[v])];
            return finisher.Finish(new RowBlock(start, count, columns) { Release = recycle ? () => sets.Enqueue([f.Columns, c.Columns, [unit]]) : null });
        });
        return new TableJob(schema, blocks) { Finisher = finisher };
    }
}
