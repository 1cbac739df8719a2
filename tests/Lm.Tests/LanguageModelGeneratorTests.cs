using HybridSynth.HybridBridge.Generators;
using HybridSynth.Lm.Mechanisms;
using NUnit.Framework;

namespace HybridSynth.Lm.Tests;

public class LanguageModelGeneratorTests
{
    [Test]
    public void GreatStyleGenerator_DrawsCandidateValues_Deterministically()
    {
        using var lm = Fixtures.Fake();
        var session = new LanguageModelSession(lm);
        var w1 = Enumerable.Range(0, 50).Select(i => (double)(i % 2)).ToArray();
        var w2 = Enumerable.Range(0, 50).Select(i => i * 0.37).ToArray();
        var table = new ColumnTable(new[] { "W1", "W2" }, new[] { w1, w2 });
        var generator = new LanguageModelGenerator(session, examples: 2).Fit(table, 1);
        var a = generator.Sample(20, 5);
        var b = generator.Sample(20, 5);
        Assert.That(a.Columns, Is.EqualTo(b.Columns));
        Assert.That(a.Columns[0], Is.All.AnyOf(0.0, 1.0));
        Assert.That(a.Columns[1].All(x => x >= w2.Min() && x <= w2.Max()));
        Assert.That(session.DistinctPrompts, Is.GreaterThan(0));
    }
}
