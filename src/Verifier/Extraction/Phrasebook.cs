using System.Globalization;
using HybridSynth.Scm.Errors;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Variables;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Verifier.Extraction;

/// <summary>
/// A realization file (<c>hybridsynth-phrasing/1</c>, JSON): how a clinician would write a model's variables. Note sections
/// with their headings; per variable its section, aliases, which state a negated mention means, and per state several
/// phrasings (whole sentences the template realizer writes), cues (phrases that state it wherever they occur, such as
/// "non-smoker"), synonyms (words that state it in a sentence naming the variable, such as "clear" for an X-ray) and a
/// fact clause for questions; a continuous variable has phrasings with a {value} slot, units and decimals. It overlays any
/// spec (a bnlearn network, a JSON spec), so the same network can be phrased by several files. Errors are located.
/// </summary>
public sealed class Phrasebook
{
    private static readonly HashSet<string> TopKeys = new(StringComparer.Ordinal) { "format", "description", "subject", "sections", "section_order", "variables" };
    private static readonly HashSet<string> VariableKeys = new(StringComparer.Ordinal) { "section", "aliases", "negative", "states", "phrases", "units", "decimals", "noun" };
    private static readonly HashSet<string> StateKeys = new(StringComparer.Ordinal) { "phrases", "cues", "synonyms", "fact" };

    /// <summary>The format tag a realization file must carry.</summary>
    public const string Format = "hybridsynth-phrasing/1";

    private Phrasebook(string file, string? description, string subject, bool shuffleSections, IReadOnlyList<NoteSection> sections, IReadOnlyDictionary<string, VariablePhrasing> variables, IReadOnlyDictionary<string, JToken> tokens)
    {
        File = file;
        Description = description;
        Subject = subject;
        ShuffleSections = shuffleSections;
        Sections = sections;
        Variables = variables;
        _tokens = tokens;
    }

    private readonly IReadOnlyDictionary<string, JToken> _tokens;

    /// <summary>The file it was read from.</summary>
    public string File { get; }
    /// <summary>What the file is for.</summary>
    public string? Description { get; }
    /// <summary>Who the notes are about, plural, for questions ("patients" unless given).</summary>
    public string Subject { get; }
    /// <summary>Whether each note orders its sections by the realizer's noise (<c>"section_order": "shuffled"</c>) rather than as listed (<c>"fixed"</c>, the default).</summary>
    public bool ShuffleSections { get; }
    /// <summary>The note's sections, in the order they are written.</summary>
    public IReadOnlyList<NoteSection> Sections { get; }
    /// <summary>The phrasing of each variable it covers, by variable name.</summary>
    public IReadOnlyDictionary<string, VariablePhrasing> Variables { get; }

    /// <summary>Reads a realization file.</summary>
    /// <exception cref="InputFileException">The file is missing or unreadable.</exception>
    /// <exception cref="SpecException">Its content is not a valid realization file (located).</exception>
    public static Phrasebook ReadFile(string path)
    {
        InputFileException.RequireFile(path);
        return Parse(System.IO.File.ReadAllText(path), path);
    }

