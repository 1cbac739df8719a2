using HybridSynth.HybridBridge.Data;
using HybridSynth.HybridBridge.Diagnostics;
using HybridSynth.HybridBridge.Estimators;
using Newtonsoft.Json.Linq;

namespace HybridSynth.HybridBridge.Hybrid;

/// <summary>One synthetic dataset of a <see cref="HybridExperiment"/> and how it compares with the real data.</summary>
/// <param name="Name"><c>hybrid</c> or <c>fully_generative</c>.</param>
/// <param name="Synthetic">The dataset, its known ATE (NaN when the design has none) and its description.</param>
/// <param name="Estimates">Each estimator on the synthetic data (NaN where it cannot run).</param>
/// <param name="Dcr">Distance to closest record of the synthetic covariates W, against the training rows and the holdout.</param>
/// <param name="Tstr">Train-on-synthetic, test-on-real utility of the outcome model on the holdout.</param>
/// <param name="DcrJoint">Distance to closest record on the whole record (W, A, Y): a synthetic unit can copy a real one's
/// covariates and still differ in treatment or outcome, or the other way round.</param>
public sealed record HybridArm(string Name, SyntheticData Synthetic, IReadOnlyDictionary<string, AteEstimate> Estimates, DcrReport Dcr, (string Metric, double Value) Tstr, DcrReport? DcrJoint = null);

/// <summary>What <see cref="HybridExperiment.Run"/> found.</summary>
public sealed record HybridExperimentResult(
    CausalData Train, CausalData Holdout, IReadOnlyDictionary<string, AteEstimate> Real, HybridArm Hybrid, HybridArm FullyGenerative)
{
    /// <summary>The two synthetic arms, hybrid first.</summary>
    public IReadOnlyList<HybridArm> Arms => new[] { Hybrid, FullyGenerative };

    /// <summary>
    /// The JSON record of the comparison (Xu's hybrid design against the fully generative baseline): the real estimates, and per
    /// arm its description, known ATE, each estimate with its error against the real estimate and the known ATE, DCR and TSTR.
    /// Non-finite numbers are written as null.
    /// </summary>
    public JObject ToJson(string generator)
    {
        var o = new JObject
        {
            ["train"] = Train.Count,
            ["holdout"] = Holdout.Count,
            ["generator"] = generator,
            ["real"] = new JObject(Real.Select(e => new JProperty(e.Key, new JObject { ["estimate"] = e.Value.Estimate, ["standard_error"] = e.Value.StandardError }))),
        };
        foreach (var arm in Arms)
        {
            var known = arm.Synthetic.KnownAte;
            o[arm.Name] = new JObject
            {
                ["description"] = arm.Synthetic.Description,
                ["known_ate"] = double.IsNaN(known) ? null : known,
                ["warnings"] = new JArray(arm.Synthetic.Warnings),
                ["estimates"] = new JObject(arm.Estimates.Select(e => new JProperty(e.Key, new JObject
                {
                    ["estimate"] = Finite(e.Value.Estimate),
                    ["error_vs_real"] = Finite(e.Value.Estimate - Real[e.Key].Estimate),
                    ["error_vs_known"] = double.IsNaN(known) ? null : Finite(e.Value.Estimate - known),
                }))),
                ["dcr"] = JObject.FromObject(arm.Dcr),
                ["dcr_joint"] = arm.DcrJoint is null ? null : JObject.FromObject(arm.DcrJoint),
                ["tstr"] = new JObject { ["metric"] = arm.Tstr.Metric, ["value"] = Finite(arm.Tstr.Value) },
            };
        }
        return o;
    }

    private static JToken Finite(double x) => double.IsFinite(x) ? x : JValue.CreateNull();
}

/// <summary>
/// The hybrid-synthesis experiment of Xu ("Generative Synthetic Data for Causal Inference") as one call: split the real data
/// into training rows and a holdout, estimate the ATE on the real data, draw the hybrid dataset (covariates from the generator,
/// A and Y from ĝ and Q̂ fitted on the training rows) and the fully generative baseline, and score both with every estimator,
/// DCR and TSTR. Deterministic in <see cref="HybridOptions.Seed"/>.
/// </summary>
public static class HybridExperiment
{
    /// <param name="real">The real data.</param>
    /// <param name="holdout">The share of rows held out for DCR and TSTR, in (0, 0.9).</param>
    /// <param name="estimators">Estimator names (<see cref="EstimatorRegistry.Names"/>).</param>
    /// <param name="options">Generator, design, synthetic row count, seed and nuisance settings.</param>
    /// <param name="stage">Runs each slow stage (the hybrid, the baseline) with its description, for a progress display; by default just runs it.</param>
    public static HybridExperimentResult Run(CausalData real, double holdout, IReadOnlyList<string> estimators, HybridOptions options,
        Func<string, Func<SyntheticData>, SyntheticData>? stage = null)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(options);
        if (holdout is <= 0 or >= 0.9) throw new ArgumentOutOfRangeException(nameof(holdout), holdout, "the holdout share must be in (0, 0.9)");
        stage ??= (_, work) => work();
        var (train, test) = HoldoutSplit.Split(real, holdout, options.Seed);
        Dictionary<string, AteEstimate> Estimate(CausalData d) => EstimatorRegistry.EstimateOrNaN(estimators, d, options.Nuisance);
        var realEstimates = Estimate(real);
        var hybrid = stage($"fitting {options.Generator}, ĝ and Q̂; drawing the hybrid data", () => HybridSynthesizer.Hybrid(train, options));
        var generative = stage($"the fully generative baseline ({options.Generator})", () => HybridSynthesizer.FullyGenerative(train, options));
        static double[][] Record(CausalData d) => d.Covariates.Append(Array.ConvertAll(d.Treatment, a => (double)a)).Append(d.Outcome).ToArray();
        HybridArm Arm(string name, SyntheticData s) => new(name, s, Estimate(s.Data),
            DcrReport.Compute(train.Covariates, test.Covariates, s.Data.Covariates), TrainSyntheticTestReal.Score(s.Data, test),
            DcrReport.Compute(Record(train), Record(test), Record(s.Data)));
        return new HybridExperimentResult(train, test, realEstimates, Arm("hybrid", hybrid), Arm("fully_generative", generative));
    }
}
