using HybridSynth.Realizer.Consistency;
using HybridSynth.Realizer.Realizers;
using HybridSynth.Scm.Interventions;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Sampling;
using HybridSynth.Scm.Tables;
using HybridSynth.Scm.Tests.Support;
using HybridSynth.Verifier.Audit;
using HybridSynth.Verifier.Extraction;
using NUnit.Framework;

namespace HybridSynth.Realizer.Tests;

public class RealizationTests
{
    private static double[][] Rows(CausalModel m, int n, ulong seed)
    {
        var c = new AncestralSampler(m, seed).SampleRange(0, n);
        return Enumerable.Range(0, n).Select(i => Enumerable.Range(0, m.Count).Select(v => c.Columns[v][i]).ToArray()).ToArray();
    }

    [TestCase("asia")]
    [TestCase("alarm")]
    public void TemplateRealizer_ExtractionRecoversEveryValue_AndTheAuditOfTheExtractedTableEqualsTheSkeletons(string network)
    {
        var m = BifReader.ReadFile(Paths.Bif(network));
        var lexicon = new TextLexicon(m);
        var realizer = new TemplateRealizer(lexicon, 7);
        var extractor = new TextExtractor(lexicon);
        const int n = 3000;
        var rows = Rows(m, n, 1);
        var extracted = new double[m.Count][];
        for (var v = 0; v < m.Count; v++) extracted[v] = new double[n];
        for (var i = 0; i < n; i++)
        {
            var values = extractor.Extract(realizer.Write(i, rows[i]));
            for (var v = 0; v < m.Count; v++)
            {
                Assert.That(values[v].Status, Is.EqualTo(ExtractionStatus.Value), $"row {i}, {m[v].Name}: {realizer.Write(i, rows[i])}");
                Assert.That(values[v].Value, Is.EqualTo(rows[i][v]), $"row {i}, {m[v].Name}");
                extracted[v][i] = values[v].Value;
            }
        }
        var skeletonColumns = Enumerable.Range(0, m.Count).Select(v => rows.Select(r => r[v]).ToArray()).ToArray();
        var a = IndependenceAudit.Run(m, DataTable.FromColumns(m.Variables, skeletonColumns), new AuditOptions());
        var b = IndependenceAudit.Run(m, DataTable.FromColumns(m.Variables, extracted), new AuditOptions());
        Assert.That(b.Statements.Select(s => s.Result.PValue), Is.EqualTo(a.Statements.Select(s => s.Result.PValue)));
    }

    [Test]
    public void CounterfactualNotes_DifferFromFactualOnesExactlyWhereTheValuesDiffer()
    {
        var m = SpecLoader.Load(SpecLoader.DefaultSpec).Model;
        var lexicon = new TextLexicon(m);
        var realizer = new TemplateRealizer(lexicon, 3);
        var factual = new AncestralSampler(m, 5).SampleRange(0, 500);
        var cf = new AncestralSampler(m.Intervene(new HardIntervention(m.IndexOf("smoke"), 0)), 5).SampleRange(0, 500);
        for (var i = 0; i < 500; i++)
        {
            var f = Enumerable.Range(0, m.Count).Select(v => factual.Columns[v][i]).ToArray();
            var c = Enumerable.Range(0, m.Count).Select(v => cf.Columns[v][i]).ToArray();
            var ft = realizer.Write(i, f).Split(". ");
            var ct = realizer.Write(i, c).Split(". ");
            Assert.That(ct, Has.Length.EqualTo(ft.Length));
            var changedSentences = ft.Zip(ct).Count(p => p.First != p.Second);
            var changedValues = Enumerable.Range(0, m.Count).Count(v => f[v] != c[v]);
            Assert.That(changedSentences, Is.EqualTo(changedValues), $"unit {i}");
        }
    }

