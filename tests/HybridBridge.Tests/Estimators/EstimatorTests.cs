using HybridSynth.HybridBridge.Data;
using HybridSynth.HybridBridge.Estimators;
using HybridSynth.HybridBridge.Learners;
using HybridSynth.HybridBridge.Simulation;
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.HybridBridge.Tests.Estimators;

public class EstimatorTests
{
    private static readonly NuisanceOptions NoTruncation = new() { Truncation = 0 };

    private static Dictionary<string, AteEstimate> All(CausalData data, NuisanceOptions options)
    {
        var nu = NuisanceEstimates.Fit(data, options);
        return EstimatorRegistry.All().ToDictionary(e => e.Name, e => e.Estimate(data, nu));
    }

    [Test]
    public void WithoutCovariates_EveryEstimatorIsTheDifferenceInMeans()
    {
        // A = 1,1,1,0,0,0,0; Y = 1,0,1,0,0,1,0: ȳ₁ = 2/3, ȳ₀ = 1/4.
        var data = new CausalData(Array.Empty<double[]>(), Array.Empty<string>(), new[] { 1, 1, 1, 0, 0, 0, 0 }, new double[] { 1, 0, 1, 0, 0, 1, 0 }, true);
        var results = All(data, NoTruncation);
        foreach (var (name, r) in results) Assert.That(r.Estimate, Is.EqualTo(2.0 / 3 - 0.25).Within(1e-7), name);
        // IC standard error of the difference in means: √(Σ IC² / ((n − 1) n)) with IC_i = A(Y − ȳ₁)/p̂ − (1 − A)(Y − ȳ₀)/(1 − p̂) = 0.37564…
        Assert.That(results["aipw"].StandardError, Is.EqualTo(0.37564245378607003).Within(1e-7));
        Assert.That(results["ipw-hajek"].StandardError, Is.EqualTo(0.37564245378607003).Within(1e-7));
        Assert.That(results["tmle"].StandardError, Is.EqualTo(0.37564245378607003).Within(1e-5));
        Assert.That(results["or"].StandardError, Is.EqualTo(0.37564245378607003).Within(1e-6));
    }

    [Test]
    public void WithASaturatedPropensity_WeightingEstimatorsAreTheStandardisedContrast()
    {
        // One binary W; g(W) by logistic regression on W is saturated, so IPW (both), AIPW and TMLE all equal
        // Σ_w P̂(w)(ȳ₁w − ȳ₀w) = 0.48485 whatever the outcome model.
        var w = new double[] { 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1 };
        var a = new[] { 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 1 };
        var y = new double[] { 1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1 };
        var data = new CausalData(new[] { w }, new[] { "W" }, a, y, true);
        var results = All(data, NoTruncation);
        foreach (var name in new[] { "ipw", "ipw-hajek", "aipw", "tmle" })
            Assert.That(results[name].Estimate, Is.EqualTo(0.4848484848484848).Within(1e-6), name);
    }

    [Test]
    public void ContinuousOutcome_LinearModels_RecoverAConstantEffect()
    {
        // Y = 1 + 2A + 3W exactly: the estimators that use the (correct) outcome model return 2.
        var w = Enumerable.Range(0, 40).Select(i => (i % 7) / 3.0).ToArray();
        var a = Enumerable.Range(0, 40).Select(i => (i * 5 % 3 == 0) ? 1 : 0).ToArray();
        var y = Enumerable.Range(0, 40).Select(i => 1 + 2 * a[i] + 3 * w[i]).ToArray();
        var data = new CausalData(new[] { w }, new[] { "W" }, a, y, false);
        var results = All(data, NoTruncation);
        foreach (var name in new[] { "or", "aipw", "tmle" }) Assert.That(results[name].Estimate, Is.EqualTo(2).Within(1e-6), name);
    }

