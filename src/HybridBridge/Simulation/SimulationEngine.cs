using HybridSynth.HybridBridge.Data;
using HybridSynth.HybridBridge.Estimators;
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Randomness;
using HybridSynth.Scm.Sampling;
using HybridSynth.Scm.Tables;

namespace HybridSynth.HybridBridge.Simulation;

/// <summary>
/// The simulation engine: for each sample size n and replication r, draws a dataset of n units from
/// a causal model (seed derived from (seed, n, r), so any replication can be recomputed alone and the
/// results do not depend on the thread count), fits the nuisances once, runs every estimator, and
/// summarises bias, variance, MSE, RMSE and 95%-interval coverage against the known truth.
/// Covariates are the observed variables that are neither the treatment, the outcome, nor
/// descendants of the treatment.
/// </summary>
public static class SimulationEngine
{
    /// <summary>The covariates adjusted for: every observed variable other than the treatment and the outcome that is not a descendant of the treatment (a valid adjustment set when there is no hidden confounding).</summary>
    public static IReadOnlyList<string> Covariates(CausalModel model, TreatmentContrast contrast)
    {
        var downstream = model.Graph.Descendants(contrast.Treatment);
        return Enumerable.Range(0, model.Count)
            .Where(v => v != contrast.Treatment && v != contrast.Outcome && !downstream.Contains(v) && !model[v].Hidden)
            .Select(v => model[v].Name).ToList();
    }

    /// <summary>The dataset of replication <paramref name="replication"/> at size <paramref name="n"/>.</summary>
    public static CausalData Dataset(CausalModel model, TreatmentContrast contrast, int n, int replication, ulong seed) =>
        CausalData.From(Table(model, n, replication, seed), model[contrast.Treatment].Name, model[contrast.Outcome].Name, Covariates(model, contrast),
            (contrast.TreatedCode, contrast.ControlCode), contrast.Scale);

    private static DataTable Table(CausalModel model, int n, int replication, ulong seed)
    {
        var derived = Seeds.SimulationDataset(seed, n, replication);
        var chunk = new AncestralSampler(model, derived).SampleRange(0, n);
        return DataTable.FromColumns(model.Variables, chunk.Columns);
    }

    /// <param name="progress">Called with (units simulated, units in all: replications × sizes) as replications finish, from any thread.</param>
    /// <remarks>With oracle sources in <see cref="SimulationOptions.Nuisances"/> the model's true nuisances are computed for each replication (<see cref="OracleNuisances"/>).</remarks>
    public static IReadOnlyList<SimulationRow> Run(CausalModel model, TreatmentContrast contrast, double truth, SimulationOptions options, Action<long, long>? progress = null)
    {
        var oracle = options.Nuisances.Any(s => s != NuisanceSource.Fitted);
        if (oracle) OracleNuisances.Check(model, contrast);
        return Run((n, r) =>
        {
            var table = Table(model, n, r, options.Seed);
            var data = CausalData.From(table, model[contrast.Treatment].Name, model[contrast.Outcome].Name, Covariates(model, contrast),
                (contrast.TreatedCode, contrast.ControlCode), contrast.Scale);
            return (data, oracle ? OracleNuisances.Compute(model, contrast, table) : null);
        }, truth, options, progress);
    }

    /// <summary>
    /// The replication r of size n drawn from a hybrid model fitted to real data (the pre-analysis engine of Xu): covariates
    /// from the fitted generator, treatment from ĝ (or ½ by design), outcome from Q̂, with seeds derived from (seed, n, r).
    /// </summary>
    public static CausalData HybridDataset(Hybrid.FittedHybrid hybrid, int n, int replication, ulong seed)
    {
        var derived = Seeds.SimulationDataset(seed, n, replication);
        return hybrid.Draw(n, derived, Seeds.HybridTreatment(derived), Seeds.HybridOutcome(derived)).Data;
    }

    /// <summary>The estimators' labels in the rows of a run: each estimator per nuisance source (NAME, NAME@oracle, …), then the augmented ones (NAME+aug).</summary>
    public static IReadOnlyList<string> Labels(SimulationOptions options) =>
        options.Nuisances.SelectMany(source => options.Estimators.Select(e => e + OracleNuisances.Suffix(source)))
            .Concat(options.Augmentation is { } aug ? options.Estimators.Where(Hybrid.PositivityAugmentation.Applicable.Contains).Select(e => e + aug.Suffix) : []).ToList();

