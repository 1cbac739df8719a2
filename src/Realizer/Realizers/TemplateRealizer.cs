using System.Text;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Randomness;
using HybridSynth.Verifier.Extraction;

namespace HybridSynth.Realizer.Realizers;

/// <summary>
/// The template realizer (no model; the built-in default): one sentence per visible variable, from
/// one of its templates with its value (a state's name or one of its synonyms), sentences in a
/// shuffled order. Every choice — template, surface form, position — is a counter-based uniform keyed
/// by (seed, unit, variable), not by the values: a do() or counterfactual skeleton realized with the
/// same seed gives a note that differs from the factual one exactly where the values differ.
/// Always faithful, so it ignores corrections.
/// </summary>
public sealed class TemplateRealizer(TextLexicon lexicon, ulong seed) : IRealizer
{
    private readonly int[] _visible = Enumerable.Range(0, lexicon.Model.Count).Where(v => !lexicon.Model[v].Hidden).ToArray();

    /// <inheritdoc />
    public string Name => "template";
    /// <summary>The phrasings of each variable and state.</summary>
    public TextLexicon Lexicon { get; } = lexicon;
    /// <summary>The seed of the phrasing choices.</summary>
    public ulong Seed { get; } = seed;

    /// <inheritdoc />
    public string Realize(long unit, IReadOnlyList<double> values, IReadOnlyList<Correction> corrections, int round) => Write(unit, values);

    /// <summary>The note for these values (the choices depend on the unit only).</summary>
    public string Write(long unit, IReadOnlyList<double> values)
    {
        if (Lexicon.Phrasebook is { } book) return Compose(book, unit, values);
        var sentences = new List<(double Order, string Text)>();
        foreach (var v in _visible)
        {
            var e = Lexicon.Entries[v];
            var name = e.Variable.Name;
            var template = e.Templates[Pick(name, 0, unit, e.Templates.Count)];
            var forms = e.Variable.IsCategorical ? e.SurfaceForms[(int)values[v]].Count : 1;
            var surface = TextLexicon.Surface(e, values[v], Pick(name, 1, unit, forms));
            sentences.Add((U(name, 2, unit), template.Replace("{value}", surface, StringComparison.Ordinal)));
        }
        return string.Join(" ", sentences.OrderBy(s => s.Order).Select(s => s.Text));
    }

    /// <summary>
    /// A note from a realization file: its sections in order (or in the unit's order when the file says so), each under a
    /// heading chosen for the unit, its sentences in the unit's order, one phrasing each; now and then two sentences of a
    /// section are joined by a semicolon. Variables outside every section close the note, unheaded.
    /// </summary>
    private string Compose(Phrasebook book, long unit, IReadOnlyList<double> values)
    {
        var sections = book.Sections.Select(s => (Name: (string?)s.Name, s.Headings)).Append((Name: (string?)null, Headings: (IReadOnlyList<string>)Array.Empty<string>())).ToList();
        if (book.ShuffleSections) sections = sections.OrderBy(s => s.Name is null ? 2 : U("§" + s.Name, 3, unit)).ToList();
        var paragraphs = new List<string>();
        foreach (var (name, headings) in sections)
        {
            var members = _visible.Where(v => Lexicon.Entries[v].Phrasing!.Section == name).OrderBy(v => U(Lexicon.Entries[v].Variable.Name, 2, unit)).ToList();
            if (members.Count == 0) continue;
            var text = new StringBuilder();
            if (headings.Count > 0) text.Append(headings[Pick("§" + name, 4, unit, headings.Count)]).Append(' ');
            for (var i = 0; i < members.Count; i++)
            {
                var e = Lexicon.Entries[members[i]];
                var sentence = e.Phrasing!.Sentence(e, values[members[i]], Pick(e.Variable.Name, 0, unit, 1 << 20));
                if (i > 0 && text[^1] == '.' && U(e.Variable.Name, 5, unit) < 0.25 && sentence.Length > 1 && char.IsUpper(sentence[0]) && char.IsLower(sentence[1]))
                {
                    text[^1] = ';';
                    sentence = char.ToLowerInvariant(sentence[0]) + sentence[1..];
                }
                if (i > 0) text.Append(' ');
                text.Append(sentence);
            }
            paragraphs.Add(text.ToString());
        }
        return string.Join("\n", paragraphs);
    }

    private double U(string variable, int purpose, long unit) => CounterNoise.Uniform(Seeds.Realizer(Seed, variable, purpose), unit);

    private int Pick(string variable, int purpose, long unit, int count) => Math.Min(count - 1, (int)(U(variable, purpose, unit) * count));
}
