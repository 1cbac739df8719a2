using HybridSynth.Lm.Gguf;
using HybridSynth.Lm.Native;
using HybridSynth.Lm.Runtime;
using HybridSynth.Scm.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.Lm.Tests;

/// <summary>
/// The language-model fixtures: a tiny random-weight GGUF written by the test helpers (always, so the
/// LM path is tested on a fresh clone) and the real stories260K model from ../shared (skipped when
/// absent). When the llama.cpp libraries cannot be loaded the LM tests are skipped with the reason,
/// except under CI (CI=true), where that is a failure.
/// </summary>
[SetUpFixture]
public sealed class Fixtures
{
    public static string TinyModelPath { get; private set; } = "";

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
            LlamaBackend.EnsureInitialized();
        }
        catch (LanguageModelUnavailableException e)
        {
            if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail("the llama.cpp runtime must be available in CI: " + e.Message);
            Assert.Ignore("needs the llama.cpp libraries (eng/fetch-llama.sh): " + e.Message);
        }
    }

    public static LanguageModel Tiny(LanguageModelOptions? options = null)
    {
        RequireRuntime();
        return LanguageModel.Load(TinyModelPath, options);
    }

    public static LanguageModel Stories(LanguageModelOptions? options = null)
    {
        var path = Paths.Shared("models/stories260K.gguf");
        RequireRuntime();
        return LanguageModel.Load(path, options);
    }
}
