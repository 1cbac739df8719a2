using HybridSynth.Lm.Llama;
using HybridSynth.Lm.Scoring;
using NUnit.Framework;

namespace HybridSynth.Lm.Tests;

/// <summary>The <see cref="ILanguageModel"/> contract, run over every implementation (the fake, llama.cpp on the tiny GGUF and on stories260K).</summary>
[TestFixtureSource(typeof(Fixtures), nameof(Fixtures.Implementations))]
public class ContractTests(string implementation)
{
    // Multi-token candidates, candidates that are prefixes of others, shared prefixes, and a long one.
    private static readonly string[] Candidates = { "2", "25", "250", "high", "higher", "low", "post-menopausal", "pre-menopausal", "x" };

    private ILanguageModel Open(LlamaModelOptions? options = null) => Fixtures.Open(implementation, options);

    [Test]
    public void ChainRule_ScoresAreLogProbabilities_AndSumBelowOne()
    {
        using var m = Open();
        var s = m.Score("The value is ", Candidates, ScoringMode.ChainRule);
        Assert.That(s, Has.Length.EqualTo(Candidates.Length));
        Assert.That(s.All(x => x < 0 && double.IsFinite(x)));
        // The candidates are distinct strings, so their probabilities are those of disjoint continuations... up to
        // prefixes: "2" is a prefix of "25", so only the prefix-free subset must sum below 1.
        var prefixFree = new[] { "high", "low", "x", "post-menopausal" }.Select(c => s[Array.IndexOf(Candidates, c)]);
        Assert.That(prefixFree.Sum(Math.Exp), Is.LessThanOrEqualTo(1.0 + 1e-9));
    }

    [Test]
    public void ChainRule_IsTheSumOfNextTokenLogProbabilities()
    {
        // log P("25" | p) = log P("2" | p) + log P("5" | p + "2") when "2" and "5" are single tokens after the prompt.
        using var m = Open();
        const string prompt = "Age: ";
        var c = ContinuationTokens.Of(m, prompt, new[] { "25", "2" });
        Assume.That(c.Candidates[0].Length == 2 && c.Candidates[1].Length == 1 && c.Candidates[0][0] == c.Candidates[1][0], "the tokenizer splits 25 as 2·5");
        var both = m.Score(prompt, new[] { "25", "2" }, ScoringMode.ChainRule);
        var second = m.Score(prompt + "2", new[] { "5" }, ScoringMode.ChainRule);
        Assert.That(both[0], Is.EqualTo(both[1] + second[0]).Within(1e-4));
    }

    [Test]
    public void Scores_DoNotDependOnEarlierCalls_BitForBit()
    {
        using var m = Open();
        var first = m.Score("a = ", new[] { "1", "2" }, ScoringMode.ChainRule);
        m.Score("something else entirely, much longer = ", Candidates, ScoringMode.ChainRule, new[] { 10, 20 });
        m.Score("a = 1 and then", Candidates, ScoringMode.ChainRule, new[] { 3, 4 });
        Assert.That(m.Score("a = ", new[] { "1", "2" }, ScoringMode.ChainRule), Is.EqualTo(first));
        var reference = m.Score("a = ", new[] { "1", "2" }, ScoringMode.Reference);
        m.Score("zzz", Candidates, ScoringMode.Reference);
        Assert.That(m.Score("a = ", new[] { "1", "2" }, ScoringMode.Reference), Is.EqualTo(reference));
    }

    [Test]
    public void Segments_NeverChangeTheScores()
    {
        using var m = Open();
        const string prompt = "The patient is 45 years old. She has a history of hypertension. Her current medication is ";
        var plain = m.Score(prompt, Candidates, ScoringMode.ChainRule);
        var cut = m.Score(prompt, Candidates, ScoringMode.ChainRule, new[] { 15, 29, 51, 67, prompt.Length - 3 });
        // Other cuts are other decode calls: equal up to floating-point rounding (the same cuts always give the same bits).
        Assert.That(cut, Is.EqualTo(plain).Within(1e-4));
        Assert.That(m.Score(prompt, Candidates, ScoringMode.ChainRule, new[] { 15, 29, 51, 67, prompt.Length - 3 }), Is.EqualTo(cut));
    }

