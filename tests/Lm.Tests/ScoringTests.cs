using HybridSynth.Lm.Runtime;
using HybridSynth.Lm.Scoring;
using NUnit.Framework;

namespace HybridSynth.Lm.Tests;

public class ScoringTests
{
    // Multi-token candidates, candidates that are prefixes of others, shared prefixes, and a long one.
    private static readonly string[] Candidates = { "2", "25", "250", "high", "higher", "low", "post-menopausal", "pre-menopausal", "x" };

    private static void TrieEqualsNaive(LanguageModel m, string prompt, string[] candidates)
    {
        var s = new CandidateScorer(m);
        var trie = s.ChainRule(prompt, candidates);
        var naive = s.ChainRuleNaive(prompt, candidates);
        Assert.That(trie, Is.EqualTo(naive).Within(1e-4));
        Assert.That(trie.All(x => x < 0 && double.IsFinite(x)));
    }

    [Test]
    public void Trie_EqualsNaive_TinyByteLevelModel()
    {
        using var m = Fixtures.Tiny();
        TrieEqualsNaive(m, "The value is ", Candidates);
        TrieEqualsNaive(m, "", Candidates); // BOS only
    }

    [Test]
    public void Trie_EqualsNaive_Stories260K_SentencePiece()
    {
        using var m = Fixtures.Stories();
        TrieEqualsNaive(m, "Once upon a time, there was a little girl. She was ", Candidates);
        TrieEqualsNaive(m, "Tom liked to play with his", new[] { " ball", " dog", " toys", " big red ball", " friend" });
    }

    [Test]
    public void Trie_EqualsNaive_WhenCandidatesExceedTheSequences()
    {
        using var m = Fixtures.Tiny(new LanguageModelOptions { MaxSequences = 4 });
        TrieEqualsNaive(m, "v: ", Candidates);
    }

    [Test]
    public void Continuations_ReproduceTheJointTokenisation()
    {
        using var m = Fixtures.Stories();
        const string prompt = "The cat sat on the ";
        var c = ContinuationTokens.Of(m, prompt, new[] { "mat", "warm rug" });
        Assert.That(m.Tokenize(prompt, true).Take(c.Context.Length), Is.EqualTo(c.Context));
        Assert.That(c.Context.Concat(c.Candidates[0]), Is.EqualTo(m.Tokenize(prompt + "mat", true)));
        Assert.That(c.Context.Concat(c.Candidates[1]), Is.EqualTo(m.Tokenize(prompt + "warm rug", true)));
    }

    [Test]
    public void Scores_DoNotDependOnEarlierCalls()
    {
        using var m = Fixtures.Tiny();
        var s = new CandidateScorer(m);
        var first = s.ChainRule("a = ", new[] { "1", "2" });
        s.ChainRule("something else entirely, much longer = ", Candidates);
        Assert.That(s.ChainRule("a = ", new[] { "1", "2" }), Is.EqualTo(first));
    }

    [Test]
    public void Reference_IsTheAverageLogProbabilityAfterTheWholeCandidate()
    {
        // For a one-token candidate c the published score is log p(c | prompt + c): the chain-rule score of c after prompt + c.
        using var m = Fixtures.Tiny();
        var s = new CandidateScorer(m);
        var reference = s.Reference("k: ", new[] { "a", "b", "c" });
        for (var k = 0; k < 3; k++)
        {
            var c = "abc"[k].ToString();
            Assert.That(reference[k], Is.EqualTo(s.ChainRuleNaive("k: " + c, new[] { c })[0]).Within(1e-4));
        }
    }

    [Test]
    public void Normalise_SumsToOne_AndTemperatureFlattens()
    {
        var p = CandidateScorer.Normalise(new[] { -1.0, -2.0, -5.0 });
        Assert.That(p.Sum(), Is.EqualTo(1.0).Within(1e-15));
        Assert.That(p[0] / p[1], Is.EqualTo(Math.E).Within(1e-12));
        var hot = CandidateScorer.Normalise(new[] { -1.0, -2.0, -5.0 }, temperature: 1000);
        Assert.That(hot.Max() - hot.Min(), Is.LessThan(0.01));
    }
}

public class BpeBoundaryTests
{
    [Test]
    public void Gpt2Bpe_MergesAcrossThePromptBoundary_AndTheContinuationHandlesIt()
    {
        var path = HybridSynth.Scm.Tests.Support.Paths.Shared("models/ggml-vocab-gpt-2.gguf");
        Fixtures.RequireRuntime();
        using var vocab = LanguageModel.LoadVocabulary(path);
        Assert.That(vocab.VocabularySize, Is.EqualTo(50257));
        const string prompt = "The patient is ";
        var alone = vocab.Tokenize(prompt, true);
        var joint = vocab.Tokenize(prompt + "45", true);
        // GPT-2 writes the space and the number as one token " 45": the prompt's tokens are not a prefix of the joint ones.
        Assert.That(joint.Take(alone.Length), Is.Not.EqualTo(alone));
        var c = ContinuationTokens.Of(vocab, prompt, new[] { "45", "55", "high" });
        Assert.That(c.Context.Concat(c.Candidates[0]), Is.EqualTo(joint));
        Assert.That(vocab.Piece(c.Candidates[0][0]), Is.EqualTo(" 45"));
        Assert.That(c.Context, Is.EqualTo(alone.Take(c.Context.Length)));
    }
}
