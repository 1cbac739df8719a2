using System.CommandLine;
using HybridSynth.Lm;
using HybridSynth.Lm.Caching;
using HybridSynth.Lm.Llama;
using HybridSynth.Lm.Server;
using HybridSynth.Lm.Mechanisms;
using HybridSynth.Lm.Published;
using HybridSynth.Scm.IO;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Cli.Commands;

/// <summary>The options that load a GGUF model and configure SD-SCM scoring, shared by the verbs that take <c>--model</c>.</summary>
public sealed partial class LanguageModelCliOptions
{
    /// <summary>The largest context a user may ask for.</summary>
    public const int MaxContext = 1 << 20;

    public Option<string?> Model { get; } = new("--model") { Description = "A GGUF model for the spec's language_model mechanisms." };
    public Option<ulong?> ConfigSeed { get; } = new("--config-seed") { Description = "Picks one phrasing per variable from its family (default: the --seed)." };
    public Option<string> Scoring { get; } = new("--scoring") { Description = "chain_rule (exact; default) or reference (the published code's prompt and score).", DefaultValueFactory = _ => "chain_rule" };
    public Option<double> Temperature { get; } = new("--temperature") { Description = "Temperature for variables whose spec gives none.", DefaultValueFactory = _ => 1.0 };
    public Option<int> LmThreads { get; } = new("--lm-threads") { Description = $"llama.cpp CPU threads, 1..the cores (default: every core, at most 8; here {LlamaModelOptions.DefaultThreads}).", DefaultValueFactory = _ => LlamaModelOptions.DefaultThreads };
    public Option<int> Context { get; } = new("--context") { Description = $"llama.cpp context size in tokens, 64..{MaxContext}.", DefaultValueFactory = _ => 2048 };
    public Option<int?> GpuLayers { get; } = new("--gpu-layers") { Description = "Layers to offload to a GPU (default: all when a GPU backend is installed, else 0)." };
    public Option<string?> Server { get; } = new("--lm-server") { Description = "An OpenAI-compatible inference server (vLLM) to use instead of --model, e.g. http://gpu-node:8000." };
    public Option<string?> ServerModel { get; } = new("--lm-model") { Description = "The model name the server serves (with --lm-server)." };
    public Option<string?> ApiKeyVariable { get; } = new("--api-key-env") { Description = "The environment variable holding the server's API key (sent as a Bearer header only)." };
    public Option<int> Concurrency { get; } = new("--lm-concurrency") { Description = "Requests in flight at once to the server, 1..256.", DefaultValueFactory = _ => 4 };
    public Option<double> Timeout { get; } = new("--lm-timeout") { Description = "Seconds a server request may take before it is retried.", DefaultValueFactory = _ => 120 };
    public Option<int> Retries { get; } = new("--lm-retries") { Description = "Retries of a failed server request (429, 5xx, timeout, dropped connection), 0..20.", DefaultValueFactory = _ => 5 };
    public Option<string?> Tokenizer { get; } = new("--lm-tokenizer") { Description = "The model's tokenizer (vocab.json + merges.txt, a SentencePiece .model, a .tiktoken file or a GGUF) for a server without /tokenize." };
    public Option<string?> ScoreCacheDir { get; } = new("--score-cache") { Description = "A folder of cached domain scores shared between runs (default with --lm-server: ~/.cache/hybridsynth/scores)." };
    public Option<bool> NoScoreCache { get; } = new("--no-score-cache") { Description = "Do not use a score cache, not even the server default." };
    public Option<long> MaxTabulated { get; } = new("--max-tabulated") { Description = "Exact ground truth tabulates a language-model variable only up to this many parent configurations.", DefaultValueFactory = _ => 4096 };

