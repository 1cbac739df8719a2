using System.Globalization;
using System.Text.RegularExpressions;

namespace HybridSynth.Verifier.Extraction;

/// <summary>
/// Deterministic extraction of a model's variables from text. Two rules, whose findings are pooled per variable:
/// <list type="number">
/// <item>Template match: any of the variable's templates, with its slot matching a surface form of a state
/// (or a number for a continuous variable), anywhere in the text.</item>
/// <item>Mention match, sentence by sentence: a sentence naming one of the variable's aliases contributes the
/// surface forms of its states found in it (outside the alias) — or, for a continuous variable, the first number
/// after the alias; for a negative/positive binary variable with no surface form in the sentence, a negation cue
/// (no, not, without, denies, negative for, absence of) means the negative state and a plain mention the positive one.</item>
/// </list>
/// One distinct value → that value; none → missing; several → conflict. Numbers within 0.005 count as the same.
/// With a realization file the lexicon is read by <see cref="PhrasedExtraction"/> instead (phrasings, cues, negation scope, units).
/// </summary>
public sealed class TextExtractor(TextLexicon lexicon)
{
    private static readonly Regex Sentences = new(@"(?<=[.!?;])\s+|\n+", RegexOptions.CultureInvariant);
    private static readonly Regex Negation = new(@"(?<![\w])(no|not|without|denies|denied|negative for|absence of|free of)(?![\w])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex Number = new(@"[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?", RegexOptions.CultureInvariant);

    /// <summary>The phrasings the extractor recognises.</summary>
    public TextLexicon Lexicon { get; } = lexicon;

    /// <summary>The value of every model variable in <paramref name="text"/>, by variable index.</summary>
    public ExtractedValue[] Extract(string text)
    {
        if (Lexicon.Phrasebook is not null) return PhrasedExtraction.Extract(Lexicon, text);
        var sentences = Sentences.Split(text).Where(s => s.Length > 0).ToArray();
        return Lexicon.Entries.Select(e => Decide(e, Candidates(e, text, sentences))).ToArray();
    }

    private static List<(double Value, string Text)> Candidates(TextLexicon.Entry e, string text, string[] sentences)
    {
        var found = new List<(double, string)>();
        void Add(string surface)
        {
            if (!e.Variable.IsCategorical)
            {
                if (double.TryParse(surface, NumberStyles.Float, CultureInfo.InvariantCulture, out var x)) found.Add((x, surface));
                return;
            }
            for (var k = 0; k < e.SurfaceForms.Count; k++)
                if (e.SurfaceForms[k].Any(f => string.Equals(f, surface, StringComparison.OrdinalIgnoreCase))) found.Add((k, surface));
        }
        foreach (var pattern in e.TemplatePatterns)
            foreach (Match m in pattern.Matches(text)) Add(m.Groups["value"].Value);
        if (e.AliasPattern is null) return found;
        foreach (var sentence in sentences)
        {
            var aliasMatches = e.AliasPattern.Matches(sentence);
            if (aliasMatches.Count == 0) continue;
            var masked = sentence;
            foreach (Match a in aliasMatches) masked = masked[..a.Index] + new string(' ', a.Length) + masked[(a.Index + a.Length)..];
            if (!e.Variable.IsCategorical)
            {
                var after = Number.Match(masked, aliasMatches[0].Index);
                if (after.Success) Add(after.Value);
                continue;
            }
            var before = found.Count;
            for (var k = 0; k < e.SurfaceForms.Count; k++)
                foreach (var form in e.SurfaceForms[k])
                    if (Regex.IsMatch(masked, @"(?<![\w])" + Regex.Escape(form) + @"(?![\w])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))
                        found.Add((k, form));
            if (found.Count == before && e.NegativeState is { } neg && e.PositiveState is { } pos)
                found.Add(Negation.IsMatch(masked) ? (neg, "negated mention") : (pos, "mention"));
        }
        return found;
    }

    /// <summary>Whether two values are the same for this variable (states equal; numbers within 0.005, the precision text carries).</summary>
    public static bool Same(TextLexicon.Entry e, double a, double b) => e.Variable.IsCategorical ? a == b : Math.Abs(a - b) <= (e.Phrasing?.Tolerance ?? 0.005 + 1e-9);

    /// <summary>One distinct value → that value; none → missing; several → conflict.</summary>
    internal static ExtractedValue Decide(TextLexicon.Entry e, List<(double Value, string Text)> found)
    {
        if (found.Count == 0) return ExtractedValue.Missing;
        var distinct = new List<(double Value, string Text)>();
        foreach (var f in found)
            if (!distinct.Any(d => Same(e, d.Value, f.Value))) distinct.Add(f);
        return distinct.Count == 1
            ? new ExtractedValue(ExtractionStatus.Value, distinct[0].Value, distinct[0].Text)
            : ExtractedValue.Conflict(string.Join(" / ", distinct.Select(d => d.Text)));
    }
}
