using HybridSynth.Lm.Gguf;
using HybridSynth.Lm.Native;
using HybridSynth.Lm.Runtime;
using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.Lm.Tests;

public class RuntimeTests
{
    [Test]
    public void StructDeclarations_MatchTheV050Layout() => Assert.That(LayoutCheck.CheckDeclarations(), Is.Empty);

    [Test]
    public void LibraryDefaults_ReadThroughOurStructs_AreV050s()
    {
        Fixtures.RequireRuntime();
        Assert.That(LayoutCheck.CheckDefaults(), Is.Empty);
        Assert.That(LlamaBackend.EnsureInitialized(), Does.StartWith("0.5.0"));
    }

    [Test]
    public void TinyModel_LoadsWithItsByteLevelVocabulary()
    {
        using var m = Fixtures.Tiny();
        Assert.That(m.VocabularySize, Is.EqualTo(257));
        Assert.That(m.AddBos, Is.True);
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
    public void MissingFile_IsAOneLineSpecError()
    {
        var e = Assert.Throws<SpecException>(() => LanguageModel.Load("/no/such/model.gguf"))!;
        Assert.That(e.ToOneLine(), Is.EqualTo("/no/such/model.gguf: no such file"));
    }

    [Test]
    public void NotAGgufFile_IsALocatedError()
    {
        var path = Path.Combine(Paths.TempDir(), "text.gguf");
        File.WriteAllText(path, "hello");
        var e = Assert.Throws<SpecException>(() => LanguageModel.Load(path))!;
        Assert.That(e.ToOneLine(), Does.StartWith($"{path}:1:1: not a GGUF model"));
    }

    [Test]
    public void TruncatedGguf_IsALocatedError_NotACrash()
    {
        Fixtures.RequireRuntime();
        var path = Path.Combine(Paths.TempDir(), "truncated.gguf");
        var bytes = File.ReadAllBytes(Fixtures.TinyModelPath);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<SpecException>(() => LanguageModel.Load(path))!;
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
        using var m = LanguageModel.Load(path);
        var scores = new Scoring.CandidateScorer(m).ChainRule("x = ", new[] { "1", "22" });
        Assert.That(scores.All(double.IsFinite));
    }
}
