using HybridSynth.HybridBridge.Data;
using HybridSynth.HybridBridge.Diagnostics;
using HybridSynth.HybridBridge.Estimators;
using HybridSynth.HybridBridge.Generators;
using HybridSynth.HybridBridge.Hybrid;
using HybridSynth.HybridBridge.Simulation;
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.HybridBridge.Tests;

public class HybridTests
{
    private static CausalData Xu(int n, ulong seed, string spec = "xu_dgp_randomised.json")
    {
        var m = SpecLoader.Load(Paths.Dag(spec)).Model;
        return SimulationEngine.Dataset(m, TreatmentContrast.Resolve(m, null, null), n, 0, seed);
    }

    [TestCase("bootstrap")]
    [TestCase("copula")]
    [TestCase("bn")]
    public void Generators_ReproduceMarginalsAndAreSeeded(string name)
    {
        var data = Xu(4000, 1);
        var table = new ColumnTable(data.CovariateNames, data.Covariates);
        var fitted = GeneratorRegistry.Create(name).Fit(table, 3);
        var a = fitted.Sample(4000, 7);
        var b = fitted.Sample(4000, 7);
        Assert.That(a.Columns, Is.EqualTo(b.Columns));
        for (var j = 0; j < table.Columns.Count; j++)
        {
            var real = table.Columns[j];
            var syn = a.Columns[j];
            var sd = Math.Sqrt(real.Select(x => (x - real.Average()) * (x - real.Average())).Average());
            // Means agree within 5 standard errors of a difference of two means.
            Assert.That(Math.Abs(real.Average() - syn.Average()), Is.LessThan(5 * sd * Math.Sqrt(2.0 / 4000)), $"{name}: {table.Names[j]}");
        }
    }

    [Test]
    public void Copula_KeepsTheCorrelationOfW4W6()
    {
        // W6 = 0.5 W4 + 0.5 W5 + N(0, 1): corr(W4, W6) = 0.5 / √1.5 ≈ 0.408.
        var data = Xu(5000, 2);
        var table = new ColumnTable(data.CovariateNames, data.Covariates);
        var s = new GaussianCopulaGenerator().Fit(table, 1).Sample(5000, 2);
        double Corr(double[] x, double[] y)
        {
            double mx = x.Average(), my = y.Average();
            return x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum() / Math.Sqrt(x.Sum(a => (a - mx) * (a - mx)) * y.Sum(b => (b - my) * (b - my)));
        }
        var w4 = table.Names.ToList().IndexOf("W4");
        var w6 = table.Names.ToList().IndexOf("W6");
        Assert.That(Corr(s.Columns[w4], s.Columns[w6]), Is.EqualTo(0.5 / Math.Sqrt(1.5)).Within(0.05));
    }

    [Test]
    public void HybridData_HaveAKnownAte_ThatTheEstimatorsRecover()
    {
        var real = Xu(3000, 3);
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
    public void Dcr_FlagsCopies_AndNotFreshDraws()
    {
        var train = Xu(800, 5);
        var holdout = Xu(400, 6);
        var copies = DcrReport.Compute(train.Covariates, holdout.Covariates, new BootstrapGenerator().Fit(new ColumnTable(train.CovariateNames, train.Covariates), 1).Sample(400, 2).Columns);
        Assert.That(copies.ShareExactCopies, Is.EqualTo(1.0));
        Assert.That(copies.ShareBelowHoldoutP5, Is.EqualTo(1.0));
        var fresh = DcrReport.Compute(train.Covariates, holdout.Covariates, Xu(400, 7).Covariates);
        // Fresh draws from the same law behave like the holdout: about 5% fall below its 5th percentile.
        Assert.That(fresh.ShareBelowHoldoutP5, Is.LessThan(0.15));
        Assert.That(fresh.SyntheticMedian, Is.EqualTo(fresh.HoldoutMedian).Within(0.25 * fresh.HoldoutMedian));
    }

    [Test]
    public void Auc_GoldenValues()
    {
        Assert.That(TrainSyntheticTestReal.Auc(new[] { 0.1, 0.4, 0.35, 0.8 }, new double[] { 0, 0, 1, 1 }), Is.EqualTo(0.75));
        Assert.That(TrainSyntheticTestReal.Auc(new[] { 0.5, 0.5 }, new double[] { 0, 1 }), Is.EqualTo(0.5));
        var (metric, value) = TrainSyntheticTestReal.Score(Xu(2000, 8), Xu(1000, 9));
        Assert.That(metric, Is.EqualTo("AUC"));
        Assert.That(value, Is.InRange(0.6, 0.95));
    }

    [Test]
    public void PositivityAugmentation_AddsTheOppositeArmWherePropensitiesAreExtreme()
    {
        var real = Xu(2000, 10, "xu_dgp.json");
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

public class RandomForestTests
{
    [Test]
    public void Forest_LearnsAStepFunction_AndIsSeeded()
    {
        var n = 2000;
        var x = Enumerable.Range(0, n).Select(i => (i % 200) / 20.0).ToArray();
        var noise = Enumerable.Range(0, n).Select(i => ((i * 7919) % 13) / 13.0 - 0.5).ToArray();
        var y = x.Select((v, i) => (v > 5 ? 3.0 : 0.0) + 0.2 * noise[i]).ToArray();
        var forest = new HybridSynth.HybridBridge.Learners.RandomForest(classification: false, trees: 30, seed: 4);
        var fit = forest.Fit(new[] { x }, y);
        var probe = new[] { new[] { 4.5, 5.5 } };
        var p = fit.Predict(probe, 2);
        Assert.That(p[0], Is.EqualTo(0).Within(0.1));
        Assert.That(p[1], Is.EqualTo(3).Within(0.1));
        Assert.That(forest.Fit(new[] { x }, y).Predict(probe, 2), Is.EqualTo(p));
        var linear = new HybridSynth.HybridBridge.Learners.GeneralisedLinearModel(false).Fit(new[] { x }, y).Predict(probe, 2);
        Assert.That(Math.Abs(linear[0]) + Math.Abs(linear[1] - 3), Is.GreaterThan(1.5), "a straight line cannot fit the step; the forest can");
    }
}
