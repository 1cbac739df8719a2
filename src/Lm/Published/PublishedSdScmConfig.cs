using System.Globalization;
using HybridSynth.Scm.Errors;
using HybridSynth.Scm.IO;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Lm.Published;

/// <summary>
/// Reads the config format of the published SD-SCM code (Bynum &amp; Cho) unchanged: a top-level
/// <c>setup_sequence_sample_space</c> list, one entry per variable in sequence order with
/// <c>variable_name</c>, <c>candidate_set</c>, <c>parent_indices</c> (null or earlier indices),
/// <c>exogenous</c>, <c>intervention_choice</c> (null; an index = fixed at that candidate; "uniform")
/// and <c>possible_prefix_suffix_pairs</c>; optional <c>index_of_intervention</c>,
/// <c>intervention_choices</c>, <c>index_of_outcome</c>, <c>possible_outcome_choices</c>.
/// <para>A config seed picks one prefix/suffix pair per variable exactly as the published code does
/// (<c>np.random.seed(seed)</c>, then one <c>randint</c> per variable in order; see
/// <see cref="NumpyLegacyRandom"/>), so the same seed gives the same member of the family. The result is
/// our JSON spec: each variable a <c>language_model</c> mechanism in <c>reference</c> scoring (the
/// published prompt and score) with the chosen phrasing, a fixed choice a one-hot CPT, "uniform" a
/// uniform CPT, and the treatment and outcome roles from the intervention and outcome indices (the
/// outcome's event state, which our effects are about, is the last of <c>possible_outcome_choices</c>).</para>
/// </summary>
public static class PublishedSdScmConfig
{
    /// <summary>The key that marks a published SD-SCM config.</summary>
    public const string MarkerKey = "setup_sequence_sample_space";

    private static readonly HashSet<string> TopKeys = new(StringComparer.Ordinal)
    {
        MarkerKey, "index_of_intervention", "intervention_choices", "index_of_outcome", "possible_outcome_choices", "name", "description",
    };

    private static readonly HashSet<string> VariableKeys = new(StringComparer.Ordinal)
    {
        "variable_name", "candidate_set", "parent_indices", "exogenous", "intervention_choice", "possible_prefix_suffix_pairs",
    };

