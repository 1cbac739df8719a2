using HybridSynth.Lm.Runtime;
using HybridSynth.Lm.Scoring;
using HybridSynth.Scm.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.Lm.Tests;

public class Smoke
{
    [Test]
    public void Stories()
    {
        using var m = LanguageModel.Load(Paths.Shared("models/stories260K.gguf"));
        TestContext.Out.WriteLine($"{m.Description} vocab {m.VocabularySize} bos {m.Bos} addbos {m.AddBos} ctx {m.ContextSize}");
        var s = new CandidateScorer(m);
        var cands = new[] { "to", "with", "toys", "the ball", "to play" };
        var a = s.ChainRule("Once upon a time, she loved to play", cands);
        var b = s.ChainRuleNaive("Once upon a time, she loved to play", cands);
        TestContext.Out.WriteLine(string.Join(" ", a) + "\n" + string.Join(" ", b));
        Assert.That(a, Is.EqualTo(b).Within(1e-4));
    }
}
