using HybridSynth.HybridBridge.Cate;
using HybridSynth.HybridBridge.Estimators;
using HybridSynth.HybridBridge.Learners;
using HybridSynth.HybridBridge.Simulation;
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.HybridBridge.Tests.Cate;

/// <summary>
/// CATE learners against the exact per-unit truth of benchmarks/dags/heterogeneous.json, τ(W) = 1 + W1. With n = 4000 the
/// linear second stages' coefficients have SE ≈ 0.03–0.05, so a correctly specified learner's PEHE is below 0.1 and its
/// ATE-from-CATE within 4 of its SEs of 1; a learner that cannot represent the heterogeneity has PEHE near sd(W1) = 1.
/// </summary>
public class CateLearnerTests
{
    private static (HybridSynth.HybridBridge.Data.CausalData Data, double[] Truth) Sample(int n, int replication)
    {
        var model = SpecLoader.Load(Paths.Dag("heterogeneous.json")).Model;
        var contrast = TreatmentContrast.Resolve(model, null, null);
        var data = SimulationEngine.Dataset(model, contrast, n, replication, 11);
        var w1 = data.Covariates[data.CovariateNames.ToList().IndexOf("W1")];
        return (data, w1.Select(w => 1 + w).ToArray());
    }

    [Test]
    public void TheLearnersRecoverTheHeterogeneousEffect_AndTheSLearnerWithAMainEffectsGlmCannot()
    {
        var (data, truth) = Sample(4000, 0);
        var options = new CateOptions();
        var results = CateLearners.Names.ToDictionary(n => n, n => CateEvaluation.Of(CateLearners.Create(n).Fit(data, options), truth));
        foreach (var n in new[] { "t", "x", "dr" })
        {
            Assert.That(results[n].Pehe, Is.LessThan(0.12), $"{n}: PEHE");
            Assert.That(results[n].AteFromCate, Is.EqualTo(results[n].TrueAte).Within(0.1), $"{n}: ATE from the CATEs");
        }
        // A main-effects GLM gives one τ̂ for every unit: its PEHE is the spread of the truth around it.
        Assert.That(results["s"].Pehe, Is.GreaterThan(0.8));
        var sTau = CateLearners.Create("s").Fit(data, options).Tau;
        Assert.That(sTau.Max() - sTau.Min(), Is.LessThan(1e-9));
        // With a forest the S-learner can let A interact with W: far better.
        var forest = CateEvaluation.Of(CateLearners.Create("s").Fit(data, options with { Outcome = new RandomForest(classification: false, seed: 3) }), truth);
        Assert.That(forest.Pehe, Is.LessThan(0.6));
    }

    [Test]
    public void TheDrLearnersMean_IsAipw_AndItsPerUnitIntervalsCover()
    {
        var (data, truth) = Sample(3000, 1);
        var options = new CateOptions { Folds = 2, Seed = 4 };
        var dr = CateLearners.Create("dr").Fit(data, options);
        // The pseudo-outcomes average to the cross-fitted AIPW estimate (same folds, same nuisances, same truncation).
        var nu = NuisanceEstimates.Fit(data, new NuisanceOptions { Folds = 2, Seed = 4, Outcome = null });
        var phi = DrLearner.PseudoOutcomes(data, options);
        Assert.That(dr.Tau.Average(), Is.EqualTo(phi.Average()).Within(1e-9), "OLS with an intercept keeps the mean");
        Assert.That(dr.StandardErrors, Is.Not.Null);
        // Per-unit 95% intervals around a correctly specified linear τ: coverage near 0.95 (the units share one fit, so
        // the share is not binomial; the band is wide).
        var eval = CateEvaluation.Of(dr, truth);
        Assert.That(eval.Coverage, Is.InRange(0.80, 1.0));
        // Over replications the ATE-from-CATE is unbiased: 8 datasets, |mean error| within 4 SE of the mean.
        var errors = Enumerable.Range(2, 8).Select(r =>
        {
            var (d, t) = Sample(1500, r);
            return CateLearners.Create("dr").Fit(d, options).Ate - t.Average();
        }).ToArray();
        var mean = errors.Average();
        var sd = Math.Sqrt(errors.Sum(e => (e - mean) * (e - mean)) / (errors.Length - 1));
        Assert.That(Math.Abs(mean), Is.LessThan(4 * sd / Math.Sqrt(errors.Length) + 1e-3));
        Assert.That(nu.G, Has.Length.EqualTo(data.Count));
    }
}
