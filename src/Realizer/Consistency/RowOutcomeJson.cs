using HybridSynth.Scm.Model;
using HybridSynth.Verifier.Extraction;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Realizer.Consistency;

/// <summary>The JSON record of a realized row (one line of a notes file): its skeleton, text, extracted values, rounds, status and corrections.</summary>
public static class RowOutcomeJson
{
    /// <summary>The row's record: <c>id</c>, <c>skeleton</c>, <c>text</c>, <c>extracted</c>, <c>rounds</c>, <c>status</c>, <c>corrections</c> (hidden variables left out).</summary>
    public static JObject Note(CausalModel model, RowOutcome o)
    {
        JToken Value(int v, double x) => model[v].IsCategorical ? model[v].Format(x) : x;
        return new JObject
        {
            ["id"] = o.Unit,
            ["skeleton"] = new JObject(Enumerable.Range(0, model.Count).Where(v => !model[v].Hidden).Select(v => new JProperty(model[v].Name, Value(v, o.Skeleton[v])))),
            ["text"] = o.Text,
            ["extracted"] = Extracted(model, o.Extracted),
            ["rounds"] = o.Rounds,
            ["status"] = o.Consistent ? "consistent" : "inconsistent",
            ["corrections"] = new JArray(o.Corrections.Select(c => c.Instruction)),
        };
    }

    /// <summary>The extracted values by variable: the value, or "missing" / "conflict".</summary>
    public static JObject Extracted(CausalModel model, IReadOnlyList<ExtractedValue> values) =>
        new(Enumerable.Range(0, model.Count).Where(v => !model[v].Hidden).Select(v => new JProperty(model[v].Name, values[v].Status switch
        {
            ExtractionStatus.Missing => (JToken)"missing",
            ExtractionStatus.Conflict => "conflict",
            _ => model[v].IsCategorical ? model[v].Format(values[v].Value) : values[v].Value,
        })));
}
