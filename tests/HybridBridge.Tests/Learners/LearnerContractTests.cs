using HybridSynth.HybridBridge.Learners;
using NUnit.Framework;

namespace HybridSynth.HybridBridge.Tests.Learners;

/// <summary>
/// The contract of every nuisance learner (GLM linear and logistic, ridge GLM, regression and probability forests):
/// one prediction per row, probabilities in [0, 1] for classifiers, deterministic fits, and a fit that beats the
/// constant predictor on held-out rows of a learnable signal.
/// </summary>
public class LearnerContractTests
{
    public static IEnumerable<TestCaseData> Learners()
    {
        yield return new TestCaseData(new GeneralisedLinearModel(logistic: false)).SetName("linear");
        yield return new TestCaseData(new GeneralisedLinearModel(logistic: false, l2: 0.01)).SetName("linear ridge");
        yield return new TestCaseData(new GeneralisedLinearModel(logistic: true)).SetName("logistic");
        yield return new TestCaseData(new GeneralisedLinearModel(logistic: true, l2: 0.01)).SetName("logistic ridge");
        yield return new TestCaseData(new RandomForest(classification: false, trees: 25, seed: 3)).SetName("regression forest");
        yield return new TestCaseData(new RandomForest(classification: true, trees: 25, seed: 3)).SetName("probability forest");
        yield return new TestCaseData(new InteractionGlm(logistic: false)).SetName("linear with interactions");
        yield return new TestCaseData(new InteractionGlm(logistic: true)).SetName("logistic with interactions");
        yield return new TestCaseData(SuperLearner.Default(classification: false, seed: 3)).SetName("super learner (regression)");
        yield return new TestCaseData(SuperLearner.Default(classification: true, seed: 3)).SetName("super learner (classification)");
    }

    private static bool IsClassifier(ILearner l) => l is GeneralisedLinearModel { Logistic: true } or RandomForest { Classification: true }
        || l.Name.StartsWith("logistic with") || l is SuperLearner s && IsClassifier(s.Candidates[0]);

    private static (double[][] X, double[] Y) Data(int n, int seed, bool binary)
    {
        var rng = new Random(seed);
        var x1 = new double[n];
        var x2 = new double[n];
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            x1[i] = rng.NextDouble() * 2 - 1;
            x2[i] = rng.NextDouble() * 2 - 1;
            var signal = 1.5 * x1[i] - x2[i];
            y[i] = binary ? (rng.NextDouble() < 1 / (1 + Math.Exp(-2 * signal)) ? 1 : 0) : signal + 0.3 * (rng.NextDouble() - 0.5);
        }
        return ([x1, x2], y);
    }

    [TestCaseSource(nameof(Learners))]
    public void KeepsTheContract(ILearner learner)
    {
        Assert.That(learner.Name, Is.Not.Empty);
        var binary = IsClassifier(learner);
        var (x, y) = Data(1500, 1, binary);
        var (xt, yt) = Data(500, 2, binary);
        var fit = learner.Fit(x, y);
        var p = fit.Predict(xt, 500);
        Assert.That(p, Has.Length.EqualTo(500));
        Assert.That(p.All(double.IsFinite));
        if (binary) Assert.That(p.All(v => v is >= 0 and <= 1), "probabilities");
        Assert.That(learner.Fit(x, y).Predict(xt, 500), Is.EqualTo(p), "deterministic");
        // Held-out squared error (Brier score for classifiers) below the constant predictor's.
        var mean = y.Average();
        double Loss(Func<int, double> f) => Enumerable.Range(0, 500).Average(i => (yt[i] - f(i)) * (yt[i] - f(i)));
        Assert.That(Loss(i => p[i]), Is.LessThan(0.8 * Loss(_ => mean)));
    }
}
