using HybridSynth.HybridBridge.Estimators;
using HybridSynth.HybridBridge.Generators;
using HybridSynth.HybridBridge.Hybrid;
using HybridSynth.HybridBridge.Simulation;
using HybridSynth.HybridBridge.Tests.Support;
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.HybridBridge.Tests.Hybrid;

/// <summary>
/// Positivity augmentation keeps the estimand (the ATE over the real covariate law) and valid standard errors: synthetic
/// units inform the nuisance fits only, and the standard error is the bootstrap's over the real units. The long version of
/// the simulation below is benchmarks/validity/augmentation.sh (its figures are in the README).
/// </summary>
public class PositivityAugmentationTests
{
    [Test]
    public void WithNothingToAugment_TheEstimatesAreThePlainOnes_OverTheRealUnits()
    {
        var real = XuData.Dataset(1500, 4);
        var options = new NuisanceOptions();
        // ε so small that no unit is extreme: no synthetic unit, so the estimates are exactly the plain estimators'.
        var (estimates, added) = PositivityAugmentation.Estimate(real, 1e-12, GeneratorRegistry.Create("copula"), 1, options, ["or", "ipw", "aipw", "tmle"], bootstrap: 20);
        Assert.That(added, Is.Zero);
        Assert.That(estimates.Select(e => e.Estimator), Is.EqualTo(new[] { "or", "aipw", "tmle" }), "IPW needs the real treatment mechanism: not augmented");
        var nu = NuisanceEstimates.Fit(real, options);
        foreach (var e in estimates)
        {
            Assert.That(e.Estimate, Is.EqualTo(EstimatorRegistry.Create(e.Estimator).Estimate(real, nu).Estimate).Within(1e-12), e.Estimator);
            Assert.That(e.StandardError, Is.GreaterThan(0));
        }
    }

    [Test]
    public void UnderLimitedOverlap_RealUnitsAugmentationCovers_AndCountingSyntheticUnitsAsRealDoesNot()
    {
        var model = SpecLoader.Load(Paths.Dag("limited_overlap.json")).Model;
        var contrast = TreatmentContrast.Resolve(model, null, null);
        const int reps = 30;
        var options = new SimulationOptions { Sizes = [1000], Replications = reps, Seed = 3, Estimators = ["aipw", "tmle"], Threads = 2 };
        var real = SimulationEngine.Run(model, contrast, 1.0, options with { Augmentation = new SimulationAugmentation(0.05, "copula", AugmentationMode.RealUnits, 20) });
        var pooled = SimulationEngine.Run(model, contrast, 1.0, options with { Augmentation = new SimulationAugmentation(0.05, "copula", AugmentationMode.Pooled) });
        SimulationRow Row(IReadOnlyList<SimulationRow> rows, string name) => rows.Single(r => r.Estimator == name);
        foreach (var e in new[] { "aipw", "tmle" })
        {
            var plain = Row(real, e);
            var augmented = Row(real, e + "+aug");
            var counted = Row(pooled, e + "+aug-pooled");
            // 30 replications: a coverage's binomial SE is about 0.04 at 0.95. The real-units interval covers (expected about
            // 0.95; at least 0.85), and is honest about its spread: the mean SE is within 30% of the replicates' SD.
            Assert.That(augmented.Coverage, Is.GreaterThanOrEqualTo(0.85), $"{e}+aug coverage");
            Assert.That(augmented.MeanStandardError / Math.Sqrt(augmented.Variance), Is.InRange(0.7, 1.3), $"{e}+aug: SE vs SD");
            // Counting synthetic units as observations shrinks the SE below the spread, and coverage falls.
            Assert.That(counted.MeanStandardError / Math.Sqrt(counted.Variance), Is.LessThan(0.8), $"{e}+aug-pooled: SE vs SD");
            Assert.That(counted.Coverage, Is.LessThan(augmented.Coverage), $"{e}: pooled vs real units");
            // Where augmentation helps: the propensity weights no longer explode, so the RMSE falls.
            Assert.That(augmented.Rmse, Is.LessThan(plain.Rmse), $"{e}: RMSE with vs without augmentation");
        }
    }
}
