using System.Globalization;
using System.Text;
using HybridSynth.Realizer.Consistency;
using HybridSynth.Realizer.Realizers;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Tables;
using HybridSynth.Verifier.Extraction;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Suites;

/// <summary>
/// Text realization of a suite dataset (CausalSynth): each row's note from the realizer, checked by extraction and corrected
/// by the consistency loop (or rejection sampling under the same budget); writes the notes (JSON Lines), the extracted
/// table (CSV; a value that is missing or contradicted is empty) and the realization report.
/// </summary>
public static class SuiteText
{
    /// <summary>The realizers a suite may use.</summary>
    public static IReadOnlyList<string> Realizers { get; } = ["template", "prior-override"];

    /// <summary>Realizes <paramref name="table"/> (the rows of <paramref name="model"/>) and writes the files with <paramref name="put"/>; returns the record's summary.</summary>
    public static JObject Realize(CausalModel model, DataTable table, SuiteRealization settings, ulong seed, Action<string, string> put)
    {
        var lexicon = new TextLexicon(model);
        var columns = Enumerable.Range(0, model.Count).Select(v => table.Contains(model[v].Name) ? table.AsDoubles(table.IndexOf(model[v].Name)) : new double[table.RowCount]).ToArray();
        var template = new TemplateRealizer(lexicon, seed);
        IRealizer realizer = settings.Realizer switch
        {
            "prior-override" => new PriorOverrideRealizer(template, PriorOverrideRealizer.Modes(model, columns), Option(settings, "corrupt", 0.3), Option(settings, "heed", 0.9), seed),
            _ => template,
        };
        var loop = new ConsistencyLoop(realizer, new TextExtractor(lexicon));
        var k = settings.MaxIterations;
        var outcomes = Enumerable.Range(0, table.RowCount).Select(i =>
        {
            var skeleton = columns.Select(c => c[i]).ToArray();
            return settings.Strategy == "rejection" ? loop.Reject(i, skeleton, k) : loop.Correct(i, skeleton, k);
        }).ToList();
        var notes = new StringBuilder();
        foreach (var o in outcomes) notes.Append(RowOutcomeJson.Note(model, o).ToString(Formatting.None)).Append('\n');
        put("notes.jsonl", notes.ToString());
        var visible = Enumerable.Range(0, model.Count).Where(v => !model[v].Hidden).ToList();
        var csv = new StringBuilder(string.Join(",", visible.Select(v => CsvTableWriter.Quote(model[v].Name)))).Append('\n');
        foreach (var o in outcomes)
            csv.Append(string.Join(",", visible.Select(v => o.Extracted[v].Status == ExtractionStatus.Value
                ? CsvTableWriter.Quote(model[v].IsCategorical ? model[v].Format(o.Extracted[v].Value) : o.Extracted[v].Value.ToString("R", CultureInfo.InvariantCulture))
                : ""))).Append('\n');
        put("extracted.csv", csv.ToString());
        var report = RealizationReport.Compute(model, outcomes, k);
        var json = report.ToJson();
        json.AddFirst(new JProperty("strategy", settings.Strategy));
        json.AddFirst(new JProperty("realizer", realizer.Name));
        put("realization.json", json.ToString(Formatting.Indented) + "\n");
        return new JObject
        {
            ["realizer"] = realizer.Name, ["strategy"] = settings.Strategy, ["rows"] = report.Rows, ["consistent"] = report.Consistent,
            ["realizability"] = report.Realizability, ["mean_rounds"] = report.MeanRounds, ["max_total_variation"] = report.Bias.MaxTotalVariation,
            ["audit_false_positive_rate"] = report.Bias.Audit is null ? null : report.Bias.Audit.FalsePositiveRate.Rate,
        };
    }

    private static double Option(SuiteRealization s, string name, double fallback) =>
        s.Options.TryGetValue(name, out var text) ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
