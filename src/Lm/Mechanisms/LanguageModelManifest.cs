using HybridSynth.Lm.Caching;
using HybridSynth.Lm.Server;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Lm.Mechanisms;

/// <summary>What a run's manifest records about its language model: the same section for every verb and every C# user.</summary>
public static class LanguageModelManifest
{
    /// <summary>The manifest section describing the model (its identity and backend), the phrasing choices, the memo and decode statistics, the score cache and the server traffic.</summary>
    public static JObject Describe(LanguageModelSession s, Scm.Model.CausalModel model)
    {
        var m = s.Model;
        var identity = new JObject { ["kind"] = m.Identity.Kind, ["name"] = m.Identity.Name, ["digest"] = m.Identity.Digest };
        foreach (var (key, value) in m.Identity.Properties) identity[key] = value is null ? JValue.CreateNull() : JToken.FromObject(value);
        var stats = m.Statistics;
        var cache = (m as CachedLanguageModel)?.Cache;
        var traffic = ((m as CachedLanguageModel)?.Inner ?? m) is ServerLanguageModel srv ? srv.Traffic : ((long, long)?)null;
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
            ["score_cache"] = cache is null ? JValue.CreateNull() : new JObject
            {
                ["directory"] = cache.Directory,
                ["hits"] = cache.Hits,
                ["misses"] = cache.Misses,
                ["writes"] = cache.Writes,
                ["damaged_entries_ignored"] = cache.Damaged,
            },
            ["server_traffic"] = traffic is null ? JValue.CreateNull() : new JObject { ["requests"] = traffic.Value.Item1, ["retries"] = traffic.Value.Item2 },
        };
    }
}
