using HybridSynth.HybridBridge.Data;
using HybridSynth.HybridBridge.Diagnostics;
using HybridSynth.HybridBridge.Estimators;
using HybridSynth.HybridBridge.Hybrid;
using HybridSynth.HybridBridge.Tests.Support;
using HybridSynth.Scm.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.HybridBridge.Tests.Hybrid;

/// <summary>Hybrid and fully generative synthesis, positivity augmentation, and ACTG175 end to end.</summary>
public class HybridSynthesizerTests
{
    [Test]
    public void HybridData_HaveAKnownAte_ThatTheEstimatorsRecover()
    {
        var real = XuData.Dataset(3000, 3);
        var hybrid = HybridSynthesizer.Hybrid(real, new HybridOptions { Generator = "copula", Rows = 20_000, RandomisedDesign = true, Seed = 4 });
        Assert.That(hybrid.Data.Count, Is.EqualTo(20_000));
        Assert.That(hybrid.KnownAte, Is.InRange(0.2, 0.7));
        var nu = NuisanceEstimates.Fit(hybrid.Data, new NuisanceOptions());
        foreach (var e in EstimatorRegistry.All())
        {
            var r = e.Estimate(hybrid.Data, nu);
            Assert.That(Math.Abs(r.Estimate - hybrid.KnownAte), Is.LessThan(4 * r.StandardError), e.Name);
        }
        var generative = HybridSynthesizer.FullyGenerative(real, new HybridOptions { Generator = "bn", Seed = 4 });
        Assert.That(double.IsNaN(generative.KnownAte));
        Assert.That(generative.Data.Treatment.Distinct().OrderBy(x => x), Is.EqualTo(new[] { 0, 1 }));
    }

    [Test]
    public void AContinuousOutcome_GetsATreatmentByCovariateModel_SoTheKnownAteFollowsTheGeneratedCovariates()
    {
        // W ~ N(1, 1), A ~ Bernoulli(1/2), Y = W + A·(1 + W) + N(0, 1): the true ATE is 1 + E[W] = 2.
        const int n = 4000;
        var key = HybridSynth.Scm.Randomness.CounterNoise.Key(77, 0, "t", 0);
        double Z(int i, int k) => MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, HybridSynth.Scm.Randomness.CounterNoise.Uniform(key, 3 * i + k));
        var w = Enumerable.Range(0, n).Select(i => 1 + Z(i, 0)).ToArray();
        var a = Enumerable.Range(0, n).Select(i => Z(i, 1) > 0 ? 1 : 0).ToArray();
        var y = Enumerable.Range(0, n).Select(i => w[i] + a[i] * (1 + w[i]) + Z(i, 2)).ToArray();
        var real = new CausalData([w], ["W"], a, y, binaryOutcome: false);
        var interacted = new[] { "bootstrap", "copula" }.Select(g => HybridSynthesizer.Hybrid(real, new HybridOptions { Generator = g, Seed = 2 })).ToList();
        var mainEffects = new[] { "bootstrap", "copula" }.Select(g => HybridSynthesizer.Hybrid(real, new HybridOptions { Generator = g, Seed = 2, OutcomeInteractions = false })).ToList();
        foreach (var h in interacted)
        {
            Assert.That(h.Warnings, Is.Empty);
            Assert.That(h.KnownAte, Is.EqualTo(2).Within(0.15), "β_A + β_AW·mean(W̃) ≈ 1 + E[W]");
            // The known ATE is the contrast averaged over the generated covariates: 1 + mean(W̃) up to the fit's error.
            Assert.That(h.KnownAte - (1 + h.Data.Covariates[0].Average()), Is.EqualTo(0).Within(0.1));
        }
        Assert.That(interacted[0].KnownAte, Is.Not.EqualTo(interacted[1].KnownAte), "another generator, other covariates, another known ATE");
        // Main effects: one coefficient, the same for every generator, and a warning that says so.
        Assert.That(mainEffects[0].KnownAte, Is.EqualTo(mainEffects[1].KnownAte).Within(1e-12));
        Assert.That(mainEffects.Select(h => h.Warnings.Single()), Has.All.Contains("is the same for every unit"));
    }

    [Test]
    public void PositivityAugmentation_AddsTheOppositeArmWherePropensitiesAreExtreme()
    {
        var real = XuData.Dataset(2000, 10, "xu_dgp.json");
        var (augmented, added) = PositivityAugmentation.Augment(real, 0.05, "copula", 1);
        Assert.That(added, Is.GreaterThan(100), "the observational Xu design violates positivity badly");
        Assert.That(augmented.Count, Is.EqualTo(real.Count + added));
        var g = new NuisanceOptions().Propensity.Fit(real.Covariates, Array.ConvertAll(real.Treatment, a => (double)a)).Predict(real.Covariates, real.Count);
        var extremeTreated = Enumerable.Range(0, real.Count).Count(i => (g[i] < 0.05 || g[i] > 0.95) && real.Treatment[i] == 1);
        Assert.That(augmented.Treatment.Skip(real.Count).Count(a => a == 0), Is.EqualTo(extremeTreated));
    }

    [Test]
    public void Actg175_RunsEndToEnd()
    {
        var path = Paths.Shared("data/real/actg175.csv");
        var covariates = "age,wtkg,hemo,homo,drugs,karnof,oprior,z30,zprior,preanti,race,gender,str2,strat,symptom,cd40,cd80".Split(',');
        var (data, read, used) = CsvCausalData.Read(path, new CsvCausalData.Selection("arms", "2", "1", "cd420", covariates));
        Assert.That(read, Is.EqualTo(2139));
        Assert.That(used, Is.EqualTo(1046));
        Assert.That(data.BinaryOutcome, Is.False);
        // The unadjusted contrast is 372.04 − 403.17 (SOURCE.md); adjusted estimates stay close in a randomised trial.
        var diff = data.Outcome.Where((_, i) => data.Treatment[i] == 1).Average() - data.Outcome.Where((_, i) => data.Treatment[i] == 0).Average();
        Assert.That(diff, Is.EqualTo(372.04 - 403.17).Within(0.02));
        var nu = NuisanceEstimates.Fit(data, new NuisanceOptions());
        foreach (var e in EstimatorRegistry.All())
        {
            var r = e.Estimate(data, nu);
            Assert.That(r.Estimate, Is.InRange(-50, -15), e.Name);
            Assert.That(r.StandardError, Is.InRange(4, 12), e.Name);
        }
        var hybrid = HybridSynthesizer.Hybrid(data, new HybridOptions { Generator = "copula", Seed = 2 });
        var (metric, r2) = TrainSyntheticTestReal.Score(hybrid.Data, data);
        Assert.That(metric, Is.EqualTo("R2"));
        Assert.That(r2, Is.GreaterThan(0.1));
    }
}