    /// <summary>Whether a JSON text is a published config (it has <c>setup_sequence_sample_space</c> at the top).</summary>
    public static bool Recognises(string text)
    {
        try
        {
            using var reader = new Newtonsoft.Json.JsonTextReader(new StringReader(text));
            return JToken.ReadFrom(reader) is JObject o && o.ContainsKey(MarkerKey);
        }
        catch (Newtonsoft.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>A spec translator for <see cref="SpecLoader"/>: published configs become our spec with the pairs chosen by <paramref name="configSeed"/>; other texts pass unchanged.</summary>
    public static SpecTranslator Translator(ulong configSeed) => (text, file) => Recognises(text) ? Translate(text, file, configSeed).ToString() : null;

    /// <summary>The phrasing indices a config seed picks (the published code's <c>sample_setup_dict</c>).</summary>
    public static int[] Choices(IReadOnlyList<int> pairCounts, ulong configSeed)
    {
        if (configSeed > uint.MaxValue) throw new SpecException(null, $"the published code seeds numpy with a 32-bit integer; the config seed {configSeed} is larger than {uint.MaxValue}");
        var rng = new NumpyLegacyRandom((uint)configSeed);
        return pairCounts.Select(rng.RandInt).ToArray();
    }

    private static JArray OneRow(IEnumerable<double> row)
    {
        var table = new JArray();
        table.Add(new JArray(row.Cast<object>().ToArray()));
        return table;
    }

    /// <summary>Our JSON spec for a published config.</summary>
    public static JObject Translate(string text, string file, ulong configSeed)
    {
        var root = JsonLocations.ParseObject(text, file);
        foreach (var p in root.Properties())
            if (!TopKeys.Contains(p.Name)) throw JsonLocations.Error(file, p, $"unknown key '{p.Name}' in a published SD-SCM config; expected one of {string.Join(", ", TopKeys.Order())}");
        if (root[MarkerKey] is not JArray space || space.Count == 0) throw JsonLocations.Error(file, root[MarkerKey] ?? root, $"expected '{MarkerKey}' to be a non-empty list of variables");
        var names = new List<string>();
        var pairCounts = new List<int>();
        foreach (var entry in space)
        {
            if (entry is not JObject v) throw JsonLocations.Error(file, entry, "expected a variable object");
            foreach (var p in v.Properties())
                if (!VariableKeys.Contains(p.Name)) throw JsonLocations.Error(file, p, $"unknown key '{p.Name}'; expected one of {string.Join(", ", VariableKeys.Order())}");
            names.Add(v["variable_name"] is { Type: JTokenType.String } n ? n.Value<string>()! : throw JsonLocations.Error(file, v["variable_name"] ?? v, "expected 'variable_name' to be a string"));
            if (v["possible_prefix_suffix_pairs"] is not JArray pairs || pairs.Count == 0)
                throw JsonLocations.Error(file, v["possible_prefix_suffix_pairs"] ?? v, "expected 'possible_prefix_suffix_pairs' to be a non-empty list of [prefix, suffix] pairs");
            pairCounts.Add(pairs.Count);
        }
        var choices = Choices(pairCounts, configSeed);
        int? Index(string key)
        {
            var t = root[key];
            if (t is null || t.Type == JTokenType.Null) return null;
            if (t.Type != JTokenType.Integer || t.Value<long>() < 0 || t.Value<long>() >= space.Count)
                throw JsonLocations.Error(file, t, $"expected '{key}' to be a variable index in 0..{space.Count - 1}");
            return t.Value<int>();
        }
        var treatment = Index("index_of_intervention");
        var outcome = Index("index_of_outcome");
        var variables = new JArray();
        for (var i = 0; i < space.Count; i++)
        {
            var v = (JObject)space[i];
            if (v["candidate_set"] is not JArray candidates || candidates.Count < 2 || candidates.Any(c => c.Type != JTokenType.String))
                throw JsonLocations.Error(file, v["candidate_set"] ?? v, "expected 'candidate_set' to be a list of at least two strings");
            var parents = new JArray();
            if (v["parent_indices"] is { Type: not JTokenType.Null } pi)
            {
                if (pi is not JArray list) throw JsonLocations.Error(file, pi, "expected 'parent_indices' to be null or a list of earlier variable indices");
                foreach (var p in list)
                {
                    if (p.Type != JTokenType.Integer || p.Value<long>() < 0 || p.Value<long>() >= i)
                        throw JsonLocations.Error(file, p, $"expected a parent index in 0..{i - 1} (parents come earlier in the sequence)");
                    parents.Add(names[p.Value<int>()]);
                }
            }
            var pair = ((JArray)v["possible_prefix_suffix_pairs"]!)[choices[i]];
            if (pair is not JArray { Count: 2 } ps || ps.Any(x => x.Type != JTokenType.String))
                throw JsonLocations.Error(file, pair, "expected a [prefix, suffix] pair of strings");
            var states = new JArray(candidates.Select(c => c.Value<string>()));
            JObject mechanism;
            var choice = v["intervention_choice"];
            if (choice is null || choice.Type == JTokenType.Null)
                mechanism = new JObject { ["type"] = "language_model", ["scoring"] = "reference" };
            else if (choice.Type == JTokenType.String && choice.Value<string>() == "uniform")
                mechanism = new JObject { ["type"] = "cpt", ["table"] = OneRow(Enumerable.Repeat(1.0 / candidates.Count, candidates.Count)) };
            else if (choice.Type == JTokenType.Integer && choice.Value<long>() >= 0 && choice.Value<long>() < candidates.Count)
                mechanism = new JObject { ["type"] = "cpt", ["table"] = OneRow(Enumerable.Range(0, candidates.Count).Select(k => k == choice.Value<int>() ? 1.0 : 0.0)) };
            else throw JsonLocations.Error(file, choice, $"expected 'intervention_choice' to be null, \"uniform\" or a candidate index in 0..{candidates.Count - 1}");
            if (mechanism["type"]!.Value<string>() == "cpt" && parents.Count > 0)
            {
                // A fixed or uniform variable ignores its parents: one row per parent configuration is not needed, so drop them.
                parents = new JArray();
            }
            var variable = new JObject
            {
                ["name"] = names[i],
                ["states"] = states,
                ["parents"] = parents,
                ["phrasings"] = new JArray(new JObject { ["prefix"] = ps[0].Value<string>(), ["suffix"] = ps[1].Value<string>() }),
                ["mechanism"] = mechanism,
                ["metadata"] = new JObject
                {
                    ["published_index"] = i,
                    ["exogenous"] = v["exogenous"]?.Type == JTokenType.Boolean && v["exogenous"]!.Value<bool>(),
                    ["phrasing_choice"] = choices[i],
                    ["phrasing_family"] = pairCounts[i],
                },
            };
            if (i == treatment) variable["role"] = "treatment";
            else if (i == outcome)
            {
                variable["role"] = "outcome";
                // The effect is about one outcome state: the last of possible_outcome_choices (else the last candidate).
                var eventIndex = candidates.Count - 1;
                if (root["possible_outcome_choices"] is JArray { Count: > 0 } outcomeChoices)
                {
                    var last = outcomeChoices[outcomeChoices.Count - 1];
                    if (last.Type != JTokenType.Integer || last.Value<long>() < 0 || last.Value<long>() >= candidates.Count)
                        throw JsonLocations.Error(file, last, $"expected an outcome choice in 0..{candidates.Count - 1}");
                    eventIndex = last.Value<int>();
                }
                variable["event"] = candidates[eventIndex].Value<string>();
            }
            variables.Add(variable);
        }
        var family = pairCounts.Aggregate(1.0, (a, k) => a * k);
        return new JObject
        {
            ["format"] = "hybridsynth-scm/1",
            ["name"] = root["name"]?.Value<string>() ?? Path.GetFileNameWithoutExtension(file),
            ["description"] = root["description"]?.Value<string>() ?? "translated from a published SD-SCM config",
            ["metadata"] = new JObject
            {
                ["translated_from"] = "published SD-SCM config",
                ["config_seed"] = configSeed,
                ["phrasing_choices"] = new JArray(choices),
                ["family_size"] = family.ToString("0.###e0", CultureInfo.InvariantCulture),
            },
            ["variables"] = variables,
        };
    }
}
