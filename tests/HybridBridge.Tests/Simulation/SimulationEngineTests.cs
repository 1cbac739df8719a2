using HybridSynth.HybridBridge.Estimators;
using HybridSynth.HybridBridge.Simulation;
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.HybridBridge.Tests.Simulation;

/// <summary>The estimator-benchmark engine: adjustment sets, seeded replications, metrics and their CSV form.</summary>
public class SimulationEngineTests
{
    [Test]
    public void Simulation_IsIndependentOfThreads()
    {
        var m = SpecLoader.Load(Paths.Dag("confounder.json")).Model;
        var contrast = TreatmentContrast.Resolve(m, null, null);
        var a = SimulationEngine.Run(m, contrast, 0.2, new SimulationOptions { Sizes = new[] { 200 }, Replications = 20, Threads = 1 });
        var b = SimulationEngine.Run(m, contrast, 0.2, new SimulationOptions { Sizes = new[] { 200 }, Replications = 20, Threads = 2 });
        Assert.That(b, Is.EqualTo(a));
    }

    [Test]
    public void Covariates_AreTheNonDescendantsOfTheTreatment()
    {
        var mediator = SpecLoader.Load(Paths.Dag("mediator.json")).Model;
        Assert.That(SimulationEngine.Covariates(mediator, TreatmentContrast.Resolve(mediator, null, null)), Is.Empty, "the mediator is not adjusted for");
        var confounder = SpecLoader.Load(Paths.Dag("confounder.json")).Model;
        Assert.That(SimulationEngine.Covariates(confounder, TreatmentContrast.Resolve(confounder, null, null)), Is.EqualTo(new[] { "Z" }));
    }

    [Test]
    public void Datasets_AreAFunctionOfSeedAndReplication()
    {
        var m = SpecLoader.Load(Paths.Dag("confounder.json")).Model;
        var c = TreatmentContrast.Resolve(m, null, null);
        Assert.That(SimulationEngine.Dataset(m, c, 300, 2, 7).Outcome, Is.EqualTo(SimulationEngine.Dataset(m, c, 300, 2, 7).Outcome));
        Assert.That(SimulationEngine.Dataset(m, c, 300, 3, 7).Outcome, Is.Not.EqualTo(SimulationEngine.Dataset(m, c, 300, 2, 7).Outcome));
        Assert.That(SimulationEngine.Dataset(m, c, 300, 2, 8).Outcome, Is.Not.EqualTo(SimulationEngine.Dataset(m, c, 300, 2, 7).Outcome));
    }

    [Test]
    public void Rows_HaveConsistentMetrics_AndTheirCsvRoundTrips()
    {
        var m = SpecLoader.Load(Paths.Dag("confounder.json")).Model;
        var rows = SimulationEngine.Run(m, TreatmentContrast.Resolve(m, null, null), 0.2, new SimulationOptions { Sizes = new[] { 300, 600 }, Replications = 30, Estimators = new[] { "or", "aipw" } });
        Assert.That(rows, Has.Count.EqualTo(4));
        foreach (var r in rows)
        {
            Assert.That(r.Failures, Is.Zero);
            Assert.That(r.Bias, Is.EqualTo(r.Mean - r.Truth).Within(1e-15));
            Assert.That(r.Rmse, Is.EqualTo(Math.Sqrt(r.Mse)).Within(1e-15));
            // MSE = bias² + the variance with denominator K (the engine's variance has K − 1).
            Assert.That(r.Mse, Is.EqualTo(r.Bias * r.Bias + r.Variance * (r.Replications - 1) / r.Replications).Within(1e-12));
            Assert.That(r.CoverageStandardError, Is.EqualTo(Math.Sqrt(r.Coverage * (1 - r.Coverage) / r.Replications)).Within(1e-15));
            Assert.That(r.Coverage, Is.InRange(0.7, 1.0), "adjusted estimators on the confounder model cover");
        }
        var csv = SimulationRow.Csv(rows).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(csv[0], Is.EqualTo("n,estimator,replications,truth,mean,bias,variance,mse,rmse,coverage,coverage_se,mean_se,failures"));
        Assert.That(csv, Has.Length.EqualTo(5));
        Assert.That(double.Parse(csv[1].Split(',')[4], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(rows[0].Mean), "numbers round-trip");
        Assert.Throws<ArgumentOutOfRangeException>(() => SimulationEngine.Run(m, TreatmentContrast.Resolve(m, null, null), 0.2, new SimulationOptions { Replications = 1 }));
    }

    [Test]
    public void Study_HasTheExactTruth_AndItsJsonAndCurves()
    {
        var m = SpecLoader.Load(Paths.Dag("confounder.json")).Model;
        var contrast = TreatmentContrast.Resolve(m, null, null);
        var study = SimulationStudy.Run(m, contrast, new SimulationOptions { Sizes = new[] { 200, 400 }, Replications = 10, Estimators = new[] { "or", "ipw" } });
        // confounder.json's exact ATE (its description) by variable elimination.
        Assert.That(study.TruthMethod, Does.StartWith("exact"));
        Assert.That(study.Truth, Is.EqualTo(0.2).Within(1e-12));
        var json = study.ToJson();
        Assert.That((double)json["truth"]!, Is.EqualTo(study.Truth));
        Assert.That(((Newtonsoft.Json.Linq.JArray)json["rows"]!).Count, Is.EqualTo(4));
        var curves = study.Curves(r => r.Bias, new[] { 200, 400 }, new[] { "or", "ipw" });
        Assert.That(curves.Select(c => c.Estimator), Is.EqualTo(new[] { "or", "ipw" }));
        Assert.That(curves[1].Values[1], Is.EqualTo(study.Rows.Single(r => r.N == 400 && r.Estimator == "ipw").Bias));
        Assert.That(SimulationStudy.Metrics.Select(x => x.Name), Is.EqualTo(new[] { "bias", "variance", "mse", "rmse", "coverage" }));
    }
}
