using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Formulas;
using HybridSynth.Scm.Mechanisms;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Scm.IO;

/// <summary>
/// Reads <c>{"type": "formula", "value" | "probability" | "logit": "…", "let": {"name": "…", …}}</c>.
/// Syntax errors point into the formula string (the column of the offending character, when the
/// string has no escapes before it).
/// </summary>
public static class FormulaMechanismReader
{
    private static readonly HashSet<string> Keys = new(StringComparer.Ordinal) { "type", "value", "probability", "logit", "let" };

    /// <summary>Reads a <c>formula</c> mechanism (value, probability or logit form, with optional let-bindings) of the JSON spec.</summary>
    public static IMechanism Read(MechanismReadContext c)
    {
        foreach (var p in c.Json.Properties())
            if (!Keys.Contains(p.Name)) throw c.Error(p, $"unknown property '{p.Name}' in a formula mechanism; expected one of {string.Join(", ", Keys.OrderBy(k => k))}");
        var forms = new[] { "value", "probability", "logit" }.Where(k => c.Json.ContainsKey(k)).ToList();
        if (forms.Count != 1) throw c.Error(c.Json, $"a formula mechanism needs exactly one of \"value\" (continuous), \"probability\" or \"logit\" (binary)");
        var form = forms[0] switch { "value" => FormulaMechanism.Form.Value, "probability" => FormulaMechanism.Form.Probability, _ => FormulaMechanism.Form.Logit };
        if (form == FormulaMechanism.Form.Value && c.Variable.IsCategorical)
            throw c.Error(c.Json, $"'{c.Variable.Name}' is categorical; a \"value\" formula needs a continuous variable (use \"probability\" or \"logit\" for a binary one)");
        if (form != FormulaMechanism.Form.Value && (!c.Variable.IsCategorical || c.Variable.Cardinality != 2))
            throw c.Error(c.Json, $"a \"{forms[0]}\" formula needs a categorical variable with 2 states; '{c.Variable.Name}' is not");

        var parentSlot = c.Parents.Select((p, i) => (p.Name, i)).ToDictionary(t => t.Name, t => t.i, StringComparer.Ordinal);
        var lets = new List<(string, FormulaNode)>();
        var letSlot = new Dictionary<string, int>(StringComparer.Ordinal);
        FormulaNode? Resolve(string name) =>
            letSlot.TryGetValue(name, out var l) ? new LetNode(l) : parentSlot.TryGetValue(name, out var p) ? new ParentNode(p) : null;
        if (c.Json["let"] is { } letToken)
        {
            if (letToken is not JObject letObject) throw c.Error(letToken, "expected \"let\" to be an object {\"name\": \"formula\", …}");
            foreach (var prop in letObject.Properties())
            {
                if (parentSlot.ContainsKey(prop.Name)) throw c.Error(prop, $"the let-binding '{prop.Name}' has the name of a parent");
                var node = Parse(c, prop.Value, Resolve);
                letSlot[prop.Name] = lets.Count;
                lets.Add((prop.Name, node));
            }
        }
        var bodyToken = c.Json[forms[0]]!;
        var body = Parse(c, bodyToken, Resolve);
        try
        {
            return new FormulaMechanism(c.ParentIndices, lets, body, form, bodyToken.Value<string>()!, c.Variable.Name);
        }
        catch (ArgumentException e)
        {
            throw c.Error(bodyToken, e.Message);
        }
    }

    private static FormulaNode Parse(MechanismReadContext c, JToken token, Func<string, FormulaNode?> resolve)
    {
        if (token.Type != JTokenType.String) throw c.Error(token, $"expected a formula (a string), found {MechanismReadContext.Describe(token)}");
        var text = token.Value<string>()!;
        try
        {
            return FormulaParser.Parse(text, resolve);
        }
        catch (FormulaSyntaxException e)
        {
            var at = JsonLocations.Locate(c.File, token);
            throw new SpecException(at with { Column = at.Column + 1 + e.Offset }, $"in the formula of '{c.Variable.Name}': {e.Message}");
        }
    }
}
