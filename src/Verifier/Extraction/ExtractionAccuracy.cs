using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Variables;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Verifier.Extraction;

/// <summary>How well extraction read one variable over notes whose truth states it.</summary>
/// <param name="Variable">The variable.</param>
/// <param name="Stated">Notes whose truth gives a value for it.</param>
/// <param name="Correct">Of those, notes where extraction found that value (numbers: within the written precision).</param>
/// <param name="Missing">Notes where extraction found nothing.</param>
/// <param name="Conflict">Notes where extraction found several values.</param>
/// <param name="Wrong">Notes where extraction found one, different value.</param>
/// <param name="Spurious">Notes whose truth does not state it but where extraction read a value.</param>
public sealed record VariableAccuracy(string Variable, int Stated, int Correct, int Missing, int Conflict, int Wrong, int Spurious)
{
    /// <summary>Correct / stated (NaN when no note states it).</summary>
    public double Accuracy => Stated == 0 ? double.NaN : Correct / (double)Stated;
}

/// <summary>Per-variable extraction accuracy against the true values of each note (a "truth" or "skeleton" object).</summary>
public static class ExtractionAccuracy
{
    /// <summary>The accuracy of each visible variable over <paramref name="notes"/> (what extraction read, and the truth by variable index).</summary>
    public static IReadOnlyList<VariableAccuracy> Compute(TextLexicon lexicon, IReadOnlyList<(ExtractedValue[] Extracted, IReadOnlyDictionary<int, double> Truth)> notes)
    {
        var result = new List<VariableAccuracy>();
        for (var v = 0; v < lexicon.Entries.Count; v++)
        {
            var e = lexicon.Entries[v];
            if (e.Variable.Hidden) continue;
            int stated = 0, correct = 0, missing = 0, conflict = 0, wrong = 0, spurious = 0;
            foreach (var (x, truth) in notes)
            {
                if (!truth.TryGetValue(v, out var t))
                {
                    if (x[v].Status != ExtractionStatus.Missing) spurious++;
                    continue;
                }
                stated++;
                switch (x[v].Status)
                {
                    case ExtractionStatus.Missing: missing++; break;
                    case ExtractionStatus.Conflict: conflict++; break;
                    default: if (TextExtractor.Same(e, x[v].Value, t)) correct++; else wrong++; break;
                }
            }
            result.Add(new VariableAccuracy(e.Variable.Name, stated, correct, missing, conflict, wrong, spurious));
        }
        return result;
    }

    /// <summary>A note's true values from a JSON object {"VARIABLE": state name | number}; <paramref name="file"/> and <paramref name="line"/> locate errors.</summary>
    /// <exception cref="SpecException">An unknown variable, or a value that is not one of its states (or not a number).</exception>
    public static Dictionary<int, double> ParseTruth(CausalModel model, JObject truth, string file, int line)
    {
        var result = new Dictionary<int, double>();
        foreach (var p in truth.Properties())
        {
            if (!model.TryIndexOf(p.Name, out var v)) throw new SpecException(file, line, 1, $"the truth names '{p.Name}', which is not a variable of '{model.Name}'");
            var variable = model[v];
            if (variable.Domain is CategoricalDomain d)
            {
                var state = p.Value.Type == JTokenType.String ? d.States.ToList().IndexOf(p.Value.Value<string>()!) : -1;
                if (state < 0) throw new SpecException(file, line, 1, $"the truth gives '{p.Name}' = {p.Value.ToString(Newtonsoft.Json.Formatting.None)}; expected one of {string.Join(", ", d.States)}");
                result[v] = state;
            }
            else if (p.Value.Type is JTokenType.Integer or JTokenType.Float) result[v] = p.Value.Value<double>();
            else if (p.Value.Type == JTokenType.Null) continue;
            else throw new SpecException(file, line, 1, $"the truth gives '{p.Name}' = {p.Value.ToString(Newtonsoft.Json.Formatting.None)}; expected a number");
        }
        return result;
    }
}
