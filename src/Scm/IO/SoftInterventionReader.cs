using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Interventions;
using HybridSynth.Scm.Model;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Scm.IO;

/// <summary>
/// Reads soft interventions: <c>{"soft_interventions": [{"variable": "X", "parents": [...], "mechanism": {...}}]}</c>.
/// Each replaces X's mechanism (and parents) by the one given, in the same mechanism format as a model spec.
/// </summary>
public static class SoftInterventionReader
{
    /// <summary>Reads a soft-intervention file: per intervened variable, a new mechanism (any kind the readers know) and its parents.</summary>
    public static IReadOnlyList<SoftIntervention> ReadFile(string path, CausalModel model, IReadOnlyDictionary<string, MechanismReader>? readers = null)
    {
        InputFileException.RequireFile(path);
        return Read(File.ReadAllText(path), path, model, readers);
    }

    /// <summary>Reads soft interventions from JSON text (see <see cref="ReadFile"/>).</summary>
    public static IReadOnlyList<SoftIntervention> Read(string text, string file, CausalModel model, IReadOnlyDictionary<string, MechanismReader>? readers = null)
    {
        var root = JsonLocations.ParseObject(text, file);
        if (!root.TryGetValue("soft_interventions", out var listToken) || listToken is not JArray list)
            throw JsonLocations.Error(file, root, "expected {\"soft_interventions\": [{\"variable\": …, \"parents\": […], \"mechanism\": {…}}]}");
        var index = model.Variables.Select((v, i) => (v.Name, i)).ToDictionary(t => t.Name, t => t.i, StringComparer.Ordinal);
        var result = new List<SoftIntervention>();
        foreach (var item in list)
        {
            if (item is not JObject obj) throw JsonLocations.Error(file, item, "expected a soft-intervention object");
            if (!obj.TryGetValue("variable", out var vt) || vt.Type != JTokenType.String)
                throw JsonLocations.Error(file, obj, "a soft intervention needs \"variable\": name");
            var name = vt.Value<string>()!;
            if (!index.TryGetValue(name, out var v)) throw JsonLocations.Error(file, vt, $"the model has no variable '{name}'");
            var parents = JsonSpecReader.ReadParents(file, obj, name, index);
            if (!obj.TryGetValue("mechanism", out var mech)) throw JsonLocations.Error(file, obj, $"the soft intervention on '{name}' needs a 'mechanism'");
            var rank = new int[model.Count];
            for (var k = 0; k < model.Count; k++) rank[model.Graph.TopologicalOrder[k]] = k;
            var mechanism = JsonSpecReader.ReadMechanism(file, mech, model[v], parents, model.Variables, rank, readers);
            result.Add(new SoftIntervention(v, mechanism, Path.GetFileName(file)));
        }
        return result;
    }
}
