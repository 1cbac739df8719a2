using HybridSynth.HybridBridge.Simulation;
using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.HybridBridge.Tests.Simulation;

/// <summary>
/// Oracle nuisances and the diagnosis of Xu's design: xu_dgp's propensities are near 0 or 1 for most units (its
/// efficiency bound is infinite), so interval coverage fails there for reasons a simulation can separate — AIPW covers once
/// the outcome model is the true one, and everything covers on the overlap control.
/// </summary>
public class OracleNuisanceTests
{
    private static double Expit(double x) => 1 / (1 + Math.Exp(-x));

    [Test]
    public void OracleNuisances_AreTheMechanismsLaws_RowByRow()
    {
        var m = SpecLoader.Load(Paths.Dag("xu_dgp.json")).Model;
        var c = TreatmentContrast.Resolve(m, null, null);
        OracleNuisances.Check(m, c);
        var data = SimulationEngine.Dataset(m, c, 50, 0, 3);
        var table = Scm.Tables.DataTable.FromColumns(m.Variables, new Scm.Sampling.AncestralSampler(m, Scm.Randomness.Seeds.SimulationDataset(3, 50, 0)).SampleRange(0, 50).Columns);
        var (arms, g, q1, q0) = OracleNuisances.Compute(m, c, table);
        Assert.That(arms, Is.EqualTo(data.Treatment));
        double W(string name, int r) => table.AsDoubles(m.IndexOf(name))[r];
        for (var r = 0; r < 50; r++)
        {
            double w1 = W("W1", r), w2 = W("W2", r), w3 = W("W3", r), w4 = W("W4", r), w5 = W("W5", r), w6 = W("W6", r);
            Assert.That(g[r], Is.EqualTo(Expit(-30 + 16 * w1 - 24 * w2 + 12 * w3 + 6 * w4 - 10 * w5 + 16 * w6)).Within(1e-12));
            var tau = 2 + 0.5 * Math.Sin(w1) + 0.3 * Math.Log(Math.Abs(w2) + 1) - 0.2 * w3 * w3 + 0.1 * Math.Exp(w4) - 0.3 * Math.Tanh(w5) + 0.2 * Math.Cos(w6);
            var baseline = -0.5 + 0.5 * w1 + w2 - w3 + 0.2 * w4 - 0.3 * w5 + 0.1 * w6;
            Assert.That(q1[r], Is.EqualTo(Expit(baseline + tau)).Within(1e-12));
            Assert.That(q0[r], Is.EqualTo(Expit(baseline)).Within(1e-12));
        }
    }

    [Test]
    public void Oracle_IsRefused_WhereTheOutcomesMechanismIsNotEOfYGivenAAndW()
    {
        var m = SpecLoader.Load(Paths.Dag("mediator.json")).Model;
        var c = TreatmentContrast.Resolve(m, null, null);
        Assert.That(() => OracleNuisances.Check(m, c), Throws.InstanceOf<ModelException>().With.Message.Contains("mediator"));
        Assert.That(() => SimulationEngine.Run(m, c, 0, new SimulationOptions { Sizes = [100], Replications = 2, Nuisances = [NuisanceSource.Oracle] }), Throws.InstanceOf<ModelException>());
    }

    [Test]
    public void XuDgp_AipwCoversWithTheTrueOutcomeModel_NotWithTheFittedOne()
    {
        var m = SpecLoader.Load(Paths.Dag("xu_dgp.json")).Model;
        var c = TreatmentContrast.Resolve(m, null, null);
        const int reps = 60;
        var rows = SimulationEngine.Run(m, c, 0.41845, new SimulationOptions
        {
            Sizes = [2000], Replications = reps, Threads = 2, Estimators = ["aipw"],
            Nuisances = [NuisanceSource.Fitted, NuisanceSource.Oracle, NuisanceSource.OracleQ],
        }).ToDictionary(r => r.Estimator);
        // Binomial band on 60 replications around 95%: ≥ 0.95 − 3·√(0.95·0.05/60) ≈ 0.866.
        var floor = 0.95 - 3 * Math.Sqrt(0.95 * 0.05 / reps);
        Assert.That(rows["aipw@oracle"].Coverage, Is.GreaterThanOrEqualTo(floor));
        Assert.That(rows["aipw@oracle-q"].Coverage, Is.GreaterThanOrEqualTo(floor));
        Assert.That(rows["aipw"].Coverage, Is.LessThan(floor), "the misspecified outcome model, with truncated propensities, does not cover");
        Assert.That(Math.Abs(rows["aipw@oracle"].Bias), Is.LessThan(4 * Math.Sqrt(rows["aipw@oracle"].Variance / reps)));
    }

    [Test]
    public void XuDgpWithOverlap_AipwAndTmleCover_WithTheMisspecifiedOutcomeModel()
    {
        var m = SpecLoader.Load(Paths.Dag("xu_dgp_overlap.json")).Model;
        var c = TreatmentContrast.Resolve(m, null, null);
        var (truth, _) = SimulationStudy.TrueEffect(m, c, 1, 2);
        Assert.That(truth, Is.EqualTo(0.4185).Within(0.001), "the same outcome model as xu_dgp, so the same ATE");
        const int reps = 60;
        var rows = SimulationEngine.Run(m, c, truth, new SimulationOptions { Sizes = [2000], Replications = reps, Threads = 2, Estimators = ["aipw", "tmle", "tmle-weighted"] });
        var floor = 0.95 - 3 * Math.Sqrt(0.95 * 0.05 / reps);
        foreach (var r in rows)
        {
            Assert.That(r.Coverage, Is.GreaterThanOrEqualTo(floor), r.Estimator);
            Assert.That(Math.Abs(r.Bias), Is.LessThan(4 * Math.Sqrt(r.Variance / reps)), r.Estimator);
        }
    }
}
