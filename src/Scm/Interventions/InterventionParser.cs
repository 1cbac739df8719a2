using System.Globalization;
using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Variables;

namespace HybridSynth.Scm.Interventions;

/// <summary>Parses assignments written <c>Variable=value</c> (the argument of <c>--do</c> and <c>--given</c>).</summary>
public static class InterventionParser
{
    /// <summary>Parses <paramref name="text"/> into a variable index and a value (a state code or a number).</summary>
    /// <exception cref="SpecException">Unknown variable or state, or a malformed assignment; located at the variable's declaration when known.</exception>
    public static (int Variable, double Value) ParseAssignment(CausalModel model, string text, string option = "--do")
    {
        var eq = text.IndexOf('=');
        if (eq <= 0 || eq == text.Length - 1)
            throw new SpecException(null, $"{option} \"{text}\": expected Variable=value");
        var name = text[..eq].Trim();
        var value = text[(eq + 1)..].Trim();
        if (!model.TryIndexOf(name, out var index))
            throw new SpecException(null, $"{option} \"{text}\": the model has no variable '{name}'{Suggest(model, name)}");
        var variable = model[index];
        if (variable.Domain is CategoricalDomain d)
        {
            if (d.TryCode(value, out var code)) return (index, code);
            throw new SpecException(variable.Location,
                $"{option} \"{text}\": '{name}' has no state '{value}'{Suggestions.DidYouMean(value, d.States)}; expected one of: {string.Join(", ", d.States)}");
        }
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.IsFinite(x))
            return (index, x);
        throw new SpecException(variable.Location, $"{option} \"{text}\": '{name}' is continuous; expected a finite number, got '{value}'");
    }

    /// <summary>Parses one hard intervention <c>NAME=STATE</c> (or a number for a continuous variable), with a suggestion for an unknown name or state.</summary>
    public static HardIntervention ParseHard(CausalModel model, string text)
    {
        var (v, x) = ParseAssignment(model, text);
        return new HardIntervention(v, x);
    }

    private static string Suggest(CausalModel model, string name) => Suggestions.DidYouMean(name, model.Variables.Select(v => v.Name));
}
