using System.Globalization;
using HybridSynth.Realizer.Realizers;
using HybridSynth.Verifier.Extraction;

namespace HybridSynth.Realizer.Consistency;

/// <summary>
/// Iterative Consistency Verification: realize, extract, compare with the skeleton; for each variable
/// that disagrees (wrong, missing or conflicting) add a targeted correction and realize again, up to
/// K rounds (a <see cref="IRevisingRealizer"/> revises its previous note with this round's violations only). <see cref="Reject"/> is the comparison: the same budget of K attempts without corrections,
/// keeping the first consistent text (rejection sampling).
/// </summary>
public sealed class ConsistencyLoop(IRealizer realizer, TextExtractor extractor)
{
    /// <summary>The realizer whose notes are checked.</summary>
    public IRealizer Realizer { get; } = realizer;
    /// <summary>The extractor that reads the values back from a note.</summary>
    public TextExtractor Extractor { get; } = extractor;

    /// <summary>Iterative consistency verification of one unit: realize, extract, and correct the contradicted facts, up to <paramref name="maxRounds"/> rounds.</summary>
    public RowOutcome Correct(long unit, IReadOnlyList<double> skeleton, int maxRounds) => Run(unit, skeleton, maxRounds, correct: true);

    /// <summary>Rejection sampling of one unit: up to <paramref name="maxRounds"/> fresh attempts without corrections, keeping the first consistent note.</summary>
    public RowOutcome Reject(long unit, IReadOnlyList<double> skeleton, int maxRounds) => Run(unit, skeleton, maxRounds, correct: false);

    private RowOutcome Run(long unit, IReadOnlyList<double> skeleton, int maxRounds, bool correct)
    {
        if (maxRounds < 1) throw new ArgumentOutOfRangeException(nameof(maxRounds));
        var corrections = new List<Correction>();
        var current = new List<Correction>();
        string text = "";
        ExtractedValue[] extracted = Array.Empty<ExtractedValue>();
        for (var round = 1; round <= maxRounds; round++)
        {
            // A revising realizer gets its previous note and this round's violations only; any other gets every correction so far.
            text = correct && round > 1 && Realizer is IRevisingRealizer reviser ? reviser.Revise(unit, skeleton, text, current, round)
                : Realizer.Realize(unit, skeleton, correct ? corrections : Array.Empty<Correction>(), round);
            extracted = Extractor.Extract(text);
            current = Violations(skeleton, extracted);
            if (current.Count == 0) return new RowOutcome(unit, skeleton, text, extracted, round, true, corrections.ToList());
            if (correct)
                foreach (var c in current)
                    if (!corrections.Any(x => x.Variable == c.Variable)) corrections.Add(c);
        }
        return new RowOutcome(unit, skeleton, text, extracted, maxRounds, false, corrections.ToList());
    }

    /// <summary>The visible variables whose extracted value differs from the skeleton's, as corrections.</summary>
    public List<Correction> Violations(IReadOnlyList<double> skeleton, IReadOnlyList<ExtractedValue> extracted)
    {
        var list = new List<Correction>();
        var lexicon = Extractor.Lexicon;
        for (var v = 0; v < lexicon.Entries.Count; v++)
        {
            var e = lexicon.Entries[v];
            if (e.Variable.Hidden) continue;
            var x = extracted[v];
            if (x.Status == ExtractionStatus.Value && TextExtractor.Same(e, x.Value, skeleton[v])) continue;
            var found = x.Status switch
            {
                ExtractionStatus.Missing => "nothing about it",
                ExtractionStatus.Conflict => "conflicting values (" + x.Text + ")",
                _ => e.Variable.IsCategorical ? e.Variable.Format(x.Value) : x.Value.ToString("0.##", CultureInfo.InvariantCulture),
            };
            list.Add(new Correction(v, e.Aliases[0], TextLexicon.Surface(e, skeleton[v]), found)
            {
                Fact = e.Phrasing is { } p && e.Variable.IsCategorical ? p.Facts[(int)skeleton[v]] : null,
            });
        }
        return list;
    }
}