    /// <summary>Parses a realization file's text; <paramref name="file"/> names it in errors.</summary>
    public static Phrasebook Parse(string text, string file)
    {
        var root = JsonLocations.ParseObject(text, file);
        Keys(file, root, TopKeys, "the realization file");
        if (root["format"]?.Type != JTokenType.String || root.Value<string>("format") != Format)
            throw JsonLocations.Error(file, root["format"] ?? root, $"expected \"format\": \"{Format}\"");
        var sections = new List<NoteSection>();
        if (root["sections"] is { } st)
        {
            if (st is not JArray arr) throw JsonLocations.Error(file, st, "expected 'sections' to be an array of {\"name\", \"headings\"}");
            foreach (var item in arr)
            {
                if (item is not JObject o || o["name"]?.Type != JTokenType.String) throw JsonLocations.Error(file, item, "expected a section {\"name\": …, \"headings\": […]}");
                Keys(file, o, new HashSet<string> { "name", "headings" }, "a section");
                var name = o.Value<string>("name")!;
                if (sections.Any(s => s.Name == name)) throw JsonLocations.Error(file, o, $"section '{name}' is declared twice");
                sections.Add(new NoteSection(name, Strings(file, o, "headings", allowEmpty: true)));
            }
        }
        if (root["variables"] is not JObject vars) throw JsonLocations.Error(file, root["variables"] ?? root, "expected 'variables' to be an object {\"NAME\": {…}}");
        var variables = new Dictionary<string, VariablePhrasing>(StringComparer.Ordinal);
        var tokens = new Dictionary<string, JToken>(StringComparer.Ordinal);
        foreach (var prop in vars.Properties())
        {
            if (prop.Value is not JObject v) throw JsonLocations.Error(file, prop.Value, $"expected variable '{prop.Name}' to be an object");
            Keys(file, v, VariableKeys, $"variable '{prop.Name}'");
            var section = v["section"]?.Type == JTokenType.String ? v.Value<string>("section") : null;
            if (v["section"] is { } sToken && section is null) throw JsonLocations.Error(file, sToken, "expected 'section' to be a string");
            if (section is not null && sections.All(s => s.Name != section))
                throw JsonLocations.Error(file, v["section"]!, $"unknown section '{section}'; declared: {string.Join(", ", sections.Select(s => s.Name))}");
            var states = new Dictionary<string, StatePhrasing>(StringComparer.Ordinal);
            if (v["states"] is { } statesToken)
            {
                if (statesToken is not JObject so) throw JsonLocations.Error(file, statesToken, "expected 'states' to be an object {\"STATE\": [phrases] | {\"phrases\", \"cues\", \"synonyms\", \"fact\"}}");
                foreach (var sp in so.Properties())
                {
                    if (sp.Value is JArray) { states[sp.Name] = new StatePhrasing(Strings(file, so, sp.Name, allowEmpty: false), [], [], null); continue; }
                    if (sp.Value is not JObject o) throw JsonLocations.Error(file, sp.Value, $"expected state '{sp.Name}' to be an array of phrasings or an object");
                    Keys(file, o, StateKeys, $"state '{sp.Name}' of '{prop.Name}'");
                    var fact = o["fact"] is { } f ? f.Type == JTokenType.String ? f.Value<string>() : throw JsonLocations.Error(file, f, "expected 'fact' to be a string") : null;
                    states[sp.Name] = new StatePhrasing(Strings(file, o, "phrases", allowEmpty: true), Strings(file, o, "cues", allowEmpty: true), Strings(file, o, "synonyms", allowEmpty: true), fact);
                }
            }
            var phrases = Strings(file, v, "phrases", allowEmpty: true);
            foreach (var p in phrases)
                if (!p.Contains("{value}", StringComparison.Ordinal)) throw JsonLocations.Error(file, v["phrases"]!, $"a phrasing of continuous '{prop.Name}' needs a {{value}} slot: \"{p}\"");
            var units = new Dictionary<string, (double Scale, double Offset)>(StringComparer.OrdinalIgnoreCase);
            if (v["units"] is { } ut)
            {
                if (ut is not JObject uo) throw JsonLocations.Error(file, ut, "expected 'units' to be an object {\"unit\": scale | [scale, offset]}");
                foreach (var u in uo.Properties())
                    units[u.Name] = u.Value switch
                    {
                        JValue { Type: JTokenType.Integer or JTokenType.Float } x => (x.Value<double>(), 0),
                        JArray { Count: 2 } a when a.All(x => x.Type is JTokenType.Integer or JTokenType.Float) => (a[0].Value<double>(), a[1].Value<double>()),
                        _ => throw JsonLocations.Error(file, u.Value, $"expected unit '{u.Name}' to be a scale or [scale, offset] (value = scale·x + offset)"),
                    };
            }
            var decimals = 2;
            if (v["decimals"] is { } d)
            {
                if (d.Type != JTokenType.Integer || d.Value<int>() is < 0 or > 6) throw JsonLocations.Error(file, d, "expected 'decimals' to be an integer in 0..6");
                decimals = d.Value<int>();
            }
            var negative = v["negative"] is { } n ? n.Type == JTokenType.String ? n.Value<string>() : throw JsonLocations.Error(file, n, "expected 'negative' to be a state name") : null;
            if (negative is not null && states.Count > 0 && !states.ContainsKey(negative))
                throw JsonLocations.Error(file, v["negative"]!, $"'negative' names '{negative}', which is not among the states given ({string.Join(", ", states.Keys)})");
            var noun = v["noun"] is { } nn ? nn.Type == JTokenType.String ? nn.Value<string>() : throw JsonLocations.Error(file, nn, "expected 'noun' to be a string") : null;
            variables[prop.Name] = new VariablePhrasing(prop.Name, section, Strings(file, v, "aliases", allowEmpty: true), negative, states, phrases, units, decimals, noun);
            tokens[prop.Name] = v;
        }
        var subject = root["subject"] is { Type: JTokenType.String } subj ? subj.Value<string>()! : "patients";
        var order = root["section_order"];
        if (order is not null && (order.Type != JTokenType.String || order.Value<string>() is not ("fixed" or "shuffled")))
            throw JsonLocations.Error(file, order, "expected 'section_order' to be \"fixed\" or \"shuffled\"");
        return new Phrasebook(file, root["description"]?.Value<string>(), subject, order?.Value<string>() == "shuffled", sections, variables, tokens);
    }

