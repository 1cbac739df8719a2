using HybridSynth.HybridBridge.Learners;
using NUnit.Framework;

namespace HybridSynth.HybridBridge.Tests.Learners;

/// <summary>The super learner's convex weights (exact, against a search over the simplex) and its choice among candidates.</summary>
public class SuperLearnerTests
{
    [Test]
    public void ConvexLeastSquares_RecoversAnExactMixture_AndMatchesASimplexSearch()
    {
        var rng = new Random(4);
        const int n = 300;
        var z = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray()).ToArray();
        var y = Enumerable.Range(0, n).Select(i => 0.3 * z[0][i] + 0.7 * z[1][i]).ToArray();
        Assert.That(SuperLearner.ConvexLeastSquares(z, y), Is.EqualTo(new[] { 0.3, 0.7, 0.0 }).Within(1e-9));
        // A target outside the hull (the unconstrained optimum has a negative weight): compare with a fine grid on the simplex.
        var y2 = Enumerable.Range(0, n).Select(i => 1.4 * z[0][i] - 0.6 * z[2][i] + 0.1 * (rng.NextDouble() - 0.5)).ToArray();
        var alpha = SuperLearner.ConvexLeastSquares(z, y2);
        double Loss(double[] a) => Enumerable.Range(0, n).Sum(i => Math.Pow(y2[i] - a[0] * z[0][i] - a[1] * z[1][i] - a[2] * z[2][i], 2));
        Assert.That(alpha.Sum(), Is.EqualTo(1).Within(1e-12));
        Assert.That(alpha.All(a => a >= 0));
        var best = double.PositiveInfinity;
        for (var i = 0; i <= 200; i++)
            for (var j = 0; i + j <= 200; j++) best = Math.Min(best, Loss([i / 200.0, j / 200.0, (200 - i - j) / 200.0]));
        Assert.That(Loss(alpha), Is.LessThanOrEqualTo(best + 1e-9));
    }

    [Test]
    public void PutsItsWeightOnTheCandidateThatFitsTheSignal()
    {
        // y = 2·x1·x2 + noise: the main-terms GLM cannot fit it, the interaction GLM is the true model.
        var rng = new Random(9);
        const int n = 1500;
        var x1 = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        var x2 = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        var y = Enumerable.Range(0, n).Select(i => 2 * x1[i] * x2[i] + 0.3 * (rng.NextDouble() - 0.5)).ToArray();
        var fit = (SuperLearner.Model)SuperLearner.Default(classification: false, seed: 2).Fit([x1, x2], y);
        Assert.That(fit.Weights.Sum(), Is.EqualTo(1).Within(1e-12));
        Assert.That(fit.Weights[1], Is.GreaterThan(0.8), string.Join(", ", fit.Weights));
        Assert.That(fit.CrossValidatedRisk[1], Is.LessThan(0.2 * fit.CrossValidatedRisk[0]), "the interaction GLM's CV risk is far below the main-terms GLM's");
        // Its predictions track the truth on new points.
        double[] t1 = [0.5, -0.5, 0.9], t2 = [0.5, 0.5, -0.8];
        var p = fit.Predict([t1, t2], 3);
        for (var i = 0; i < 3; i++) Assert.That(p[i], Is.EqualTo(2 * t1[i] * t2[i]).Within(0.1));
    }
}