    [Test]
    public void Continuations_ReproduceTheJointTokenisation()
    {
        using var m = Open();
        const string prompt = "The cat sat on the ";
        var c = ContinuationTokens.Of(m, prompt, new[] { "mat", "warm rug" });
        Assert.That(m.Tokenize(prompt, true).Take(c.Context.Length), Is.EqualTo(c.Context));
        Assert.That(c.Context.Concat(c.Candidates[0]), Is.EqualTo(m.Tokenize(prompt + "mat", true)));
        Assert.That(c.Context.Concat(c.Candidates[1]), Is.EqualTo(m.Tokenize(prompt + "warm rug", true)));
    }

    [Test]
    public void Reference_IsTheAverageLogProbabilityAfterTheWholeCandidate_TokenisedAlone()
    {
        // For a candidate c the published score is mean_t log p(c_t | prompt tokens + c's own tokens), the
        // distribution taken after the whole candidate; for a one-token c that is log p(c | prompt + c).
        using var m = Open();
        var scores = m.Score("k: ", new[] { "a", "b", "ab" }, ScoringMode.Reference);
        foreach (var (c, k) in new[] { ("a", 0), ("b", 1), ("ab", 2) })
        {
            var own = m.Tokenize(c, false);
            Assert.That(scores[k], Is.LessThan(0));
            // Byte-level vocabularies tokenise c alone as in running text, so the score is a chain-rule one after prompt + c.
            if (own.Length == 1 && m is not LlamaModel { VocabularySize: 512 })
            {
                var after = m.Score("k: " + c, new[] { c }, ScoringMode.ChainRule)[0];
                Assert.That(scores[k], Is.EqualTo(after).Within(1e-4), c);
            }
        }
    }

    [Test]
    public void LargeDomains_AreScoredInGroups()
    {
        // 150 candidates: more than the sequences of one decode (64 by default, 4 here for llama.cpp).
        using var m = Open(new LlamaModelOptions { MaxSequences = 4 });
        var domain = Enumerable.Range(0, 150).Select(i => $"v{i}").ToArray();
        var all = m.Score("value ", domain, ScoringMode.ChainRule);
        var few = m.Score("value ", domain[..3], ScoringMode.ChainRule);
        Assert.That(all[..3], Is.EqualTo(few).Within(1e-4));
        Assert.That(all.All(double.IsFinite));
    }

    [Test]
    public void Generation_IsSeeded_GreedyIgnoresTheSeed_AndKeepsToItsBudget()
    {
        using var m = Open();
        var a = m.Generate("Note:", new GenerationRequest(20, 5));
        Assert.That(m.Generate("Note:", new GenerationRequest(20, 5)), Is.EqualTo(a));
        Assert.That(System.Text.Encoding.UTF8.GetByteCount(a), Is.LessThanOrEqualTo(20 * 64), "at most 20 tokens' pieces");
        Assert.That(m.Generate("Note:", new GenerationRequest(1, 5, 0)).Length, Is.LessThanOrEqualTo(64));
        Assert.That(m.Generate("Note:", new GenerationRequest(20, 5, 0)), Is.EqualTo(m.Generate("Note:", new GenerationRequest(20, 99, 0))));
    }

    [Test]
    public void ConstrainedGeneration_WritesEveryLiteral_AndOnlyShortFillers()
    {
        using var m = Open(new LlamaModelOptions { ContextSize = 4096 });
        var constraint = new TextConstraint(new[] { TextSegment.Filler, TextSegment.Literal(" Asia is yes."), TextSegment.Filler, TextSegment.Literal(" Smoke is no.") });
        var text = m.Generate("Facts:", new GenerationRequest(200, 3, 0.8, constraint));
        Assert.That(text, Does.Match(@"^( [a-z]{2,10}\.)? Asia is yes\.( [a-z]{2,10}\.)? Smoke is no\.$"), text);
    }

    [Test]
    public void Statistics_CountTheWork()
    {
        using var m = Open();
        var before = m.Statistics;
        m.Score("x = ", new[] { "1", "22" }, ScoringMode.ChainRule);
        var after = m.Statistics;
        Assert.That(after.PromptsScored, Is.EqualTo(before.PromptsScored + 1));
        Assert.That(after.TokensDecoded, Is.GreaterThan(before.TokensDecoded));
    }

    [Test]
    public void Identity_NamesTheModel()
    {
        using var m = Open();
        Assert.That(m.Identity.Kind, Is.AnyOf("fake", "llama.cpp"));
        Assert.That(m.Identity.Digest, Is.Not.Empty);
        Assert.That(m.Identity.CacheKey, Does.StartWith(m.Identity.Kind + ":"));
        Assert.That(m.ContextSize, Is.GreaterThanOrEqualTo(512));
    }
}