    /// <summary>Checks the file against a model: every variable it names exists, its states are the variable's, a continuous variable has no states and a categorical one no {value} phrasings.</summary>
    /// <exception cref="SpecException">Located at the offending entry of the file.</exception>
    public void Check(CausalModel model)
    {
        foreach (var (name, p) in Variables)
        {
            var token = _tokens[name];
            if (!model.TryIndexOf(name, out var index))
                throw JsonLocations.Error(File, token.Parent ?? token, $"the model '{model.Name}' has no variable '{name}'");
            var variable = model[index];
            if (variable.Domain is CategoricalDomain d)
            {
                if (p.Phrases.Count > 0) throw JsonLocations.Error(File, token["phrases"]!, $"'{name}' is categorical: give its phrasings per state under 'states'");
                foreach (var state in p.States.Keys)
                    if (!d.States.Contains(state)) throw JsonLocations.Error(File, ((JObject)token["states"]!).Property(state)!, $"'{name}' has no state '{state}'; its states are {string.Join(", ", d.States)}");
                if (p.Negative is not null && !d.States.Contains(p.Negative)) throw JsonLocations.Error(File, token["negative"]!, $"'{name}' has no state '{p.Negative}'");
            }
            else if (p.States.Count > 0) throw JsonLocations.Error(File, token["states"]!, $"'{name}' is continuous: give 'phrases' with a {{value}} slot, not states");
        }
    }

    private static void Keys(string file, JObject obj, HashSet<string> allowed, string what)
    {
        foreach (var p in obj.Properties())
            if (!allowed.Contains(p.Name)) throw JsonLocations.Error(file, p, $"unknown property '{p.Name}' in {what}; expected {string.Join(", ", allowed)}");
    }

    private static IReadOnlyList<string> Strings(string file, JObject obj, string key, bool allowEmpty)
    {
        if (!obj.TryGetValue(key, out var token)) return Array.Empty<string>();
        if (token is not JArray a || a.Any(x => x.Type != JTokenType.String || x.Value<string>()!.Trim().Length == 0))
            throw JsonLocations.Error(file, token, $"expected '{key}' to be an array of non-blank strings");
        if (!allowEmpty && a.Count == 0) throw JsonLocations.Error(file, token, $"'{key}' is empty");
        return a.Select(x => x.Value<string>()!.Trim()).ToList();
    }
}

/// <summary>A note section: its name and the headings it may be written under (none: no heading).</summary>
public sealed record NoteSection(string Name, IReadOnlyList<string> Headings);

/// <summary>One variable's phrasing in a realization file (see <see cref="Phrasebook"/>).</summary>
/// <param name="Name">The variable.</param>
/// <param name="Section">The section its sentence goes in, or null for the last, unheaded paragraph.</param>
/// <param name="Aliases">Words that name it (for extraction and questions).</param>
/// <param name="Negative">The state a negated mention means (binary variables), when the state names do not say.</param>
/// <param name="States">Per state its phrasings, cues, synonyms and fact clause.</param>
/// <param name="Phrases">A continuous variable's phrasings, each with a {value} slot.</param>
/// <param name="Units">A continuous variable's units: value = scale·x + offset for a number written in that unit.</param>
/// <param name="Decimals">Decimals a continuous value is written with.</param>
/// <param name="Noun">What questions call it ("the heart rate"), when its alias will not do.</param>
public sealed record VariablePhrasing(string Name, string? Section, IReadOnlyList<string> Aliases, string? Negative,
    IReadOnlyDictionary<string, StatePhrasing> States, IReadOnlyList<string> Phrases, IReadOnlyDictionary<string, (double Scale, double Offset)> Units, int Decimals, string? Noun)
{
    /// <summary>The value written to <see cref="Decimals"/> decimals, invariant culture.</summary>
    public string FormatNumber(double value) => value.ToString("F" + Decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}

/// <summary>One state's phrasing.</summary>
/// <param name="Phrases">Whole sentences the realizer writes for it.</param>
/// <param name="Cues">Phrases that state it wherever they occur ("non-smoker", "TB excluded").</param>
/// <param name="Synonyms">Words that state it in a sentence that names the variable ("clear" for an X-ray).</param>
/// <param name="Fact">A clause for questions ("the patient smokes").</param>
public sealed record StatePhrasing(IReadOnlyList<string> Phrases, IReadOnlyList<string> Cues, IReadOnlyList<string> Synonyms, string? Fact);
