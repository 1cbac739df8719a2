using HybridSynth.HybridBridge.Data;
using HybridSynth.HybridBridge.Estimators;
using HybridSynth.HybridBridge.Learners;
using HybridSynth.HybridBridge.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.HybridBridge.Tests.Estimators;

/// <summary>
/// The contract of every ATE estimator in the registry: its registry name; on randomised data with a known effect an
/// estimate within 4 SE of the truth with a finite positive SE and an interval that is estimate ∓ z·SE; invariance to the
/// order of the units; shift invariance in Y (adding c to every outcome leaves the ATE unchanged, Horvitz–Thompson's moving
/// by its known drift);
/// anti-symmetry when the arms are swapped; and the NaN policy on one-arm data.
/// </summary>
public class EstimatorContractTests
{
    public static IEnumerable<string> Names => EstimatorRegistry.Names;

    /// <summary>Y = 1 + 0.5 W + τ A + noise with A ~ Bernoulli(1/2): the ATE is τ.</summary>
    private static CausalData Linear(int n, double tau, int seed, double shift = 0)
    {
        var rng = new Random(seed);
        var w = new double[n];
        var a = new int[n];
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            w[i] = rng.NextDouble() * 2 - 1;
            a[i] = rng.Next(2);
            y[i] = 1 + 0.5 * w[i] + tau * a[i] + (rng.NextDouble() - 0.5) + shift;
        }
        return new CausalData([w], ["w"], a, y, binaryOutcome: false);
    }

    private static AteEstimate Estimate(string name, CausalData d) => EstimatorRegistry.Create(name).Estimate(d, NuisanceEstimates.Fit(d, new NuisanceOptions()));

    [TestCaseSource(nameof(Names))]
    public void KeepsTheContract(string name)
    {
        Assert.That(EstimatorRegistry.Create(name).Name, Is.EqualTo(name));
        var d = Linear(3000, 0.7, 1);
        var e = Estimate(name, d);
        Assert.That(e.Estimator, Is.EqualTo(name));
        Assert.That(double.IsFinite(e.StandardError) && e.StandardError > 0, $"SE {e.StandardError}");
        Assert.That(e.Estimate, Is.EqualTo(0.7).Within(4 * e.StandardError));
        Assert.That(e.Lower, Is.EqualTo(e.Estimate - AteEstimate.Z975 * e.StandardError));
        Assert.That(e.Upper, Is.EqualTo(e.Estimate + AteEstimate.Z975 * e.StandardError));
        Assert.That(e.Covers(e.Estimate), Is.True);

        // The order of the units does not matter.
        var order = Enumerable.Range(0, d.Count).OrderBy(i => (i * 7919L) % d.Count).ToArray();
        var permuted = Estimate(name, d.Subset(order));
        Assert.That(permuted.Estimate, Is.EqualTo(e.Estimate).Within(1e-9));
        Assert.That(permuted.StandardError, Is.EqualTo(e.StandardError).Within(1e-9));

        // Shifting every outcome by c leaves the effect alone, except for Horvitz–Thompson IPW, which moves by
        // c · mean(A/g − (1 − A)/(1 − g)) (its weights do not sum to n; Hájek's do).
        var shifted = Estimate(name, Linear(3000, 0.7, 1, shift: 100));
        var g = NuisanceEstimates.Fit(d, new NuisanceOptions()).G;
        var drift = name == "ipw" ? 100 * Enumerable.Range(0, d.Count).Average(i => d.Treatment[i] / g[i] - (1 - d.Treatment[i]) / (1 - g[i])) : 0;
        Assert.That(shifted.Estimate, Is.EqualTo(e.Estimate + drift).Within(1e-6));

        // Swapping the arms negates the effect.
        var swapped = new CausalData(d.Covariates, d.CovariateNames, d.Treatment.Select(t => 1 - t).ToArray(), d.Outcome, false);
        Assert.That(Estimate(name, swapped).Estimate, Is.EqualTo(-e.Estimate).Within(1e-6));
    }

    [TestCaseSource(nameof(Names))]
    public void IntervalsCoverAtTheNominalRate_OnRandomisedData(string name)
    {
        // 80 independent datasets: a 95% interval misses Binomial(80, 0.05) times; P(≥ 10) ≈ 0.003.
        var misses = Enumerable.Range(0, 80).Count(s => !Estimate(name, Linear(400, 0.7, 100 + s)).Covers(0.7));
        Assert.That(misses, Is.LessThan(10), $"{misses} of 80 intervals miss the truth");
    }

    [Test]
    public void EstimateOrNaN_EstimatesEveryEstimator_AndGivesNaNOnOneArmData()
    {
        var ok = EstimatorRegistry.EstimateOrNaN(EstimatorRegistry.Names, Linear(2000, 2.0, 3), new NuisanceOptions());
        Assert.That(ok.Keys, Is.EqualTo(EstimatorRegistry.Names));
        foreach (var e in ok.Values) Assert.That(e.Estimate, Is.EqualTo(2.0).Within(4 * e.StandardError + 1e-9), e.Estimator);
        var d = Linear(200, 2.0, 4);
        var oneArm = new CausalData(d.Covariates, d.CovariateNames, d.Treatment.Select(_ => 1).ToArray(), d.Outcome, false);
        var degenerate = EstimatorRegistry.EstimateOrNaN(EstimatorRegistry.Names, oneArm, new NuisanceOptions());
        Assert.That(degenerate.Values.All(e => double.IsNaN(e.Estimate) && double.IsNaN(e.StandardError)));
        Assert.Throws<ArgumentException>(() => EstimatorRegistry.Create("nope"));
    }
}
