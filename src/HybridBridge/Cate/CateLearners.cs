using HybridSynth.HybridBridge.Data;
using HybridSynth.HybridBridge.Estimators;
using HybridSynth.HybridBridge.Learners;
using MathNet.Numerics.LinearAlgebra;

namespace HybridSynth.HybridBridge.Cate;

/// <summary>What a CATE learner fits with.</summary>
public sealed record CateOptions
{
    /// <summary>The outcome regressions μ_a(W) = E[Y | A = a, W] (default: a GLM of the outcome's type).</summary>
    public ILearner? Outcome { get; init; }

    /// <summary>The propensity g(W) = P(A = 1 | W) (X- and DR-learners).</summary>
    public ILearner Propensity { get; init; } = new GeneralisedLinearModel(logistic: true);

    /// <summary>The second-stage regression of imputed effects or pseudo-outcomes on W (X- and DR-learners; default linear).</summary>
    public ILearner Effect { get; init; } = new GeneralisedLinearModel(logistic: false);

    /// <summary>Cross-fitting folds of the DR-learner's nuisances.</summary>
    public int Folds { get; init; } = 2;

    /// <summary>The seed of the folds (and of any randomised learner).</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Propensities are bounded to [δ, 1 − δ] (default <see cref="NuisanceOptions.DefaultTruncation"/>).</summary>
    public double? Truncation { get; init; }
}

/// <summary>Per-unit effect estimates τ̂(Wᵢ) of one learner, with per-unit standard errors where the learner gives them.</summary>
/// <param name="Learner">The learner's name.</param>
/// <param name="Tau">τ̂(Wᵢ) for every unit of the data.</param>
/// <param name="StandardErrors">Per-unit standard errors (the DR-learner with a linear second stage: HC0 sandwich), or null.</param>
public sealed record CateEstimates(string Learner, double[] Tau, double[]? StandardErrors)
{
    /// <summary>The ATE implied by the CATEs: the mean of τ̂ over the units.</summary>
    public double Ate => Tau.Average();
}

/// <summary>A conditional-average-treatment-effect learner: τ(w) = E[Y(1) − Y(0) | W = w].</summary>
public interface ICateLearner
{
    /// <summary>The learner's name (t, s, x, dr).</summary>
    string Name { get; }

    /// <summary>Fits the learner to <paramref name="data"/> and gives τ̂ at every unit's covariates.</summary>
    CateEstimates Fit(CausalData data, CateOptions options);
}

/// <summary>The CATE learners by name.</summary>
public static class CateLearners
{
    /// <summary>t, s, x and dr.</summary>
    public static IReadOnlyList<string> Names { get; } = ["t", "s", "x", "dr"];

    /// <summary>The learner of that name.</summary>
    public static ICateLearner Create(string name) => name switch
    {
        "t" => new TLearner(),
        "s" => new SLearner(),
        "x" => new XLearner(),
        "dr" => new DrLearner(),
        _ => throw new ArgumentException($"unknown CATE learner '{name}'; expected one of {string.Join(", ", Names)}", nameof(name)),
    };

    internal static ILearner OutcomeLearner(CausalData d, CateOptions o) => o.Outcome ?? new GeneralisedLinearModel(logistic: d.BinaryOutcome);

    /// <summary>μ₁ fitted on the treated and μ₀ on the controls, each predicted at every unit of <paramref name="at"/>.</summary>
    internal static (double[] Mu1, double[] Mu0) ArmRegressions(CausalData train, CausalData at, CateOptions o)
    {
        var treated = Enumerable.Range(0, train.Count).Where(i => train.Treatment[i] == 1).ToList();
        var controls = Enumerable.Range(0, train.Count).Where(i => train.Treatment[i] == 0).ToList();
        var learner = OutcomeLearner(train, o);
        var t = train.Subset(treated);
        var c = train.Subset(controls);
        var m1 = learner.Fit(t.Covariates, t.Outcome);
        var m0 = learner.Fit(c.Covariates, c.Outcome);
        return (m1.Predict(at.Covariates, at.Count), m0.Predict(at.Covariates, at.Count));
    }

