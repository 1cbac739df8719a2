using HybridSynth.Scm.Numerics;
using NUnit.Framework;

namespace HybridSynth.Scm.Tests.Numerics;

/// <summary>The one GLM kernel, checked by the equations that characterise its answers.</summary>
public class GlmTests
{
    private static (double[][] X, double[] YBinary, double[] YLinear) Data(int n, int seed)
    {
        var rng = new Random(seed);
        var x1 = new double[n];
        var x2 = new double[n];
        var yb = new double[n];
        var yl = new double[n];
        for (var i = 0; i < n; i++)
        {
            x1[i] = rng.NextDouble() * 4 - 2;
            x2[i] = rng.Next(3);
            var eta = -0.3 + 0.8 * x1[i] - 0.5 * x2[i];
            yb[i] = rng.NextDouble() < SpecialFunctions.Expit(eta) ? 1 : 0;
            yl[i] = 1 + 2 * x1[i] - x2[i] + rng.NextDouble() - 0.5;
        }
        return (new[] { Enumerable.Repeat(1.0, n).ToArray(), x1, x2 }, yb, yl);
    }

    private static double[] Score(double[][] x, double[] y, double[] eta, GlmFamily family) =>
        x.Select(col => col.Select((v, i) => v * (y[i] - Glm.Mean(family, eta[i]))).Sum()).ToArray();

    [Test]
    public void Logistic_SolvesTheScoreEquations_AndItsLikelihoodIsAMaximum()
    {
        var (x, y, _) = Data(2000, 1);
        var fit = Glm.Fit(x, y, GlmFamily.Binomial);
        // At the MLE Xᵀ(y − μ) = 0; the 10⁻⁹n jitter leaves a residual of order 10⁻⁹n|β|.
        foreach (var s in Score(x, y, fit.LinearPredictor, GlmFamily.Binomial)) Assert.That(Math.Abs(s), Is.LessThan(1e-5));
        Assert.That(fit.Coefficients[1], Is.EqualTo(0.8).Within(4 * 0.06), "the slope is recovered within about 4 SE");
        Assert.That(fit.Iterations, Is.InRange(3, 15));
        // Moving any coefficient lowers the log-likelihood.
        for (var j = 0; j < 3; j++)
        {
            var moved = fit.Coefficients.ToArray();
            moved[j] += 0.01;
            var eta = Enumerable.Range(0, y.Length).Select(i => moved.Select((b, k) => b * x[k][i]).Sum()).ToArray();
            var ll = eta.Select((e, i) => y[i] > 0.5 ? -Math.Log(1 + Math.Exp(-e)) : -Math.Log(1 + Math.Exp(e))).Sum();
            Assert.That(ll, Is.LessThan(fit.LogLikelihood));
        }
    }

    [Test]
    public void Gaussian_IsLeastSquares()
    {
        var (x, _, y) = Data(500, 2);
        var fit = Glm.Fit(x, y, GlmFamily.Gaussian);
        var (beta, rank) = Glm.Solve(x, y);
        Assert.That(rank, Is.EqualTo(3));
        for (var j = 0; j < 3; j++) Assert.That(fit.Coefficients[j], Is.EqualTo(beta[j]).Within(1e-6));
        var (rss, _, residuals) = Glm.LeastSquares(x, y);
        Assert.That(residuals.Sum(r => r * r), Is.EqualTo(rss).Within(1e-9));
        Assert.That(fit.LogLikelihood, Is.EqualTo(-0.5 * 500 * (Math.Log(2 * Math.PI * rss / 500) + 1)).Within(1e-6));
        Assert.That(fit.Iterations, Is.EqualTo(1), "one Newton step is exact for least squares");
    }

    [Test]
    public void Ridge_SolvesThePenalisedScoreEquations_AndLeavesTheInterceptAlone()
    {
        var (x, y, _) = Data(1000, 3);
        const double l2 = 0.05;
        var fit = Glm.Fit(x, y, GlmFamily.Binomial, l2);
        var score = Score(x, y, fit.LinearPredictor, GlmFamily.Binomial);
        Assert.That(Math.Abs(score[0]), Is.LessThan(1e-5), "the intercept is not penalised");
        for (var j = 1; j < 3; j++) Assert.That(score[j], Is.EqualTo(l2 * 1000 * fit.Coefficients[j]).Within(1e-5));
        Assert.That(Math.Abs(fit.Coefficients[1]), Is.LessThan(Math.Abs(Glm.Fit(x, y, GlmFamily.Binomial).Coefficients[1])), "shrunk");
        Assert.Throws<ArgumentOutOfRangeException>(() => Glm.Fit(x, y, GlmFamily.Binomial, -1));
    }

    [Test]
    public void CollinearDesigns_HaveTheirRank_AndStillFit()
    {
        var (x, y, yl) = Data(300, 4);
        var twice = x[1].Select(v => 2 * v).ToArray();
        var design = new[] { x[0], x[1], twice };
        Assert.That(Glm.Rank(design), Is.EqualTo(2));
        Assert.That(Glm.Rank(x), Is.EqualTo(3));
        var collinear = Glm.Fit(design, y, GlmFamily.Binomial);
        var plain = Glm.Fit(new[] { x[0], x[1] }, y, GlmFamily.Binomial);
        Assert.That(collinear.LogLikelihood, Is.EqualTo(plain.LogLikelihood).Within(1e-6), "the same fitted values");
        Assert.That(Glm.LeastSquares(design, yl).Rss, Is.EqualTo(Glm.LeastSquares(new[] { x[0], x[1] }, yl).Rss).Within(1e-6));
    }

    [Test]
    public void Separation_KeepsTheMeanInsideTheUnitInterval()
    {
        var x = new[] { Enumerable.Repeat(1.0, 6).ToArray(), new double[] { -3, -2, -1, 1, 2, 3 } };
        var y = new double[] { 0, 0, 0, 1, 1, 1 };
        var fit = Glm.Fit(x, y, GlmFamily.Binomial);
        Assert.That(fit.Iterations, Is.LessThanOrEqualTo(Glm.MaxIterations));
        foreach (var e in fit.LinearPredictor) Assert.That(Glm.Mean(GlmFamily.Binomial, e), Is.GreaterThan(0).And.LessThan(1));
        Assert.That(fit.LogLikelihood, Is.GreaterThan(-1e-6), "perfect separation: the likelihood tends to 1");
    }
}
