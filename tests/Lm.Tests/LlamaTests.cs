using HybridSynth.Lm.Gguf;
using HybridSynth.Lm.Llama;
using HybridSynth.Lm.Mechanisms;
using HybridSynth.Lm.Scoring;
using HybridSynth.Scm.Errors;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Tests.Support;
using Newtonsoft.Json.Linq;
using NUnit.Framework;

namespace HybridSynth.Lm.Tests;

/// <summary>llama.cpp through LLamaSharp: loading, vocabularies, the scoring strategies against each other and against the golden scores of the previous (own P/Invoke) runtime.</summary>
public class LlamaTests
{
    private static readonly string[] Candidates = { "2", "25", "250", "high", "higher", "low", "post-menopausal", "pre-menopausal", "x" };

    [Test]
    public void Runtime_ReportsItsBackend()
    {
        Fixtures.RequireRuntime();
        var info = LlamaRuntime.EnsureInitialized();
        Assert.That(info.LlamaSharpVersion, Does.StartWith("0.30.0"));
        Assert.That(info.Variant, Does.StartWith("cpu-").Or.EqualTo("cuda").Or.EqualTo("vulkan").Or.EqualTo("custom"));
        Assert.That(info.Devices, Is.Not.Empty);
        using var m = Fixtures.Tiny();
        if (!info.GpuOffload) Assert.That(m.GpuLayers, Is.EqualTo(0), "no GPU backend: nothing is offloaded");
        else Assert.That(m.GpuLayers, Is.GreaterThan(0), "a GPU backend: every layer is offloaded by default");
        Assert.That((string)m.Identity.Properties["backend"]!, Does.Contain("LLamaSharp 0.30.0").And.Contain(info.Variant));
    }

    [Test]
    public void TinyModel_LoadsWithItsByteLevelVocabulary()
    {
        using var m = Fixtures.Tiny();
        Assert.That(m.VocabularySize, Is.EqualTo(257));
        Assert.That(m.AddsBos, Is.True);
        Assert.That(m.Bos, Is.EqualTo(256));
        Assert.That(m.Tokenize("Hi 2", addSpecial: true), Is.EqualTo(new[] { 256, 'H', 'i', ' ', '2' }));
        Assert.That(m.Piece('a'), Is.EqualTo("a"));
    }

    [Test]
    public void Stories260K_HasASentencePieceVocabulary()
    {
        using var m = Fixtures.Stories();
        Assert.That(m.VocabularySize, Is.EqualTo(512));
        Assert.That(m.Bos, Is.EqualTo(1));
        var tokens = m.Tokenize("Once upon a time", addSpecial: true);
        Assert.That(tokens[0], Is.EqualTo(1));
        Assert.That(string.Concat(tokens.Skip(1).Select(m.Piece)).Trim(), Is.EqualTo("Once upon a time"));
    }

    [Test]
    public void MissingFile_IsAOneLineInputFileError()
    {
        var e = Assert.Throws<InputFileException>(() => LlamaModel.Load("/no/such/model.gguf"))!;
        Assert.That(e.Message, Is.EqualTo("/no/such/model.gguf: no such file"));
        Assert.That(e.Path, Is.EqualTo("/no/such/model.gguf"));
    }

    [Test]
    public void NotAGgufFile_IsALocatedError()
    {
        var path = Path.Combine(Paths.TempDir(), "text.gguf");
        File.WriteAllText(path, "hello");
        var e = Assert.Throws<SpecException>(() => LlamaModel.Load(path))!;
        Assert.That(e.ToOneLine(), Does.StartWith($"{path}:1:1: not a GGUF model"));
    }

    [Test]
    public void TruncatedGguf_IsALocatedError_NotACrash()
    {
        Fixtures.RequireRuntime();
        var path = Path.Combine(Paths.TempDir(), "truncated.gguf");
        var bytes = File.ReadAllBytes(Fixtures.TinyModelPath);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<SpecException>(() => LlamaModel.Load(path))!;
        Assert.That(e.ToOneLine(), Does.StartWith($"{path}:1:1: llama.cpp could not load"));
    }