    internal static double[] Propensity(CausalData train, CausalData at, CateOptions o)
    {
        var bound = o.Truncation ?? NuisanceOptions.DefaultTruncation(train.Count);
        var g = o.Propensity.Fit(train.Covariates, Array.ConvertAll(train.Treatment, a => (double)a)).Predict(at.Covariates, at.Count);
        return g.Select(x => Math.Clamp(x, bound, 1 - bound)).ToArray();
    }
}

/// <summary>T-learner: τ̂(w) = μ̂₁(w) − μ̂₀(w), each arm's outcome regression fitted on that arm alone.</summary>
public sealed class TLearner : ICateLearner
{
    /// <inheritdoc />
    public string Name => "t";

    /// <inheritdoc />
    public CateEstimates Fit(CausalData data, CateOptions options)
    {
        var (mu1, mu0) = CateLearners.ArmRegressions(data, data, options);
        return new CateEstimates(Name, mu1.Select((m, i) => m - mu0[i]).ToArray(), null);
    }
}

/// <summary>
/// S-learner: one outcome model on (A, W); τ̂(w) = μ̂(1, w) − μ̂(0, w). With a main-effects GLM and a continuous outcome τ̂ is one
/// number (the treatment coefficient): the S-learner needs a learner that can let A interact with W (a forest).
/// </summary>
public sealed class SLearner : ICateLearner
{
    /// <inheritdoc />
    public string Name => "s";

    /// <inheritdoc />
    public CateEstimates Fit(CausalData data, CateOptions options)
    {
        var q = CateLearners.OutcomeLearner(data, options).Fit(NuisanceEstimates.OutcomeDesign(data, null), data.Outcome);
        var q1 = q.Predict(NuisanceEstimates.OutcomeDesign(data, 1), data.Count);
        var q0 = q.Predict(NuisanceEstimates.OutcomeDesign(data, 0), data.Count);
        return new CateEstimates(Name, q1.Select((m, i) => m - q0[i]).ToArray(), null);
    }
}

/// <summary>
/// X-learner (Künzel et al. 2019): the T-learner's μ̂₀, μ̂₁; imputed effects D₁ = Y − μ̂₀(W) on the treated and
/// D₀ = μ̂₁(W) − Y on the controls, each regressed on W (τ̂₁, τ̂₀); τ̂(w) = ĝ(w)·τ̂₀(w) + (1 − ĝ(w))·τ̂₁(w).
/// </summary>
public sealed class XLearner : ICateLearner
{
    /// <inheritdoc />
    public string Name => "x";

    /// <inheritdoc />
    public CateEstimates Fit(CausalData data, CateOptions options)
    {
        var (mu1, mu0) = CateLearners.ArmRegressions(data, data, options);
        var treated = Enumerable.Range(0, data.Count).Where(i => data.Treatment[i] == 1).ToList();
        var controls = Enumerable.Range(0, data.Count).Where(i => data.Treatment[i] == 0).ToList();
        var d1 = treated.Select(i => data.Outcome[i] - mu0[i]).ToArray();
        var d0 = controls.Select(i => mu1[i] - data.Outcome[i]).ToArray();
        var tau1 = options.Effect.Fit(data.Subset(treated).Covariates, d1).Predict(data.Covariates, data.Count);
        var tau0 = options.Effect.Fit(data.Subset(controls).Covariates, d0).Predict(data.Covariates, data.Count);
        var g = CateLearners.Propensity(data, data, options);
        return new CateEstimates(Name, g.Select((p, i) => p * tau0[i] + (1 - p) * tau1[i]).ToArray(), null);
    }
}

/// <summary>
/// DR-learner (Kennedy 2023): cross-fitted μ̂₀, μ̂₁, ĝ give each unit the doubly robust pseudo-outcome
/// φᵢ = μ̂₁ − μ̂₀ + Aᵢ(Yᵢ − μ̂₁)/ĝ − (1 − Aᵢ)(Yᵢ − μ̂₀)/(1 − ĝ), regressed on W. Its mean is AIPW's ATE. With the default linear
/// second stage each unit also gets the HC0 sandwich standard error of its fitted value, xᵢ'(X'X)⁻¹X' diag(eᵢ²) X(X'X)⁻¹xᵢ.
/// </summary>
public sealed class DrLearner : ICateLearner
{
    /// <inheritdoc />
    public string Name => "dr";

