using NUnit.Framework;

namespace HybridSynth.HybridBridge.Tests.Learners;

/// <summary>The random forest learner.</summary>
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
