using HybridSynth.Realizer.Realizers;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Sampling;
using HybridSynth.Verifier.Extraction;
using NUnit.Framework;

namespace HybridSynth.Realizer.Tests.Realizers;

/// <summary>
/// The contract of every realizer of this project (template, prior override; the language-model realizer runs it in
/// Lm.Tests): a non-empty note that is a function of (unit, values, corrections, round); revisions that state what the
/// corrections ask for when the realizer heeds them; and notes whose every fact the extractor can read.
/// </summary>
public class RealizerContractTests
{
    private static readonly CausalModel Asia = SpecLoader.Load(SpecLoader.DefaultSpec).Model;

    private static double[][] Rows(int n, ulong seed)
    {
        var c = new AncestralSampler(Asia, seed).SampleRange(0, n);
        return Enumerable.Range(0, n).Select(i => Enumerable.Range(0, Asia.Count).Select(v => c.Columns[v][i]).ToArray()).ToArray();
    }

    public static IEnumerable<TestCaseData> Realizers()
    {
        var lexicon = new TextLexicon(Asia);
        var columns = Enumerable.Range(0, Asia.Count).Select(v => Rows(400, 9).Select(r => r[v]).ToArray()).ToArray();
        yield return new TestCaseData(new TemplateRealizer(lexicon, 7), true).SetName("template");
        yield return new TestCaseData(new PriorOverrideRealizer(new TemplateRealizer(lexicon, 7), PriorOverrideRealizer.Modes(Asia, columns), corruption: 0.4, heed: 1.0, seed: 3), true).SetName("prior-override (heeds every correction)");
        yield return new TestCaseData(new PriorOverrideRealizer(new TemplateRealizer(lexicon, 7), PriorOverrideRealizer.Modes(Asia, columns), corruption: 0.4, heed: 0.0, seed: 3), false).SetName("prior-override (ignores corrections)");
    }

    [TestCaseSource(nameof(Realizers))]
    public void KeepsTheContract(IRealizer realizer, bool heeds)
    {
        Assert.That(realizer.Name, Is.Not.Empty);
        var extractor = new TextExtractor(new TextLexicon(Asia));
        var rows = Rows(60, 2);
        var corrected = 0;
        var wrongFacts = 0;
        for (var unit = 0; unit < rows.Length; unit++)
        {
            var note = realizer.Realize(unit, rows[unit], [], 1);
            Assert.That(note, Is.Not.Empty);
            Assert.That(realizer.Realize(unit, rows[unit], [], 1), Is.EqualTo(note), "a function of its inputs");
            var read = extractor.Extract(note);
            Assert.That(read.All(v => v.Status == ExtractionStatus.Value), $"every fact is readable: {note}");
            var wrong = Enumerable.Range(0, Asia.Count).Where(v => read[v].Value != rows[unit][v]).ToList();
            wrongFacts += wrong.Count;
            if (wrong.Count == 0) continue;
            var corrections = wrong.Select(v => new Correction(v, Asia[v].Name, Asia[v].Format(rows[unit][v]), Asia[v].Format(read[v].Value))).ToList();
            var revised = extractor.Extract(realizer.Realize(unit, rows[unit], corrections, 2));
            if (heeds) Assert.That(wrong.All(v => revised[v].Value == rows[unit][v]), "a realizer that heeds corrections states the corrected facts");
            corrected += wrong.Count(v => revised[v].Value == rows[unit][v]);
        }
        if (realizer is PriorOverrideRealizer) Assert.That(wrongFacts, Is.GreaterThan(10), "the override writes wrong facts, so the revisions are exercised");
        else Assert.That(wrongFacts, Is.Zero, "the template realizer states every value as it is");
        if (!heeds) Assert.That(corrected, Is.Zero, "a realizer that ignores corrections keeps the wrong facts");
    }
}
