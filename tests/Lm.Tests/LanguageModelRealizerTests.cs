using HybridSynth.Lm.Llama;
using HybridSynth.Realizer.Consistency;
using HybridSynth.Realizer.Realizers;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Sampling;
using HybridSynth.Verifier.Extraction;
using NUnit.Framework;

namespace HybridSynth.Lm.Tests;

/// <summary>The language-model realizer's mechanics (no quality is expected from these small models).</summary>
public class LanguageModelRealizerTests
{
    [Test]
    public void TheOneWordFiller_IsStillGbnf()
    {
        var g = new TextConstraint([TextSegment.Filler, TextSegment.Literal(" Asia is yes."), TextSegment.Filler, TextSegment.Literal(" Smoke is \"no\".")]).ToGbnf();
        Assert.That(g, Is.EqualTo("root ::= filler \" Asia is yes.\" filler \" Smoke is \\\"no\\\".\"\nfiller ::= (\" \" [a-z]{2,10} \".\")?\n"));
    }

    [Test]
    public void LlamaCpp_WritesLiteralsWithQuotesAndBackslashes_Verbatim()
    {
        using var lm = Fixtures.Tiny(new Llama.LlamaModelOptions { ContextSize = 1024 });
        var constraint = new TextConstraint(new[] { TextSegment.Literal("He said \"no\" \\ done.") });
        Assert.That(lm.Generate("x", new GenerationRequest(60, 1, 0.8, constraint)), Is.EqualTo("He said \"no\" \\ done."));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void RealizerInTheLoop_OnAsiaSkeletons(bool constrained)
    {
        using var lm = Fixtures.Fake();
        var m = SpecLoader.Load(SpecLoader.DefaultSpec).Model;
        var lexicon = new TextLexicon(m);
        var realizer = new LanguageModelRealizer(lm, lexicon, 1, constrained, maxTokens: 64);
        var loop = new ConsistencyLoop(realizer, new TextExtractor(lexicon));
        var chunk = new AncestralSampler(m, 2).SampleRange(0, 4);
        var outcomes = Enumerable.Range(0, 4).Select(i => loop.Correct(i, Enumerable.Range(0, m.Count).Select(v => chunk.Columns[v][i]).ToArray(), 2)).ToList();
        foreach (var o in outcomes)
        {
            Assert.That(o.Rounds, Is.InRange(1, 2));
            Assert.That(o.Extracted, Has.Count.EqualTo(m.Count));
        }
        if (constrained)
            foreach (var o in outcomes)
            {
                // Every fact's mention appears, in order; the prose between is the fake's own and may contradict them.
                var at = 0;
                foreach (var v in Enumerable.Range(0, m.Count))
                {
                    var mention = LanguageModelRealizer.FactSentence(lexicon.Entries[v], o.Skeleton[v]);
                    at = o.Text.IndexOf(mention, at, StringComparison.Ordinal);
                    Assert.That(at, Is.GreaterThanOrEqualTo(0), $"{mention} in {o.Text}");
                }
            }
        TestContext.Out.WriteLine($"{realizer.Name}: {outcomes.Count(o => o.Consistent)}/4 consistent; e.g. {outcomes[0].Text}");
    }

    [Test]
    public void Stories260K_WritesNotes()
    {
        using var lm = Fixtures.Stories(new LlamaModelOptions { ContextSize = 1024 });
        var m = SpecLoader.Load(SpecLoader.DefaultSpec).Model;
        var lexicon = new TextLexicon(m);
        var chunk = new AncestralSampler(m, 3).SampleRange(0, 1);
        var values = Enumerable.Range(0, m.Count).Select(v => chunk.Columns[v][0]).ToArray();
        var free = new LanguageModelRealizer(lm, lexicon, 1, constrained: false, maxTokens: 48).Realize(0, values, Array.Empty<Correction>(), 1);
        Assert.That(free, Is.Not.Empty);
        var constrainedText = new LanguageModelRealizer(lm, lexicon, 1, constrained: true).Realize(0, values, Array.Empty<Correction>(), 1);
        for (var v = 0; v < m.Count; v++) Assert.That(constrainedText, Does.Contain(LanguageModelRealizer.FactSentence(lexicon.Entries[v], values[v])), "every mention, verbatim");
        Assert.That(constrainedText.Length, Is.GreaterThan(Enumerable.Range(0, m.Count).Sum(v => LanguageModelRealizer.FactSentence(lexicon.Entries[v], values[v]).Length) + 8), "and the model's prose");
    }
}
