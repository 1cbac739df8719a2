using HybridSynth.Scm.IO;
using HybridSynth.Scm.Mechanisms;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Lm.Mechanisms;

/// <summary>
/// Reads <c>{"type": "language_model", "temperature": T, "scoring": "chain_rule" | "reference",
/// "score_suffix": "auto" | true | false}</c> for a categorical variable (its states are the domain,
/// its <c>phrasings</c> the text around values). <c>score_suffix</c> "auto" scores value + suffix
/// when some value is a string prefix of another and the suffix is not empty.
/// </summary>
public static class LanguageModelMechanismReader
{
    private static readonly HashSet<string> Keys = new(StringComparer.Ordinal) { "type", "temperature", "scoring", "score_suffix" };

    /// <summary>Reads a <c>language_model</c> mechanism from the spec and binds it to the session's model.</summary>
    public static IMechanism Read(MechanismReadContext c, LanguageModelSession session)
    {
        foreach (var p in c.Json.Properties())
            if (!Keys.Contains(p.Name))
                throw c.Error(p, $"unknown property '{p.Name}' in a language_model mechanism; expected one of {string.Join(", ", Keys.OrderBy(k => k))}");
        if (!c.Variable.IsCategorical) throw c.Error(c.Json, $"a language_model mechanism needs a categorical variable (a finite domain of strings); '{c.Variable.Name}' is continuous");
        var temperatureToken = c.Json["temperature"];
        var temperature = temperatureToken is null ? session.Options.Temperature : c.Number(temperatureToken, "a temperature");
        if (!(temperature > 0)) throw c.Error(temperatureToken, $"expected a temperature > 0, found {temperature}");
        var scoring = session.Options.Scoring;
        if (c.Json["scoring"] is { } s)
        {
            scoring = s.Type == JTokenType.String ? s.Value<string>() switch
            {
                "chain_rule" => ScoringMode.ChainRule,
                "reference" => ScoringMode.Reference,
                var other => throw c.Error(s, $"unknown scoring '{other}'; expected chain_rule or reference"),
            } : throw c.Error(s, "expected scoring to be \"chain_rule\" or \"reference\"");
        }
        var phrasing = session.PhrasingOf(c.Variable);
        var states = c.Variable.Categorical.States;
        var prefixClash = states.Any(a => states.Any(b => a != b && b.StartsWith(a, StringComparison.Ordinal)));
        var scoreSuffix = prefixClash && phrasing.Suffix.Length > 0;
        if (c.Json["score_suffix"] is { } ss)
        {
            scoreSuffix = ss.Type switch
            {
                JTokenType.Boolean => ss.Value<bool>(),
                JTokenType.String when ss.Value<string>() == "auto" => scoreSuffix,
                _ => throw c.Error(ss, "expected score_suffix to be true, false or \"auto\""),
            };
        }
        // Parents in topological order: the order of the prompt.
        var rank = c.TopologicalRank;
        var order = Enumerable.Range(0, c.ParentIndices.Count)
            .OrderBy(i => rank is null ? i : rank[c.ParentIndices[i]]).ThenBy(i => c.ParentIndices[i]).ToArray();
        var parents = order.Select(i => c.ParentIndices[i]).ToArray();
        var parentVariables = order.Select(i => c.Parents[i]).ToArray();
        return new LanguageModelMechanism(session, c.Variable, phrasing, parents, parentVariables,
            parentVariables.Select(session.PhrasingOf).ToArray(), temperature, scoring, scoreSuffix);
    }
}