    [Test]
    public void Truncation_BoundsThePropensities()
    {
        var n = 1000;
        var w = Enumerable.Range(0, n).Select(i => (i - 500) / 50.0).ToArray();
        var a = w.Select(x => x > 0 ? 1 : 0).ToArray();
        a[0] = 1;
        a[n - 1] = 0;
        var data = new CausalData(new[] { w }, new[] { "W" }, a, w.Select(x => x > 1 ? 1.0 : 0.0).ToArray(), true);
        var nu = NuisanceEstimates.Fit(data, new NuisanceOptions());
        var delta = NuisanceOptions.DefaultTruncation(n);
        Assert.That(delta, Is.EqualTo(5 / (Math.Sqrt(n) * Math.Log(n))).Within(1e-15));
        Assert.That(nu.G.Min(), Is.GreaterThanOrEqualTo(delta));
        Assert.That(nu.G.Max(), Is.LessThanOrEqualTo(1 - delta));
        Assert.That(nu.Truncated, Is.GreaterThan(100));
    }

    [Test]
    public void CrossFitting_UsesEveryUnitOnceAsTest_AndIsSeeded()
    {
        var folds = NuisanceEstimates.Folds(103, 5, 9).ToList();
        Assert.That(folds.SelectMany(f => f.Test).OrderBy(i => i), Is.EqualTo(Enumerable.Range(0, 103)));
        foreach (var (train, test) in folds) Assert.That(train.Intersect(test), Is.Empty);
        Assert.That(NuisanceEstimates.Folds(103, 5, 9).Select(f => f.Test.Count), Is.EqualTo(folds.Select(f => f.Test.Count)));
    }

    [Test]
    public void RandomisedXuDgp_EveryEstimatorsIntervalCoversAtNearlyTheNominalRate()
    {
        // 200 replications of n = 1,000. Under nominal 95% coverage the count of covering intervals is
        // Binomial(200, 0.95): [0.89, 0.99] is about −4 … +2.6 SE, and an interval with half the right width
        // (coverage ≈ 0.68) or double (≈ 0.9999, at most one miss with probability 4e-4) fails.
        var m = SpecLoader.Load(Paths.Dag("xu_dgp_randomised.json")).Model;
        var contrast = TreatmentContrast.Resolve(m, null, null);
        var truth = new QuadratureEffects().AverageTreatmentEffect(m, contrast).Effect;
        var rows = SimulationEngine.Run(m, contrast, truth, new SimulationOptions { Sizes = new[] { 1000 }, Replications = 200, Seed = 5, Threads = 2 });
        foreach (var row in rows)
        {
            TestContext.Out.WriteLine($"{row.Estimator}: bias {row.Bias:0.0000} rmse {row.Rmse:0.0000} coverage {row.Coverage:0.000} mean SE {row.MeanStandardError:0.0000} sd {Math.Sqrt(row.Variance):0.0000}");
            Assert.That(row.Failures, Is.EqualTo(0), row.Estimator);
            Assert.That(row.Coverage, Is.InRange(0.89, 0.99), row.Estimator);
            Assert.That(Math.Abs(row.Bias), Is.LessThan(4 * Math.Sqrt(row.Variance / row.Replications) + 0.005), row.Estimator);
        }
    }

    [Test]
    public void Confounding_BiasesTheNaiveContrast_NotTheAdjustedEstimators()
    {
        var m = SpecLoader.Load(Paths.Dag("confounder.json")).Model;
        var contrast = TreatmentContrast.Resolve(m, null, null);
        var data = SimulationEngine.Dataset(m, contrast, 20_000, 0, 3);
        var naive = data.Outcome.Where((_, i) => data.Treatment[i] == 1).Average() - data.Outcome.Where((_, i) => data.Treatment[i] == 0).Average();
        Assert.That(naive, Is.GreaterThan(0.3), "E[Y|A=1] − E[Y|A=0] = 0.5 in this model, against an ATE of 0.2");
        foreach (var (name, r) in All(data, new NuisanceOptions()))
            Assert.That(Math.Abs(r.Estimate - 0.2), Is.LessThan(4 * r.StandardError), name);
    }
}
