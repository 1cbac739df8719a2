using HybridSynth.Realizer.Consistency;
using HybridSynth.Realizer.Realizers;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Sampling;
using HybridSynth.Scm.Tests.Support;
using HybridSynth.Verifier.Extraction;
using NUnit.Framework;

namespace HybridSynth.Realizer.Tests;

/// <summary>Notes composed from the realization files in benchmarks/dags: sections, varied phrasing, and every value read back.</summary>
public class PhrasedNotesTests
{
    private static (CausalModel Model, Phrasebook Book) Load(string name)
    {
        var model = name == "alarm" ? BifReader.ReadFile(Paths.Bif("alarm")) : JsonSpecReader.ReadFile(Paths.Dag(name + ".json"));
        return (model, Phrasebook.ReadFile(Paths.Dag(name + ".phrasing.json")));
    }

    [TestCase("asia", 2000)]
    [TestCase("icu", 2000)]
    [TestCase("alarm", 500)]
    public void TemplateNotes_ReadBackExactly_UnderEverySectionHeading(string name, int n)
    {
        var (model, book) = Load(name);
        var lexicon = new TextLexicon(model, book);
        var realizer = new TemplateRealizer(lexicon, 11);
        var loop = new ConsistencyLoop(realizer, new TextExtractor(lexicon));
        var chunk = new AncestralSampler(model, 4).SampleRange(0, n);
        var distinct = new HashSet<string>();
        for (var i = 0; i < n; i++)
        {
            var row = Enumerable.Range(0, model.Count).Select(v => chunk.Columns[v][i]).ToArray();
            var outcome = loop.Correct(i, row, 1);
            Assert.That(outcome.Consistent, Is.True, $"unit {i}: {outcome.Text}\n{string.Join("; ", outcome.Corrections.Select(c => c.Instruction))}");
            var lines = outcome.Text.Split('\n');
            Assert.That(lines, Has.Length.EqualTo(book.Sections.Count(s => lexicon.Entries.Any(e => !e.Variable.Hidden && e.Phrasing!.Section == s.Name))));
            foreach (var line in lines) Assert.That(book.Sections.SelectMany(s => s.Headings).Any(h => line.StartsWith(h + " ", StringComparison.Ordinal)), line);
            distinct.Add(outcome.Text);
        }
        Assert.That(distinct, Has.Count.GreaterThan(n * 9 / 10), "notes should vary");
        // the same unit and seed give the same note
        var first = Enumerable.Range(0, model.Count).Select(v => chunk.Columns[v][0]).ToArray();
        Assert.That(realizer.Write(0, first), Is.EqualTo(new TemplateRealizer(lexicon, 11).Write(0, first)));
        Assert.That(realizer.Write(0, first), Is.Not.EqualTo(new TemplateRealizer(lexicon, 12).Write(0, first)));
    }
}
