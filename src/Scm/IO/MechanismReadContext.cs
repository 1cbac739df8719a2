using System.Globalization;
using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Variables;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Scm.IO;

/// <summary>
/// What a mechanism reader gets: the mechanism's JSON object, the variable it defines, its parents
/// (indices and variables, in the order the spec lists them) and helpers that turn bad values into
/// located <see cref="SpecException"/>s.
/// </summary>
public sealed class MechanismReadContext
{
    /// <summary>What a mechanism reader sees: the spec file, the mechanism's JSON, its variable, and its parents (indices and variables).</summary>
    public MechanismReadContext(string file, JObject json, Variable variable, IReadOnlyList<int> parentIndices, IReadOnlyList<Variable> parents)
    {
        File = file;
        Json = json;
        Variable = variable;
        ParentIndices = parentIndices;
        Parents = parents;
    }

    /// <summary>The spec file, for located errors.</summary>
    public string File { get; }
    /// <summary>The mechanism's JSON object.</summary>
    public JObject Json { get; }
    /// <summary>The variable whose mechanism is read.</summary>
    public Variable Variable { get; }
    /// <summary>The parents' model indices, in the spec's order.</summary>
    public IReadOnlyList<int> ParentIndices { get; }
    /// <summary>The parents' variables, in the same order.</summary>
    public IReadOnlyList<Variable> Parents { get; }

    /// <summary>Every variable of the model being read (index = model index), when known.</summary>
    public IReadOnlyList<Variable>? AllVariables { get; init; }

    /// <summary>Each variable's position in a topological order of the model, when known.</summary>
    public IReadOnlyList<int>? TopologicalRank { get; init; }

    /// <summary>A located error at <paramref name="at"/> (the mechanism's object when null).</summary>
    public SpecException Error(JToken? at, string message) => JsonLocations.Error(File, at ?? Json, message);

    /// <summary>The required property <paramref name="name"/> of the mechanism object.</summary>
    public JToken Required(string name) =>
        Json.TryGetValue(name, StringComparison.Ordinal, out var t) ? t : throw Error(Json, $"the '{Json.Value<string>("type")}' mechanism of '{Variable.Name}' needs a '{name}' property");

    /// <paramref name="token"/> as a finite number, or a located error naming <paramref name="what"/>.
    public double Number(JToken token, string what)
    {
        if (token.Type is JTokenType.Integer or JTokenType.Float)
        {
            var x = token.Value<double>();
            if (double.IsFinite(x)) return x;
        }
        if (token.Type == JTokenType.String &&
            double.TryParse(token.Value<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var y) && double.IsFinite(y))
            return y;
        throw Error(token, $"expected {what} (a finite number), found {Describe(token)}");
    }

    /// <summary>The number under key <paramref name="name"/>, or <paramref name="fallback"/> when the key is absent.</summary>
    public double OptionalNumber(string name, double fallback, string what) =>
        Json.TryGetValue(name, StringComparison.Ordinal, out var t) ? Number(t, what) : fallback;

    /// <summary>
    /// Reads <c>"weights": {"parent": w, …}</c>: one weight per parent, aligned with <see cref="Parents"/>.
    /// A weight naming a non-parent, or a parent without weight, is an error.
    /// </summary>
    public double[] ParentWeights(string property = "weights")
    {
        var weights = new double[Parents.Count];
        if (Parents.Count == 0 && !Json.ContainsKey(property)) return weights;
        var token = Required(property);
        if (token is not JObject obj) throw Error(token, $"expected '{property}' to be an object {{\"parent\": weight, …}}, found {Describe(token)}");
        var seen = new bool[Parents.Count];
        foreach (var prop in obj.Properties())
        {
            var k = Parents.Select(p => p.Name).ToList().IndexOf(prop.Name);
            if (k < 0) throw Error(prop, $"'{prop.Name}' is not a parent of '{Variable.Name}' (parents: {string.Join(", ", Parents.Select(p => p.Name))})");
            weights[k] = Number(prop.Value, $"the weight of '{prop.Name}'");
            seen[k] = true;
        }
        var missing = Parents.Where((_, i) => !seen[i]).Select(p => p.Name).ToList();
        if (missing.Count > 0) throw Error(obj, $"no weight for parent(s) {string.Join(", ", missing)} of '{Variable.Name}'");
        return weights;
    }

    /// <summary>A short description of a JSON value's type for error messages ("a string", "an array"…).</summary>
    public static string Describe(JToken token) => token.Type switch
    {
        JTokenType.String => $"\"{token.Value<string>()}\"",
        JTokenType.Null => "null",
        JTokenType.Object => "an object",
        JTokenType.Array => "an array",
        _ => token.ToString(Formatting.None),
    };
}
