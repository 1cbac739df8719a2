using System.Text;
using HybridSynth.Lm;
using HybridSynth.Scm.Randomness;
using HybridSynth.Verifier.Extraction;

namespace HybridSynth.Realizer.Realizers;

/// <summary>
/// The language-model realizer: an instruction prompt listing the row's facts (and, on a revision, the
/// corrections), then generation with a token budget. Free mode samples whatever the model writes;
/// constrained mode adds a llama.cpp grammar whose root is, for each fact, a short free filler followed
/// by the fact's sentence, so every value phrase must appear. Seeded by (seed, unit, round). Any
/// <see cref="ILanguageModel"/> will do: a GGUF model, a server, or the managed fake in tests.
/// </summary>
public sealed class LanguageModelRealizer(ILanguageModel model, TextLexicon lexicon, ulong seed, bool constrained, int maxTokens = 192, double temperature = 0.8) : IRealizer
{
    private readonly int[] _visible = Enumerable.Range(0, lexicon.Model.Count).Where(v => !lexicon.Model[v].Hidden).ToArray();

    /// <inheritdoc />
    public string Name => constrained ? "lm-constrained" : "lm";

    /// <inheritdoc />
    public string Realize(long unit, IReadOnlyList<double> values, IReadOnlyList<Correction> corrections, int round)
    {
        var facts = _visible.Select(v => (v, Sentence(v, values[v]))).ToList();
        var prompt = new StringBuilder("Write a short clinical note that states every fact below.\nFacts:\n");
        foreach (var (_, sentence) in facts) prompt.Append("- ").Append(sentence).Append('\n');
        if (corrections.Count > 0)
        {
            prompt.Append("Corrections to the previous note:\n");
            foreach (var c in corrections) prompt.Append("- ").Append(c.Instruction).Append('\n');
        }
        prompt.Append("Note:");
        var s = (uint)(CounterNoise.Mix(Seeds.Realizer(seed, "lm", round) + (ulong)unit) & 0xFFFFFFFF);
        var constraint = constrained ? Constraint(facts.Select(f => f.Item2)) : null;
        var budget = constrained ? Math.Max(maxTokens, facts.Sum(f => Encoding.UTF8.GetByteCount(f.Item2) + 20)) : maxTokens;
        return model.Generate(prompt.ToString(), new GenerationRequest(Math.Min(budget, model.ContextSize / 2), s, temperature, constraint)).Trim();
    }

    private string Sentence(int v, double value)
    {
        var e = lexicon.Entries[v];
        if (e.Phrasing is { } phrasing) return phrasing.Sentence(e, value, 0);
        return e.Templates[0].Replace("{value}", TextLexicon.Surface(e, value), StringComparison.Ordinal);
    }

    /// <summary>
    /// The constraint: filler " " sentence₁ filler " " sentence₂ … over the facts in order; the model's own
    /// words go in the fillers, each an optional short sentence of its own (" word."), so that they never
    /// sit inside a fact's sentence where extraction reads it.
    /// </summary>
    public static TextConstraint Constraint(IEnumerable<string> sentences) =>
        new(sentences.SelectMany(s => new[] { TextSegment.Filler, TextSegment.Literal(" " + s) }).ToList());

    /// <summary>The constraint as a llama.cpp GBNF grammar.</summary>
    public static string Grammar(IEnumerable<string> sentences) => Constraint(sentences).ToGbnf();
}