    [Test]
    public void Extraction_HandlesSynonymsNegationNumbersConflictsAndMissing()
    {
        const string spec = """
        {"variables": [
          {"name": "dyspnoea", "states": ["no", "yes"], "aliases": ["dyspnoea", "shortness of breath"], "mechanism": {"type": "cpt", "table": [[0.5, 0.5]]}},
          {"name": "her2", "states": ["negative", "positive"], "aliases": ["HER2"], "synonyms": {"positive": ["amplified"]}, "mechanism": {"type": "cpt", "table": [[0.5, 0.5]]}},
          {"name": "age", "type": "continuous", "templates": ["The patient is {value} years old."], "mechanism": {"type": "linear_gaussian", "intercept": 50, "sd": 10}},
          {"name": "grade", "states": ["1", "2", "3"], "aliases": ["grade"], "mechanism": {"type": "cpt", "table": [[0.3, 0.3, 0.4]]}}
        ]}
        """;
        var m = JsonSpecReader.Read(spec, "t.json");
        var x = new TextExtractor(new TextLexicon(m));
        var r = x.Extract("The patient is 61.5 years old. She denies shortness of breath. HER2 is amplified.");
        Assert.That(r[0], Is.EqualTo(new ExtractedValue(ExtractionStatus.Value, 0, "negated mention")));
        Assert.That((r[1].Status, r[1].Value), Is.EqualTo((ExtractionStatus.Value, 1.0)));
        Assert.That((r[2].Status, r[2].Value), Is.EqualTo((ExtractionStatus.Value, 61.5)));
        Assert.That(r[3].Status, Is.EqualTo(ExtractionStatus.Missing));
        var conflict = x.Extract("Grade 2 tumour. On review the grade is 3.");
        Assert.That(conflict[3].Status, Is.EqualTo(ExtractionStatus.Conflict));
        var plain = x.Extract("She reports dyspnoea on exertion.");
        Assert.That((plain[0].Status, plain[0].Value), Is.EqualTo((ExtractionStatus.Value, 1.0)));
    }

    [Test]
    public void CorrectionLoop_ReachesRealizability_WithLessSelectionBiasThanRejection()
    {
        var m = SpecLoader.Load(SpecLoader.DefaultSpec).Model;
        var lexicon = new TextLexicon(m);
        const int n = 2000;
        var rows = Rows(m, n, 9);
        var columns = Enumerable.Range(0, m.Count).Select(v => rows.Select(r => r[v]).ToArray()).ToArray();
        var realizer = new PriorOverrideRealizer(new TemplateRealizer(lexicon, 2), PriorOverrideRealizer.Modes(m, columns), corruption: 0.3, heed: 0.9, seed: 4);
        var loop = new ConsistencyLoop(realizer, new TextExtractor(lexicon));
        var corrected = rows.Select((r, i) => loop.Correct(i, r, 3)).ToList();
        var rejected = rows.Select((r, i) => loop.Reject(i, r, 3)).ToList();
        var correctedRate = corrected.Count(o => o.Consistent) / (double)n;
        var rejectedRate = rejected.Count(o => o.Consistent) / (double)n;
        TestContext.Out.WriteLine($"realizability: correction {correctedRate:0.000}, rejection {rejectedRate:0.000}");
        Assert.That(correctedRate, Is.GreaterThanOrEqualTo(0.99));
        Assert.That(rejectedRate, Is.LessThan(correctedRate));
        var biasCorrect = SelectionBias.Compute(m, corrected, corrected.Where(o => o.Consistent).ToList(), audit: false);
        var biasReject = SelectionBias.Compute(m, rejected, rejected.Where(o => o.Consistent).ToList(), audit: false);
        TestContext.Out.WriteLine($"max TV: correction {biasCorrect.MaxTotalVariation:0.0000}, rejection {biasReject.MaxTotalVariation:0.0000}");
        Assert.That(biasCorrect.MaxTotalVariation, Is.LessThan(biasReject.MaxTotalVariation));
        Assert.That(corrected.Where(o => o.Consistent).Max(o => o.Rounds), Is.LessThanOrEqualTo(3));
    }
}
