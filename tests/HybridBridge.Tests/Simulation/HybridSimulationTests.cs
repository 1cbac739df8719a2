using HybridSynth.HybridBridge.Hybrid;
using HybridSynth.HybridBridge.Simulation;
using HybridSynth.HybridBridge.Tests.Support;
using Newtonsoft.Json.Linq;
using NUnit.Framework;

namespace HybridSynth.HybridBridge.Tests.Simulation;

/// <summary>The pre-analysis engine: replications drawn from a hybrid model fitted to real data, against that model's own truth.</summary>
public class HybridSimulationTests
{
    [Test]
    public void ReplicationsFromAFittedHybrid_AreJudgedAgainstItsTruth_AndTheEstimatorsRecoverIt()
    {
        var real = XuData.Dataset(2000, 8);
        var hybrid = new HybridOptions { Generator = "copula", RandomisedDesign = true, Seed = 3 };
        var options = new SimulationOptions { Sizes = [400, 1200], Replications = 40, Seed = 5, Estimators = ["or", "aipw"], Threads = 2 };
        var study = SimulationStudy.FromHybrid(real, hybrid, options, new JObject { ["treatment"] = "A" });
        // The truth is the fitted hybrid's ATE: the same fit, the same Monte Carlo draw.
        var (truth, se) = FittedHybrid.Fit(real, hybrid).TrueAte(SimulationStudy.HybridTruthUnits, Scm.Randomness.Seeds.HybridTruth(5));
        Assert.That(study.Truth, Is.EqualTo(truth));
        Assert.That(se, Is.LessThan(0.001), "10^6 units pin the truth down");
        Assert.That(study.TruthMethod, Does.Contain("fitted copula generator"));
        Assert.That(study.Covariates, Is.EqualTo(real.CovariateNames));
        foreach (var row in study.Rows)
        {
            // A randomised hybrid design with the outcome model the data were drawn from: unbiased (within 4 Monte Carlo SEs) and covering.
            Assert.That(Math.Abs(row.Bias), Is.LessThan(4 * Math.Sqrt(row.Variance / 40) + 3 * se), $"{row.Estimator} n={row.N}");
            Assert.That(row.Coverage, Is.GreaterThanOrEqualTo(0.85), $"{row.Estimator} n={row.N}");
        }
        // Replication r of size n depends on (seed, n, r) only.
        var fitted = FittedHybrid.Fit(real, hybrid);
        Assert.That(SimulationEngine.HybridDataset(fitted, 400, 7, 5).Outcome, Is.EqualTo(SimulationEngine.HybridDataset(fitted, 400, 7, 5).Outcome));
        Assert.That(SimulationEngine.HybridDataset(fitted, 400, 7, 5).Outcome, Is.Not.EqualTo(SimulationEngine.HybridDataset(fitted, 400, 8, 5).Outcome));
        var again = SimulationStudy.FromHybrid(real, hybrid, options with { Threads = 1 }, new JObject { ["treatment"] = "A" });
        Assert.That(again.ToJson().ToString(), Is.EqualTo(study.ToJson().ToString()), "the thread count does not matter");
    }
}
