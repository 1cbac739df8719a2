using System.Globalization;
using System.Text.RegularExpressions;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Variables;

namespace HybridSynth.Verifier.Extraction;

/// <summary>
/// What the text of a model's variables may look like, derived from the spec: each variable's aliases
/// (its name with underscores as spaces, unless the spec gives <c>aliases</c>), the surface forms of
/// each state (the state name and its <c>synonyms</c>), its sentence templates (the spec's
/// <c>templates</c>, else "{Alias} is {value}." and two variants), and, for a binary variable whose
/// states read as a negative/positive pair (no/yes, false/true, absent/present, negative/positive),
/// which state a plain or negated mention means.
/// </summary>
public sealed class TextLexicon
{
    private static readonly (string Negative, string Positive)[] Pairs =
    {
        ("no", "yes"), ("false", "true"), ("absent", "present"), ("negative", "positive"), ("n", "y"),
    };

    /// <summary>The lexicon of <paramref name="model"/>: each variable's aliases, its states' surface forms and its templates;
    /// with a realization file (<paramref name="phrasebook"/>, checked against the model) also its sections, phrasings, cues and units.</summary>
    /// <exception cref="HybridSynth.Scm.Errors.SpecException">The realization file does not fit the model (located).</exception>
    public TextLexicon(CausalModel model, Phrasebook? phrasebook = null)
    {
        Model = model;
        phrasebook?.Check(model);
        Phrasebook = phrasebook;
        Entries = model.Variables.Select(v =>
        {
            var e = Build(v, phrasebook?.Variables.GetValueOrDefault(v.Name));
            return phrasebook is null ? e : e with { Phrasing = PhrasedEntry.Build(e, phrasebook.Variables.GetValueOrDefault(v.Name)) };
        }).ToArray();
    }

    /// <summary>The realization file the lexicon was built with, or null (the spec's own templates).</summary>
    public Phrasebook? Phrasebook { get; }

    /// <summary>The model.</summary>
    public CausalModel Model { get; }
    /// <summary>One entry per model variable, in model order.</summary>
    public IReadOnlyList<Entry> Entries { get; }

    /// <summary>One variable's entry.</summary>
    /// <param name="Variable">The variable.</param>
    /// <param name="Aliases">The names that mention it.</param>
    /// <param name="SurfaceForms">For each state, its surface forms.</param>
    /// <param name="Templates">The sentence templates it is realized with.</param>
    /// <param name="NegativeState">The state read from a negated mention, if it is binary with a negative state.</param>
    /// <param name="PositiveState">The state read from an affirmed mention.</param>
    /// <param name="TemplatePatterns">The templates as regular expressions.</param>
    /// <param name="AliasPattern">The aliases as one regular expression, or null when it has none.</param>
    public sealed record Entry(Variable Variable, IReadOnlyList<string> Aliases, IReadOnlyList<IReadOnlyList<string>> SurfaceForms,
        IReadOnlyList<string> Templates, int? NegativeState, int? PositiveState, IReadOnlyList<Regex> TemplatePatterns, Regex? AliasPattern)
    {
        /// <summary>Its realization-file phrasing, compiled (null without a realization file).</summary>
        public PhrasedEntry? Phrasing { get; init; }
    }

    /// <summary>The text of a value: a categorical state's name (or its surface form <paramref name="form"/>), a number to two decimals.</summary>
    public static string Surface(Entry e, double value, int form = 0)
    {
        if (!e.Variable.IsCategorical) return value.ToString("0.##", CultureInfo.InvariantCulture);
        var forms = e.SurfaceForms[(int)value];
        return forms[Math.Clamp(form, 0, forms.Count - 1)];
    }

    private static Entry Build(Variable v, VariablePhrasing? phrasing)
    {
        var aliases = phrasing is { Aliases.Count: > 0 } ? phrasing.Aliases : v.Aliases.Count > 0 ? v.Aliases : new[] { v.Name.Replace('_', ' ') };
        IReadOnlyList<IReadOnlyList<string>> forms = v.Domain is CategoricalDomain d
            ? d.States.Select(s => (IReadOnlyList<string>)new[] { s }.Concat(v.Synonyms.TryGetValue(s, out var syn) ? syn : Array.Empty<string>())
                .Concat(phrasing?.States.GetValueOrDefault(s)?.Synonyms ?? Array.Empty<string>()).ToList()).ToList()
            : Array.Empty<IReadOnlyList<string>>();
        var alias = aliases[0];
        var capital = alias.Length > 0 ? char.ToUpperInvariant(alias[0]) + alias[1..] : alias;
        var templates = v.Templates.Count > 0 ? v.Templates : new[] { $"{capital} is {{value}}.", $"The {alias} was {{value}}.", $"{capital}: {{value}}." };
        int? negative = null, positive = null;
        if (v.Domain is CategoricalDomain nd && nd.Cardinality == 2 && phrasing?.Negative is { } named)
        {
            negative = nd.States.ToList().IndexOf(named);
            positive = 1 - negative.Value;
        }
        else if (v.Domain is CategoricalDomain cd && cd.Cardinality == 2)
            foreach (var (n, p) in Pairs)
            {
                var lower = cd.States.Select(s => s.ToLowerInvariant()).ToList();
                if (lower.Contains(n) && lower.Contains(p)) { negative = lower.IndexOf(n); positive = lower.IndexOf(p); break; }
            }
        var value = v.IsCategorical
            ? "(?<value>" + string.Join("|", forms.SelectMany(f => f).OrderByDescending(f => f.Length).Select(Regex.Escape)) + ")"
            : @"(?<value>[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)";
        var patterns = templates.Select(t => new Regex(Spaced(t.Split("{value}"), value), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)).ToList();
        var aliasPattern = new Regex(@"(?<![\w])(" + string.Join("|", aliases.OrderByDescending(a => a.Length).Select(Regex.Escape)) + @")(?![\w])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        return new Entry(v, aliases, forms, templates, negative, positive, patterns, aliasPattern);
    }

    /// <summary>A template as a regex: literal parts escaped with flexible whitespace, the slot as the value group, bounded so values are whole words.</summary>
    internal static string Spaced(string[] parts, string value)
    {
        string Literal(string p) => Regex.Replace(Regex.Escape(p), @"(\\ |\s)+", @"\s+");
        var sb = new System.Text.StringBuilder(@"(?<![\w])");
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0) sb.Append(value).Append(@"(?![\w])");
            sb.Append(Literal(parts[i]));
        }
        return sb.ToString();
    }
}