    /// <summary>The pseudo-outcomes of <paramref name="data"/> with cross-fitted nuisances.</summary>
    public static double[] PseudoOutcomes(CausalData data, CateOptions options)
    {
        var n = data.Count;
        var phi = new double[n];
        foreach (var (train, test) in NuisanceEstimates.Folds(n, Math.Max(1, options.Folds), options.Seed))
        {
            var fit = train.Count == n ? data : data.Subset(train);
            var at = test.Count == n ? data : data.Subset(test);
            var (mu1, mu0) = CateLearners.ArmRegressions(fit, at, options);
            var g = CateLearners.Propensity(fit, at, options);
            for (var k = 0; k < test.Count; k++)
            {
                var a = at.Treatment[k];
                var y = at.Outcome[k];
                phi[test[k]] = mu1[k] - mu0[k] + a * (y - mu1[k]) / g[k] - (1 - a) * (y - mu0[k]) / (1 - g[k]);
            }
        }
        return phi;
    }

    /// <inheritdoc />
    public CateEstimates Fit(CausalData data, CateOptions options)
    {
        var phi = PseudoOutcomes(data, options);
        var tau = options.Effect.Fit(data.Covariates, phi).Predict(data.Covariates, data.Count);
        double[]? se = null;
        if (options.Effect is GeneralisedLinearModel)
        {
            // HC0 sandwich of the linear second stage.
            var n = data.Count;
            var p = data.Covariates.Length + 1;
            var x = Matrix<double>.Build.Dense(n, p, (i, j) => j == 0 ? 1.0 : data.Covariates[j - 1][i]);
            var bread = (x.TransposeThisAndMultiply(x)).PseudoInverse();
            var meat = Matrix<double>.Build.Dense(p, p);
            for (var i = 0; i < n; i++)
            {
                var e = phi[i] - tau[i];
                var row = x.Row(i);
                meat += row.OuterProduct(row) * (e * e);
            }
            var cov = bread * meat * bread;
            se = Enumerable.Range(0, n).Select(i => { var r = x.Row(i); return Math.Sqrt(Math.Max(0, r * cov * r)); }).ToArray();
        }
        return new CateEstimates(Name, tau, se);
    }
}

/// <summary>How CATE estimates compare with per-unit truths τᵢ (from a spec's potential outcomes, or an SD-SCM's).</summary>
/// <param name="Learner">The learner.</param>
/// <param name="Pehe">√(mean (τ̂ᵢ − τᵢ)²), the precision in estimating heterogeneous effects.</param>
/// <param name="AteFromCate">mean τ̂ᵢ.</param>
/// <param name="TrueAte">mean τᵢ.</param>
/// <param name="Coverage">The share of units whose 95% interval τ̂ᵢ ± 1.96·SEᵢ holds τᵢ (NaN without per-unit SEs).</param>
public sealed record CateEvaluation(string Learner, double Pehe, double AteFromCate, double TrueAte, double Coverage)
{
    /// <summary>Evaluates <paramref name="estimates"/> against <paramref name="truth"/> (one per unit).</summary>
    public static CateEvaluation Of(CateEstimates estimates, IReadOnlyList<double> truth)
    {
        var tau = estimates.Tau;
        if (truth.Count != tau.Length) throw new ArgumentException($"{truth.Count} truths for {tau.Length} units", nameof(truth));
        var pehe = Math.Sqrt(tau.Select((t, i) => (t - truth[i]) * (t - truth[i])).Average());
        var coverage = estimates.StandardErrors is { } se
            ? tau.Where((t, i) => Math.Abs(t - truth[i]) <= AteEstimate.Z975 * se[i]).Count() / (double)tau.Length
            : double.NaN;
        return new CateEvaluation(estimates.Learner, pehe, tau.Average(), truth.Average(), coverage);
    }
}