    /// <summary>Runs the grid on the datasets <paramref name="dataset"/>(n, r) gives (a function of n and r only, so results do not depend on the thread count).</summary>
    public static IReadOnlyList<SimulationRow> Run(Func<int, int, CausalData> dataset, double truth, SimulationOptions options, Action<long, long>? progress = null)
    {
        if (options.Nuisances.Any(s => s != NuisanceSource.Fitted)) throw new ArgumentException("oracle nuisances need the simulation's model", nameof(options));
        return Run((n, r) => (dataset(n, r), null), truth, options, progress);
    }

    private static IReadOnlyList<SimulationRow> Run(Func<int, int, (CausalData Data, (int[] Treatment, double[] G, double[] Q1, double[] Q0)? Truth)> dataset, double truth,
        SimulationOptions options, Action<long, long>? progress)
    {
        if (options.Replications < 2) throw new ArgumentOutOfRangeException(nameof(options), "at least 2 replications are needed");
        if (options.Nuisances.Count == 0) throw new ArgumentException("at least one nuisance source", nameof(options));
        var estimators = options.Estimators.Select(EstimatorRegistry.Create).ToList();
        var augmentedNames = options.Estimators.Where(Hybrid.PositivityAugmentation.Applicable.Contains).ToList();
        var labels = Labels(options);
        var rows = new List<SimulationRow>();
        long units = 0, allUnits = options.Sizes.Sum(n => (long)n) * options.Replications;
        foreach (var n in options.Sizes)
        {
            var results = new AteEstimate?[options.Replications][];
            Parallel.For(0, options.Replications, new ParallelOptions { MaxDegreeOfParallelism = options.Threads }, r =>
            {
                var (data, trueNuisances) = dataset(n, r);
                // A replication whose treatment took one value has no contrast to estimate: every estimator fails it.
                if (!data.HasBothArms)
                {
                    results[r] = new AteEstimate?[labels.Count];
                }
                else
                {
                    var nuisanceOptions = options.Nuisance with { Seed = Seeds.Replication(options.Seed, r) };
                    var nuisance = NuisanceEstimates.Fit(data, nuisanceOptions);
                    static AteEstimate? Finite(AteEstimate a) => double.IsFinite(a.Estimate) && double.IsFinite(a.StandardError) ? a : null;
                    var plain = options.Nuisances.SelectMany(source =>
                    {
                        var nu = source == NuisanceSource.Fitted ? nuisance : OracleNuisances.Combine(source, nuisance, trueNuisances!.Value);
                        return estimators.Select(e => Finite(e.Estimate(data, nu)));
                    });
                    var augmented = options.Augmentation is { } aug
                        ? Hybrid.PositivityAugmentation.Estimate(data, aug.Epsilon, Generators.GeneratorRegistry.Create(aug.Generator), Seeds.Replication(options.Seed, r),
                            nuisanceOptions, augmentedNames, aug.Mode, aug.Bootstrap).Estimates.Select(Finite)
                        : [];
                    results[r] = plain.Concat(augmented).ToArray();
                }
                progress?.Invoke(Interlocked.Add(ref units, n), allUnits);
            });
            for (var k = 0; k < labels.Count; k++)
            {
                var ok = results.Select(r => r[k]).Where(a => a is not null).Select(a => a!).ToList();
                var failures = options.Replications - ok.Count;
                if (ok.Count < 2)
                {
                    rows.Add(new SimulationRow(n, labels[k], options.Replications, truth, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, failures));
                    continue;
                }
                var estimates = ok.Select(a => a.Estimate).ToArray();
                var mean = estimates.Average();
                var variance = estimates.Sum(x => (x - mean) * (x - mean)) / (estimates.Length - 1);
                var mse = estimates.Average(x => (x - truth) * (x - truth));
                var coverage = ok.Count(a => a.Covers(truth)) / (double)ok.Count;
                rows.Add(new SimulationRow(n, labels[k], options.Replications, truth, mean, mean - truth, variance, mse, Math.Sqrt(mse),
                    coverage, Math.Sqrt(coverage * (1 - coverage) / ok.Count), ok.Average(a => a.StandardError), failures));
            }
        }
        return rows;
    }
}