    [Test]
    public void SyntheticWriter_IsDeterministic()
    {
        var dir = Paths.TempDir();
        SyntheticModel.Write(Path.Combine(dir, "a.gguf"), ModelShape.Tiny, 3);
        SyntheticModel.Write(Path.Combine(dir, "b.gguf"), ModelShape.Tiny, 3);
        SyntheticModel.Write(Path.Combine(dir, "c.gguf"), ModelShape.Tiny, 4);
        Assert.That(File.ReadAllBytes(Path.Combine(dir, "a.gguf")), Is.EqualTo(File.ReadAllBytes(Path.Combine(dir, "b.gguf"))));
        Assert.That(File.ReadAllBytes(Path.Combine(dir, "a.gguf")), Is.Not.EqualTo(File.ReadAllBytes(Path.Combine(dir, "c.gguf"))));
    }

    [Test]
    public void QuantisedSyntheticModel_Loads()
    {
        Fixtures.RequireRuntime();
        var path = Path.Combine(Paths.TempDir(), "q8.gguf");
        SyntheticModel.Write(path, ModelShape.Tiny with { Embedding = 64, FeedForward = 128 }, 5, quantized: true);
        using var m = LlamaModel.Load(path, new LlamaModelOptions { Threads = 1 });
        Assert.That(m.Score("x = ", new[] { "1", "22" }, ScoringMode.ChainRule).All(double.IsFinite));
    }

    private static void StrategiesAgree(Func<LlamaModelOptions, LlamaModel> open, string prompt, string[] candidates)
    {
        using var naive = open(new LlamaModelOptions { Strategy = ScoringStrategy.Naive });
        using var trie = open(new LlamaModelOptions { Strategy = ScoringStrategy.Trie });
        using var cached = open(new LlamaModelOptions { Strategy = ScoringStrategy.PrefixCache });
        foreach (var mode in new[] { ScoringMode.ChainRule, ScoringMode.Reference })
        {
            var a = naive.Score(prompt, candidates, mode);
            Assert.That(trie.Score(prompt, candidates, mode), Is.EqualTo(a).Within(1e-4), mode.ToString());
            Assert.That(cached.Score(prompt, candidates, mode, new[] { prompt.Length / 2 }), Is.EqualTo(a).Within(1e-4), mode.ToString());
        }
    }

    [Test]
    public void Strategies_Agree_TinyByteLevelModel()
    {
        StrategiesAgree(Fixtures.Tiny, "The value is ", Candidates);
        StrategiesAgree(Fixtures.Tiny, "", Candidates); // BOS only
    }

    [Test]
    public void Strategies_Agree_Stories260K_SentencePiece()
    {
        StrategiesAgree(Fixtures.Stories, "Once upon a time, there was a little girl. She was ", Candidates);
        StrategiesAgree(Fixtures.Stories, "Tom liked to play with his", new[] { " ball", " dog", " toys", " big red ball", " friend" });
    }

    [Test]
    public void PrefixCache_GivesBitIdenticalScores_InAnyOrder()
    {
        // The breast-cancer prompts of 30 rows, scored fresh (trie from an empty cache) and with the prefix cache in
        // three orders: every score equal bit for bit, and most prompts start from a kept prefix.
        using var fresh = Fixtures.Stories(new LlamaModelOptions { Strategy = ScoringStrategy.Trie });
        using var cached = Fixtures.Stories();
        var session = new LanguageModelSession(fresh);
        var model = JsonSpecReader.ReadFile(Path.Combine(Paths.RepoRoot, "benchmarks/dags/breast_cancer_sdscm.json"), session.Readers);
        var rng = new Random(3);
        var prompts = new List<(string Text, int[] Segments, string[] Candidates)>();
        for (var r = 0; r < 30; r++)
        {
            var values = new double[model.Count];
            foreach (var v in model.Graph.TopologicalOrder)
            {
                var mech = (LanguageModelMechanism)model.Mechanisms[v];
                var (text, segments) = mech.PromptWithSegments(mech.Parents.Select(p => values[p]).ToArray());
                prompts.Add((text, segments, mech.Candidates.ToArray()));
                values[v] = rng.Next(model[v].Cardinality);
            }
        }
        var expected = prompts.Select(p => fresh.Score(p.Text, p.Candidates, ScoringMode.ChainRule)).ToList();
        foreach (var order in new[] { Enumerable.Range(0, prompts.Count), Enumerable.Range(0, prompts.Count).Reverse(), Enumerable.Range(0, prompts.Count).OrderBy(i => prompts[i].Text, StringComparer.Ordinal) })
            foreach (var i in order)
                Assert.That(cached.Score(prompts[i].Text, prompts[i].Candidates, ScoringMode.ChainRule, prompts[i].Segments), Is.EqualTo(expected[i]), prompts[i].Text);
        var stats = cached.Statistics;
        Assert.That(stats.PrefixHits, Is.GreaterThan(stats.PromptsScored / 2));
        Assert.That(stats.TokensReused, Is.GreaterThan(stats.TokensDecoded));
    }

