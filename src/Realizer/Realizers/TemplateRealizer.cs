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

    private double U(string variable, int purpose, long unit) => CounterNoise.Uniform(Seeds.Realizer(Seed, variable, purpose), unit);

    private int Pick(string variable, int purpose, long unit, int count) => Math.Min(count - 1, (int)(U(variable, purpose, unit) * count));
}
