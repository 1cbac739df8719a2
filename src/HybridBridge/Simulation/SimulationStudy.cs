using HybridSynth.HybridBridge.Data;
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.Model;
using Newtonsoft.Json.Linq;

namespace HybridSynth.HybridBridge.Simulation;

/// <summary>
/// An estimator benchmark as one result: the true ATE and how it was computed, the contrast, the adjustment set and the
/// per-(n, estimator) rows of <see cref="SimulationEngine.Run"/>. The <c>simulate</c> verb and C# users build it the same way.
/// </summary>
/// <param name="Truth">The true ATE of the model.</param>
/// <param name="TruthMethod">How <paramref name="Truth"/> was computed, for reports.</param>
/// <param name="Contrast">The treatment, its arms, the outcome and its scale, as recorded (<see cref="TreatmentContrast.ToJson"/> for a model).</param>
/// <param name="Covariates">The adjustment set the estimators used.</param>
/// <param name="Rows">Bias, variance, MSE, RMSE, coverage and failures per size and estimator.</param>
public sealed record SimulationStudy(double Truth, string TruthMethod, JObject Contrast, IReadOnlyList<string> Covariates, IReadOnlyList<SimulationRow> Rows)
{
    /// <summary>The model's ATE: exact by variable elimination, else by quadrature, else Monte Carlo with 10⁶ units; and the method, described.</summary>
    public static (double Truth, string Method) TrueEffect(CausalModel model, TreatmentContrast contrast, ulong seed, int threads)
    {
        var t = GroundTruth.AverageTreatmentEffect(model, contrast, GroundTruthMethod.Auto, new MonteCarloSettings(1_000_000, seed, threads));
        return (t.Estimate.Effect, t.Method switch
        {
            GroundTruthMethod.Exact => "exact (variable elimination)",
            GroundTruthMethod.Quadrature => $"quadrature ({t.QuadraturePoints} Gauss–Hermite points)",
            _ => $"Monte Carlo (10^6 units, SE {t.Estimate.StandardError:0.####})",
        });
    }

    /// <summary>Computes the truth and runs the benchmark (see <see cref="SimulationEngine.Run"/>).</summary>
    public static SimulationStudy Run(CausalModel model, TreatmentContrast contrast, SimulationOptions options, Action<long, long>? progress = null)
    {
        var (truth, method) = TrueEffect(model, contrast, options.Seed, options.Threads);
        return new SimulationStudy(truth, method, contrast.ToJson(model), SimulationEngine.Covariates(model, contrast), SimulationEngine.Run(model, contrast, truth, options, progress));
    }

    /// <summary>Units of the Monte Carlo truth of a hybrid pre-analysis study.</summary>
    public const int HybridTruthUnits = 1_000_000;

    /// <summary>
    /// The pre-analysis engine (Xu): a hybrid model fitted to the real data once (<see cref="Hybrid.FittedHybrid"/>), whose
    /// populations are the replications; the truth is the fitted hybrid's ATE, E over the generator's W̃ of
    /// Q̂(1, W̃) − Q̂(0, W̃), by Monte Carlo over <see cref="HybridTruthUnits"/> generated units.
    /// </summary>
    /// <param name="contrast">The contrast as recorded (the columns and arms the data were read with).</param>
    public static SimulationStudy FromHybrid(CausalData real, Hybrid.HybridOptions hybrid, SimulationOptions options, JObject contrast, Action<long, long>? progress = null)
    {
        var fitted = Hybrid.FittedHybrid.Fit(real, hybrid);
        var (truth, se) = fitted.TrueAte(HybridTruthUnits, Scm.Randomness.Seeds.HybridTruth(options.Seed));
        var method = $"Monte Carlo over 10^6 units of the fitted {hybrid.Generator} generator: the fitted hybrid's mean of Q̂(1, W) − Q̂(0, W) (SE {se:0.####})";
        var rows = SimulationEngine.Run((n, r) => SimulationEngine.HybridDataset(fitted, n, r, options.Seed), truth, options, progress);
        return new SimulationStudy(truth, method, contrast, real.CovariateNames, rows);
    }

    /// <summary>The study as the JSON record the verb writes (<c>simulation.json</c>).</summary>
    public JObject ToJson() => new()
    {
        ["truth"] = Truth,
        ["truth_method"] = TruthMethod,
        ["contrast"] = Contrast,
        ["covariates"] = new JArray(Covariates),
        ["rows"] = JArray.FromObject(Rows),
    };

    /// <summary>The metrics a benchmark plots against n: (file name, axis label, value of a row, reference line).</summary>
    public static IReadOnlyList<(string Name, string Label, Func<SimulationRow, double> Value, double? Reference)> Metrics { get; } =
    [
        ("bias", "bias", x => x.Bias, 0),
        ("variance", "variance", x => x.Variance, null),
        ("mse", "MSE", x => x.Mse, null),
        ("rmse", "RMSE", x => x.Rmse, null),
        ("coverage", "95% CI coverage", x => x.Coverage, 0.95),
    ];

    /// <summary>One metric's curve per estimator over the sizes, in the order given.</summary>
    public IReadOnlyList<(string Estimator, IReadOnlyList<double> Values)> Curves(Func<SimulationRow, double> metric, IReadOnlyList<int> sizes, IReadOnlyList<string> estimators) =>
        estimators.Select(e => (e, (IReadOnlyList<double>)sizes.Select(n => metric(Rows.Single(x => x.N == n && x.Estimator == e))).ToList())).ToList();
}
