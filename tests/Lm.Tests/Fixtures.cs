using HybridSynth.Lm.Fake;
using HybridSynth.Lm.Gguf;
using HybridSynth.Lm.Llama;
using HybridSynth.Scm.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.Lm.Tests;

/// <summary>
/// The language-model fixtures: the managed fake (<see cref="HashedLanguageModel"/>, no native code),
/// a tiny random-weight GGUF written by the test helpers (always, so llama.cpp is tested on a fresh
/// clone) and the real stories260K model from ../shared (skipped when absent). When LLamaSharp's
/// native library cannot be loaded, the llama.cpp tests are skipped with the reason, except under CI
/// (CI=true), where that is a failure.
/// </summary>
[SetUpFixture]
public sealed class Fixtures
{
    public static string TinyModelPath { get; private set; } = "";

    /// <summary>The implementations every contract test runs over.</summary>
    public static readonly string[] Implementations = { "fake", "tiny", "stories" };

    [OneTimeSetUp]
    public void WriteTinyModel()
    {
        TinyModelPath = Path.Combine(Paths.TempDir(), "tiny.gguf");
        SyntheticModel.Write(TinyModelPath, ModelShape.Tiny, seed: 7);
    }

    /// <summary>Starts the runtime or skips (fails under CI) with the reason.</summary>
    public static void RequireRuntime()
    {
        try
        {
            LlamaRuntime.EnsureInitialized();
        }
        catch (LanguageModelUnavailableException e)
        {
            if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail("the llama.cpp runtime must be available in CI: " + e.Message);
            Assert.Ignore("needs LLamaSharp's native llama.cpp library: " + e.Message);
        }
    }

    private static LlamaModelOptions OneThread(LlamaModelOptions? options) => (options ?? new LlamaModelOptions()) with { Threads = 1 };

    public static LlamaModel Tiny(LlamaModelOptions? options = null)
    {
        RequireRuntime();
        return LlamaModel.Load(TinyModelPath, OneThread(options));
    }

    public static LlamaModel Stories(LlamaModelOptions? options = null)
    {
        var path = Paths.Shared("models/stories260K.gguf");
        RequireRuntime();
        return LlamaModel.Load(path, OneThread(options));
    }

    public static HashedLanguageModel Fake(ulong seed = 7) => new(seed);

    /// <summary>One implementation by name (see <see cref="Implementations"/>).</summary>
    public static ILanguageModel Open(string name, LlamaModelOptions? options = null) => name switch
    {
        "fake" => Fake(),
        "tiny" => Tiny(options),
        "stories" => Stories(options),
        _ => throw new ArgumentException(name),
    };
}