    [Test]
    public void GoldenScores_OfTheOwnBindingRuntime_HoldWithin1e4()
    {
        // Recorded from the previous runtime (our own P/Invoke binding to llama.cpp v0.5.0) before it was removed.
        var path = Path.Combine(Paths.RepoRoot, "tests/Lm.Tests/Golden/stories260k-scores.json");
        var golden = JObject.Parse(File.ReadAllText(path))["stories260K"]!;
        using var m = Fixtures.Stories();
        Assert.That(m.Identity.Digest, Is.EqualTo(golden["sha256"]!.Value<string>()));
        var cases = (JArray)golden["cases"]!;
        Assert.That(cases, Has.Count.EqualTo(32));
        var worst = 0.0;
        foreach (var c in cases)
        {
            var prompt = c["prompt"]!.Value<string>()!;
            var candidates = c["candidates"]!.Values<string>().ToArray()!;
            var scores = m.Score(prompt, candidates!, ScoringMode.ChainRule);
            var expected = c["chain_rule"]!.Values<double>().ToArray();
            Assert.That(scores, Is.EqualTo(expected).Within(1e-4), prompt);
            Assert.That(scores, Is.EqualTo(c["chain_rule_naive"]!.Values<double>().ToArray()).Within(1e-4), prompt);
            worst = Math.Max(worst, scores.Zip(expected, (a, b) => Math.Abs(a - b)).Max());
        }
        TestContext.Out.WriteLine($"largest difference from the golden chain-rule scores: {worst:E2}");
    }

    [Test]
    public void SmallContexts_Work_AndOverflowIsAClearError()
    {
        // llama.cpp caps a batch at the context: a context below the 512-token batch must still work.
        using var m = Fixtures.Tiny(new LlamaModelOptions { ContextSize = 128 });
        Assert.That(m.ContextSize, Is.GreaterThanOrEqualTo(128));
        Assert.That(m.Score("v = ", new[] { "1", "2" }, ScoringMode.ChainRule).All(double.IsFinite));
        var longPrompt = string.Concat(Enumerable.Repeat("abcdefgh", 40));
        var e = Assert.Throws<InvalidOperationException>(() => m.Score(longPrompt, new[] { "1" }, ScoringMode.ChainRule))!;
        Assert.That(e.Message, Does.Contain("raise the context"));
        Assert.Throws<ArgumentException>(() => m.Generate(longPrompt, new GenerationRequest(10, 1)));
    }

    [Test]
    public void Options_OutOfRange_AreRefusedBeforeLoading()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LlamaModel.Load(Fixtures.TinyModelPath, new LlamaModelOptions { Threads = LlamaModelOptions.MaxThreads + 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => LlamaModel.Load(Fixtures.TinyModelPath, new LlamaModelOptions { ContextSize = 2_000_000_000 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => LlamaModel.Load(Fixtures.TinyModelPath, new LlamaModelOptions { MaxSequences = 300 }));
        Assert.That(LlamaModelOptions.DefaultThreads, Is.InRange(1, 8));
        Assert.That(LlamaModelOptions.DefaultThreads, Is.LessThanOrEqualTo(Environment.ProcessorCount));
    }
}

public class BpeBoundaryTests
{
    [Test]
    public void Gpt2Bpe_MergesAcrossThePromptBoundary_AndTheContinuationHandlesIt()
    {
        var path = Paths.Shared("models/ggml-vocab-gpt-2.gguf");
        Fixtures.RequireRuntime();
        using var vocab = LlamaModel.LoadVocabulary(path);
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

public class PackagePinTests
{
    [Test]
    public void TheLlamaSharpVersionWeReport_IsThePinnedOne()
    {
        var props = File.ReadAllText(Path.Combine(Paths.RepoRoot, "Directory.Packages.props"));
        Assert.That(props, Does.Contain($"<PackageVersion Include=\"LLamaSharp\" Version=\"{LlamaBackendInfo.PackageVersion}\" />"));
        Assert.That(props, Does.Contain($"<PackageVersion Include=\"LLamaSharp.Backend.Cpu\" Version=\"{LlamaBackendInfo.PackageVersion}\" />"));
    }
}
