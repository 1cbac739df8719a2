using System.CommandLine;
using HybridSynth.Lm.Mechanisms;
using HybridSynth.Lm.Runtime;
using HybridSynth.Lm.Scoring;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Cli.Commands;

/// <summary>The options that load a GGUF model and configure SD-SCM scoring, shared by the verbs that take <c>--model</c>.</summary>
public sealed class LanguageModelCliOptions
{
    public Option<string?> Model { get; } = new("--model") { Description = "A GGUF model for the spec's language_model mechanisms." };
    public Option<ulong?> ConfigSeed { get; } = new("--config-seed") { Description = "Picks one phrasing per variable from its family (default: the --seed)." };
    public Option<string> Scoring { get; } = new("--scoring") { Description = "chain_rule (exact; default) or reference (the published code's score).", DefaultValueFactory = _ => "chain_rule" };
    public Option<double> Temperature { get; } = new("--temperature") { Description = "Temperature for variables whose spec gives none.", DefaultValueFactory = _ => 1.0 };
    public Option<int> LmThreads { get; } = new("--lm-threads") { Description = "llama.cpp threads.", DefaultValueFactory = _ => 1 };
    public Option<int> Context { get; } = new("--context") { Description = "llama.cpp context size (tokens).", DefaultValueFactory = _ => 2048 };
    public Option<long> MaxTabulated { get; } = new("--max-tabulated") { Description = "Exact ground truth tabulates a language-model variable only up to this many parent configurations.", DefaultValueFactory = _ => 4096 };

    public LanguageModelCliOptions()
    {
        Scoring.AcceptOnlyFromAmong("chain_rule", "reference");
    }

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Model, ConfigSeed, Scoring, Temperature, LmThreads, Context, MaxTabulated }) command.Options.Add(o);
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
        if (r.GetValue(LmThreads) < 1) throw new UsageException("--lm-threads must be ≥ 1");
        if (r.GetValue(Context) < 64) throw new UsageException("--context must be ≥ 64");
        if (!(r.GetValue(Temperature) > 0)) throw new UsageException("--temperature must be > 0");
        var model = LanguageModel.Load(path, new Lm.Runtime.LanguageModelOptions
        {
            Threads = r.GetValue(LmThreads),
            ContextSize = r.GetValue(Context),
            MaxSequences = 64,
        });
        return new LanguageModelSession(model, new SdScmOptions
        {
            ConfigurationSeed = r.GetValue(ConfigSeed) ?? seed,
            Scoring = r.GetValue(Scoring) == "reference" ? ScoringMode.Reference : ScoringMode.ChainRule,
            Temperature = r.GetValue(Temperature),
            MaxTabulatedConfigurations = r.GetValue(MaxTabulated),
        });
    }

    /// <summary>The manifest section describing the model, the phrasing choices and the memo statistics.</summary>
    public static JObject Describe(LanguageModelSession s, Scm.Model.CausalModel model)
    {
        var m = s.Model;
        return new JObject
        {
            ["language_model"] = new JObject
            {
                ["path"] = m.Path,
                ["sha256"] = m.Sha256,
                ["description"] = m.Description,
                ["parameters"] = m.Parameters,
                ["vocabulary"] = m.VocabularySize,
                ["llama_cpp"] = m.Version,
                ["threads"] = m.Options.Threads,
                ["context"] = m.ContextSize,
            },
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
                ["tokens_evaluated"] = m.TokensEvaluated,
            },
        };
    }
}
