using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Mechanisms;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Variables;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Scm.IO;

/// <summary>
/// Reads the project's JSON model spec (format documented in the README):
/// <c>{"name": …, "variables": [{"name", "states" | "type": "continuous", "parents", "hidden", "role", "mechanism": {"type": …}}]}</c>.
/// Variables may be listed in any order; every error is located (file:line:col).
/// </summary>
public static class JsonSpecReader
{
    private static readonly HashSet<string> TopLevelKeys = new(StringComparer.Ordinal) { "format", "name", "description", "variables", "metadata" };
    private static readonly HashSet<string> VariableKeys = new(StringComparer.Ordinal) { "name", "description", "states", "type", "parents", "hidden", "role", "mechanism", "metadata", "phrasing", "phrasings", "event", "templates", "synonyms", "aliases" };

    /// <summary>Reads a JSON spec file (see <see cref="Read"/>); <paramref name="readers"/> add mechanism kinds beyond the built-in ones.</summary>
    public static CausalModel ReadFile(string path, IReadOnlyDictionary<string, MechanismReader>? readers = null) => Read(File.ReadAllText(path), path, readers);

    /// <param name="readers">Mechanism kinds beyond the built-in ones (for example a language-model mechanism bound to a loaded model); they take precedence.</param>
    public static CausalModel Read(string text, string file, IReadOnlyDictionary<string, MechanismReader>? readers = null)
    {
        var root = JsonLocations.ParseObject(text, file);
        CheckKeys(file, root, TopLevelKeys, "the spec");
        var name = root.TryGetValue("name", out var nameToken) ? ReadString(file, nameToken, "the model name") : Path.GetFileNameWithoutExtension(file);
        if (!root.TryGetValue("variables", out var varsToken)) throw JsonLocations.Error(file, root, "the spec needs a 'variables' array");
        if (varsToken is not JArray array || array.Count == 0) throw JsonLocations.Error(file, varsToken, "expected 'variables' to be a non-empty array of variable objects");

        var objects = new List<JObject>();
        var variables = new List<Variable>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in array)
        {
            if (item is not JObject obj) throw JsonLocations.Error(file, item, "expected a variable object {\"name\": …}");
            CheckKeys(file, obj, VariableKeys, "a variable");
            var v = ReadVariable(file, obj);
            if (!index.TryAdd(v.Name, variables.Count)) throw JsonLocations.Error(file, obj["name"]!, $"variable '{v.Name}' is declared twice");
            variables.Add(v);
            objects.Add(obj);
        }
        foreach (var role in new[] { VariableRole.Treatment, VariableRole.Outcome })
        {
            var withRole = variables.Where(v => v.Role == role).ToList();
            if (withRole.Count > 1)
                throw JsonLocations.Error(file, objects[index[withRole[1].Name]], $"only one variable may have the role '{role.ToString().ToLowerInvariant()}'; '{withRole[0].Name}' has it already");
        }

        var parentLists = new int[variables.Count][];
        for (var i = 0; i < variables.Count; i++) parentLists[i] = ReadParents(file, objects[i], variables[i].Name, index);
        int[] rank;
        try
        {
            var order = new Graph.CausalGraph(variables.Select(v => v.Name).ToArray(), parentLists).TopologicalOrder;
            rank = new int[variables.Count];
            for (var k = 0; k < order.Count; k++) rank[order[k]] = k;
        }
        catch (CyclicGraphException e)
        {
            throw JsonLocations.Error(file, objects[index[e.Cycle[0]]]["parents"] ?? objects[index[e.Cycle[0]]], e.Message);
        }

