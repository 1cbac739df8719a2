using System.CommandLine;
using HybridSynth.Lm;
using HybridSynth.Lm.Llama;
using HybridSynth.Lm.Mechanisms;
using HybridSynth.Lm.Published;
using HybridSynth.Scm.IO;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Cli.Commands;

/// <summary>The options that load a GGUF model and configure SD-SCM scoring, shared by the verbs that take <c>--model</c>.</summary>
public sealed class LanguageModelCliOptions
{
    /// <summary>The largest context a user may ask for.</summary>
    public const int MaxContext = 1 << 20;

    public Option<string?> Model { get; } = new("--model") { Description = "A GGUF model for the spec's language_model mechanisms." };
    public Option<ulong?> ConfigSeed { get; } = new("--config-seed") { Description = "Picks one phrasing per variable from its family (default: the --seed)." };
    public Option<string> Scoring { get; } = new("--scoring") { Description = "chain_rule (exact; default) or reference (the published code's prompt and score).", DefaultValueFactory = _ => "chain_rule" };
    public Option<double> Temperature { get; } = new("--temperature") { Description = "Temperature for variables whose spec gives none.", DefaultValueFactory = _ => 1.0 };
    public Option<int> LmThreads { get; } = new("--lm-threads") { Description = $"llama.cpp CPU threads, 1..the cores (default: half the cores, at most 8; here {LlamaModelOptions.DefaultThreads}).", DefaultValueFactory = _ => LlamaModelOptions.DefaultThreads };
    public Option<int> Context { get; } = new("--context") { Description = $"llama.cpp context size in tokens, 64..{MaxContext}.", DefaultValueFactory = _ => 2048 };
    public Option<int?> GpuLayers { get; } = new("--gpu-layers") { Description = "Layers to offload to a GPU (default: all when a GPU backend is installed, else 0)." };
    public Option<long> MaxTabulated { get; } = new("--max-tabulated") { Description = "Exact ground truth tabulates a language-model variable only up to this many parent configurations.", DefaultValueFactory = _ => 4096 };

    public LanguageModelCliOptions()
    {
        Scoring.AcceptOnlyFromAmong("chain_rule", "reference");
    }

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Model, ConfigSeed, Scoring, Temperature, LmThreads, Context, GpuLayers, MaxTabulated }) command.Options.Add(o);
    }

    /// <summary>The configuration seed: --config-seed, else the run's seed.</summary>
    public ulong ConfigurationSeed(ParseResult r, ulong seed) => r.GetValue(ConfigSeed) ?? seed;

    /// <summary>Reads published SD-SCM configs (top-level <c>setup_sequence_sample_space</c>) with the phrasing pairs the configuration seed picks.</summary>
    public SpecTranslator Translator(ParseResult r, ulong seed) => PublishedSdScmConfig.Translator(ConfigurationSeed(r, seed));

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

    /// <summary>Loads the model when --model is given (null otherwise).</summary>
    public LanguageModelSession? Open(ParseResult r, ulong seed, bool required)
    {
        var path = r.GetValue(Model);
        if (path is null)
        {
            if (required) throw new UsageException("--model FILE.gguf is required");
            return null;
        }
        Validate(r);
        var model = LlamaModel.Load(path, new LlamaModelOptions
        {
            Threads = r.GetValue(LmThreads),
            ContextSize = r.GetValue(Context),
            GpuLayers = r.GetValue(GpuLayers),
            MaxSequences = 64,
        });
        return new LanguageModelSession(model, new SdScmOptions
        {
            ConfigurationSeed = ConfigurationSeed(r, seed),
            Scoring = r.GetValue(Scoring) == "reference" ? ScoringMode.Reference : ScoringMode.ChainRule,
            Temperature = r.GetValue(Temperature),
            MaxTabulatedConfigurations = r.GetValue(MaxTabulated),
        });
    }

    /// <summary>The manifest section describing the model, the phrasing choices and the memo and decode statistics.</summary>
    public static JObject Describe(LanguageModelSession s, Scm.Model.CausalModel model)
    {
        var m = s.Model;
        var identity = new JObject { ["kind"] = m.Identity.Kind, ["name"] = m.Identity.Name, ["digest"] = m.Identity.Digest };
        foreach (var (key, value) in m.Identity.Properties) identity[key] = value is null ? JValue.CreateNull() : JToken.FromObject(value);
        var stats = m.Statistics;
        return new JObject
        {
            ["language_model"] = identity,
            ["sdscm"] = new JObject
            {
                ["configuration_seed"] = s.Options.ConfigurationSeed,
                ["default_scoring"] = s.Options.Scoring == ScoringMode.ChainRule ? "chain_rule" : "reference",
                ["default_temperature"] = s.Options.Temperature,
                ["phrasings"] = new JObject(model.Variables.Where(v => s.PhrasingChoices.ContainsKey(v.Name)).Select(v =>
                {
                    var k = s.PhrasingChoices[v.Name];
                    var p = v.Phrasings.Count > 0 ? v.Phrasings[k] : s.PhrasingOf(v);
                    return new JProperty(v.Name, new JObject { ["index"] = k, ["of"] = Math.Max(1, v.Phrasings.Count), ["prefix"] = p.Prefix, ["suffix"] = p.Suffix });
                })),
                ["family_size"] = model.Variables.Aggregate(1.0, (a, v) => a * Math.Max(1, v.Phrasings.Count)),
            },
            ["memo"] = new JObject
            {
                ["distribution_requests"] = s.Calls,
                ["distinct_prompts"] = s.DistinctPrompts,
                ["cache_hits"] = s.CacheHits,
                ["tokens_evaluated"] = stats.TokensDecoded,
                ["tokens_reused_from_kv_cache"] = stats.TokensReused,
                ["prompts_scored"] = stats.PromptsScored,
                ["kv_prefix_hits"] = stats.PrefixHits,
                ["decode_calls"] = stats.Decodes,
            },
        };
    }
}