    /// <param name="modelPurpose">What --model is for on this verb (its help text); default: the spec's language_model mechanisms.</param>
    public LanguageModelCliOptions(string? modelPurpose = null)
    {
        if (modelPurpose is not null) Model.Description = modelPurpose;
        Scoring.AcceptOnlyFromAmong("chain_rule", "reference");
    }

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Model, ConfigSeed, Scoring, Temperature, LmThreads, Context, GpuLayers, MaxTabulated,
                     Server, ServerModel, ApiKeyVariable, Concurrency, Timeout, Retries, Tokenizer, ScoreCacheDir, NoScoreCache }) command.Options.Add(o);
    }

    /// <summary>The configuration seed: --config-seed, else the run's seed.</summary>
    public ulong ConfigurationSeed(ParseResult r, ulong seed) => r.GetValue(ConfigSeed) ?? seed;

    /// <summary>Reads published SD-SCM configs (top-level <c>setup_sequence_sample_space</c>) with the phrasing pairs the configuration seed picks.</summary>
    public SpecTranslator Translator(ParseResult r, ulong seed) => PublishedSdScmConfig.Translator(ConfigurationSeed(r, seed));

    /// <summary>Whether the user gave the option (not its default).</summary>
    public static bool Given(ParseResult r, Option option) => r.GetResult(option) is { Implicit: false };

    /// <summary>The options that only shape SD-SCM mechanisms are refused on verbs that have none (realize, hybrid), rather than ignored.</summary>
    public void RefuseSdScmOnly(ParseResult r, string verb)
    {
        foreach (var o in new Option[] { Scoring, ConfigSeed, MaxTabulated })
            if (Given(r, o)) throw new UsageException($"{o.Name} does not apply to {verb} (it shapes SD-SCM mechanisms, which {verb} does not use)");
    }

    /// <summary>The temperature the user gave, or <paramref name="fallback"/>.</summary>
    public double TemperatureOr(ParseResult r, double fallback) => Given(r, Temperature) ? r.GetValue(Temperature) : fallback;

    /// <summary>Checks the options' ranges (usage errors, before anything is loaded).</summary>
    public void Validate(ParseResult r)
    {
        var threads = r.GetValue(LmThreads);
        if (threads < 1 || threads > LlamaModelOptions.MaxThreads)
            throw new UsageException($"--lm-threads must be in 1..{LlamaModelOptions.MaxThreads} (the cores of this machine); found {threads}");
        var context = r.GetValue(Context);
        if (context < 64 || context > MaxContext) throw new UsageException($"--context must be in 64..{MaxContext}; found {context}");
        if (r.GetValue(GpuLayers) is < 0) throw new UsageException("--gpu-layers must be ≥ 0");
        if (!(r.GetValue(Temperature) > 0) || double.IsInfinity(r.GetValue(Temperature))) throw new UsageException("--temperature must be a finite number > 0");
        if (r.GetValue(MaxTabulated) < 1) throw new UsageException("--max-tabulated must be ≥ 1");
    }

    /// <summary>The default folder of the server score cache.</summary>
    public static string DefaultScoreCache =>
        Environment.GetEnvironmentVariable("HYBRIDSYNTH_SCORE_CACHE") is { Length: > 0 } env ? env
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "hybridsynth", "scores");

    /// <summary>Loads the model when --model or --lm-server is given (null otherwise).</summary>
    public LanguageModelSession? Open(ParseResult r, ulong seed, bool required)
    {
        var path = r.GetValue(Model);
        var server = r.GetValue(Server);
        if (path is not null && server is not null) throw new UsageException("give either --model FILE.gguf or --lm-server URL, not both");
        if (path is null && server is null)
        {
            if (required) throw new UsageException("--model FILE.gguf (or --lm-server URL --lm-model NAME) is required");
            return null;
        }
        Validate(r);
        ILanguageModel model;
        string? cacheDir = r.GetValue(ScoreCacheDir);
        if (server is not null)
        {
            model = new ServerLanguageModel(ServerOptionsFrom(r, server));
            cacheDir ??= DefaultScoreCache;
        }
        else
        {
            model = LlamaModel.Load(path!, new LlamaModelOptions
            {
                Threads = r.GetValue(LmThreads),
                ContextSize = r.GetValue(Context),
                GpuLayers = r.GetValue(GpuLayers),
                MaxSequences = 64,
            });
        }
        if (cacheDir is not null && !r.GetValue(NoScoreCache)) model = new CachedLanguageModel(model, new ScoreCache(cacheDir));
        return new LanguageModelSession(model, new SdScmOptions
        {
            ConfigurationSeed = ConfigurationSeed(r, seed),
            Scoring = r.GetValue(Scoring) == "reference" ? ScoringMode.Reference : ScoringMode.ChainRule,
            Temperature = r.GetValue(Temperature),
            MaxTabulatedConfigurations = r.GetValue(MaxTabulated),
        });
    }

    /// <summary>A model's identity for a manifest: kind, name, digest and what it reports about itself.</summary>
    public static JObject Identity(ILanguageModel m) => new()
    {
        ["kind"] = m.Identity.Kind,
        ["name"] = m.Identity.Name,
        ["digest"] = m.Identity.Digest,
        ["properties"] = JObject.FromObject(m.Identity.Properties),
    };

    /// <summary>The manifest section describing the model, the phrasing choices and the cost statistics (see <see cref="LanguageModelManifest"/>).</summary>
    public static JObject Describe(LanguageModelSession s, Scm.Model.CausalModel model) => LanguageModelManifest.Describe(s, model);
}