        var mechanisms = new IMechanism[variables.Count];
        for (var i = 0; i < variables.Count; i++)
        {
            var obj = objects[i];
            if (!obj.TryGetValue("mechanism", out var mech)) throw JsonLocations.Error(file, obj, $"variable '{variables[i].Name}' needs a 'mechanism'");
            mechanisms[i] = ReadMechanism(file, mech, variables[i], parentLists[i], variables, rank, readers);
        }
        try
        {
            return new CausalModel(name, variables, mechanisms);
        }
        catch (ModelException e)
        {
            throw JsonLocations.Error(file, root, e.Message);
        }
    }

    /// <summary>Reads a mechanism object for <paramref name="variable"/> with the given parent indices.</summary>
    /// <param name="topologicalRank">Each variable's position in a topological order of the model (null when unknown).</param>
    public static IMechanism ReadMechanism(string file, JToken token, Variable variable, IReadOnlyList<int> parents, IReadOnlyList<Variable> all,
        IReadOnlyList<int>? topologicalRank = null, IReadOnlyDictionary<string, MechanismReader>? readers = null)
    {
        if (token is not JObject mech) throw JsonLocations.Error(file, token, $"expected the mechanism of '{variable.Name}' to be an object {{\"type\": …}}");
        if (!mech.TryGetValue("type", out var typeToken) || typeToken.Type != JTokenType.String)
            throw JsonLocations.Error(file, mech, $"the mechanism of '{variable.Name}' needs a \"type\": one of {string.Join(", ", BuiltinMechanisms.Kinds)}");
        var type = typeToken.Value<string>()!;
        MechanismReader? reader = null;
        if (readers is not null && readers.TryGetValue(type, out var extra)) reader = extra;
        else if (BuiltinMechanisms.Readers.TryGetValue(type, out var registered)) reader = registered;
        if (reader is null)
        {
            var kinds = BuiltinMechanisms.Kinds.Concat(readers?.Keys ?? Enumerable.Empty<string>()).Distinct().OrderBy(k => k, StringComparer.Ordinal);
            var hint = type == "language_model" && readers is null ? " (language-model specs need a model: use 'hybridsynth sdscm --model FILE.gguf')" : "";
            throw JsonLocations.Error(file, typeToken, $"unknown mechanism type '{type}'; expected one of {string.Join(", ", kinds)}{hint}");
        }
        var context = new MechanismReadContext(file, mech, variable, parents, parents.Select(p => all[p]).ToArray())
        {
            AllVariables = all,
            TopologicalRank = topologicalRank,
        };
        try
        {
            return reader(context);
        }
        catch (ArgumentException e)
        {
            throw JsonLocations.Error(file, mech, $"the mechanism of '{variable.Name}': {e.Message}");
        }
    }

    /// <summary>Reads a <c>"parents": ["A", …]</c> list and resolves the names.</summary>
    public static int[] ReadParents(string file, JObject obj, string variable, IReadOnlyDictionary<string, int> index)
    {
        if (!obj.TryGetValue("parents", out var token)) return Array.Empty<int>();
        if (token is not JArray list) throw JsonLocations.Error(file, token, $"expected 'parents' of '{variable}' to be an array of variable names");
        var result = new List<int>();
        foreach (var p in list)
        {
            var name = ReadString(file, p, "a parent name");
            if (!index.TryGetValue(name, out var i)) throw JsonLocations.Error(file, p, $"unknown parent '{name}' of '{variable}' (no such variable is declared){Suggestions.DidYouMean(name, index.Keys)}");
            if (name == variable) throw JsonLocations.Error(file, p, $"'{variable}' cannot be its own parent");
            if (result.Contains(i)) throw JsonLocations.Error(file, p, $"parent '{name}' of '{variable}' is listed twice");
            result.Add(i);
        }
        return result.ToArray();
    }

    private static Variable ReadVariable(string file, JObject obj)
    {
        if (!obj.TryGetValue("name", out var nameToken)) throw JsonLocations.Error(file, obj, "a variable needs a 'name'");
        var name = ReadString(file, nameToken, "a variable name");
        if (name.Length == 0 || name.Any(ch => char.IsControl(ch)) || name.Contains('='))
            throw JsonLocations.Error(file, nameToken, $"'{name}' is not a usable variable name (it must be non-empty, without control characters or '=')");
        VariableDomain domain;
        if (obj.TryGetValue("states", out var statesToken))
        {
            if (statesToken is not JArray states || states.Count == 0)
                throw JsonLocations.Error(file, statesToken, $"expected 'states' of '{name}' to be a non-empty array of state names");
            var list = new List<string>();
            foreach (var s in states)
            {
                var state = ReadString(file, s, "a state name");
                if (list.Contains(state)) throw JsonLocations.Error(file, s, $"duplicate state '{state}' of '{name}'");
                list.Add(state);
            }
            if (obj.TryGetValue("type", out var t) && t.Value<string>() != "categorical")
                throw JsonLocations.Error(file, t, $"'{name}' lists states, so its type must be 'categorical' (or omitted)");
            domain = new CategoricalDomain(list);
        }
        else if (obj.TryGetValue("type", out var typeToken) && typeToken.Type == JTokenType.String && typeToken.Value<string>() == "continuous")
        {
            domain = ContinuousDomain.Instance;
        }
        else
        {
            throw JsonLocations.Error(file, obj, $"variable '{name}' needs \"states\": [...] (categorical) or \"type\": \"continuous\"");
        }
        var hidden = false;
        if (obj.TryGetValue("hidden", out var h))
        {
            if (h.Type != JTokenType.Boolean) throw JsonLocations.Error(file, h, $"expected 'hidden' of '{name}' to be true or false");
            hidden = h.Value<bool>();
        }
        var role = VariableRole.None;
        if (obj.TryGetValue("role", out var r))
        {
            role = ReadString(file, r, "a role") switch
            {
                "treatment" => VariableRole.Treatment,
                "outcome" => VariableRole.Outcome,
                "covariate" or "none" => VariableRole.None,
                var other => throw JsonLocations.Error(file, r, $"unknown role '{other}'; expected treatment, outcome or covariate"),
            };
        }
        if (role == VariableRole.Treatment && domain is CategoricalDomain { Cardinality: not 2 })
            throw JsonLocations.Error(file, r!, $"the treatment '{name}' must be binary (2 states)");
        if (role == VariableRole.Treatment && !domain.IsCategorical)
            throw JsonLocations.Error(file, r!, $"the treatment '{name}' must be categorical with 2 states");
        string? eventState = null;
        if (obj.TryGetValue("event", out var ev))
        {
            eventState = ReadString(file, ev, "an event state");
            if (role != VariableRole.Outcome) throw JsonLocations.Error(file, ev, $"'event' applies to the outcome; '{name}' is not one");
            if (domain is not CategoricalDomain cd || !cd.TryCode(eventState, out _))
                throw JsonLocations.Error(file, ev, $"'{eventState}' is not a state of '{name}'");
        }
        return new Variable(name, domain, hidden, role)
        {
            EventState = eventState,
            Location = JsonLocations.Locate(file, nameToken),
            Description = obj.Value<string>("description"),
            Phrasings = ReadPhrasings(file, obj, name),
            Templates = ReadStrings(file, obj, "templates", name, t => t.Contains("{value}", StringComparison.Ordinal) ? null : "a template needs a {value} slot"),
            Aliases = ReadStrings(file, obj, "aliases", name, a => a.Trim().Length == 0 ? "an alias cannot be blank" : null),
            Synonyms = ReadSynonyms(file, obj, name, domain),
        };
    }

    private static IReadOnlyList<string> ReadStrings(string file, JObject obj, string key, string variable, Func<string, string?> check)
    {
        if (!obj.TryGetValue(key, out var token)) return Array.Empty<string>();
        if (token is not JArray list) throw JsonLocations.Error(file, token, $"expected '{key}' of '{variable}' to be an array of strings");
        var result = new List<string>();
        foreach (var item in list)
        {
            var text = ReadString(file, item, $"a {key[..^1]}");
            if (check(text) is { } problem) throw JsonLocations.Error(file, item, $"{problem} ('{variable}')");
            result.Add(text);
        }
        return result;
    }

    private static IReadOnlyDictionary<string, IReadOnlyList<string>> ReadSynonyms(string file, JObject obj, string variable, VariableDomain domain)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (!obj.TryGetValue("synonyms", out var token)) return result;
        if (token is not JObject map) throw JsonLocations.Error(file, token, $"expected 'synonyms' of '{variable}' to be an object {{\"state\": [\"synonym\", …]}}");
        foreach (var prop in map.Properties())
        {
            if (domain is not CategoricalDomain d || !d.TryCode(prop.Name, out _))
                throw JsonLocations.Error(file, prop, $"'{prop.Name}' is not a state of '{variable}'");
            if (prop.Value is not JArray list) throw JsonLocations.Error(file, prop.Value, "expected an array of synonyms");
            result[prop.Name] = list.Select(t => ReadString(file, t, "a synonym")).ToList();
        }
        return result;
    }

    /// <summary><c>"phrasing": {"prefix", "suffix"}</c> or <c>"phrasings": [{…}, …]</c> (alternatives of a family).</summary>
    private static IReadOnlyList<Phrasing> ReadPhrasings(string file, JObject obj, string variable)
    {
        if (obj.ContainsKey("phrasing") && obj.ContainsKey("phrasings"))
            throw JsonLocations.Error(file, obj["phrasings"]!, $"'{variable}' gives both 'phrasing' and 'phrasings'; use one");
        var items = obj.TryGetValue("phrasing", out var one) ? new JArray(one)
            : obj.TryGetValue("phrasings", out var many) ? many as JArray ?? throw JsonLocations.Error(file, many, $"expected 'phrasings' of '{variable}' to be an array of {{\"prefix\", \"suffix\"}} objects")
            : new JArray();
        var result = new List<Phrasing>();
        foreach (var item in items)
        {
            if (item is not JObject p) throw JsonLocations.Error(file, item, $"expected a phrasing of '{variable}' to be an object {{\"prefix\": …, \"suffix\": …}}");
            foreach (var prop in p.Properties())
                if (prop.Name is not ("prefix" or "suffix"))
                    throw JsonLocations.Error(file, prop, $"unknown property '{prop.Name}' in a phrasing; expected prefix, suffix");
            var prefix = p.TryGetValue("prefix", out var pre) ? ReadString(file, pre, "a prefix") : "";
            var suffix = p.TryGetValue("suffix", out var suf) ? ReadString(file, suf, "a suffix") : "";
            result.Add(new Phrasing(prefix, suffix));
        }
        if (obj.ContainsKey("phrasings") && result.Count == 0)
            throw JsonLocations.Error(file, obj["phrasings"]!, $"'phrasings' of '{variable}' is empty");
        return result;
    }

    private static string ReadString(string file, JToken token, string what) =>
        token.Type == JTokenType.String ? token.Value<string>()! : throw JsonLocations.Error(file, token, $"expected {what} (a string), found {MechanismReadContext.Describe(token)}");

    private static void CheckKeys(string file, JObject obj, HashSet<string> allowed, string what)
    {
        foreach (var p in obj.Properties())
            if (!allowed.Contains(p.Name))
                throw JsonLocations.Error(file, p, $"unknown property '{p.Name}' in {what}; expected one of {string.Join(", ", allowed.OrderBy(x => x))}");
    }
}
