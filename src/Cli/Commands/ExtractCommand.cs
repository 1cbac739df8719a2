using System.CommandLine;
using System.Globalization;
using System.Text;
using HybridSynth.Scm.Errors;
using HybridSynth.Scm.IO;
using HybridSynth.Verifier.Extraction;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Cli.Commands;

/// <summary><c>hybridsynth extract</c>: text back to a table, by the spec's deterministic extractors.</summary>
public static class ExtractCommand
{
    public static Command Build(CliContext ctx)
    {
        var spec = CommonOptions.Spec();
        var data = new Option<string>("--data") { Description = "Notes: JSON Lines with a \"text\" field (and optionally \"id\"), as realize writes.", Required = true };
        var output = new Option<string?>("--out", "-o") { Description = "The table (default DATA.extracted.csv); a manifest goes beside it." };
        var json = CommonOptions.Json();
        var phrasing = CommonOptions.Phrasing();
        var accuracy = new Option<bool>("--accuracy") { Description = "Compare with each note's true values (its \"truth\" object, else the \"skeleton\" that realize writes) and report per-variable extraction accuracy." };
        var command = new Command("extract", "Extract the model's variables from text (JSON Lines) into a CSV table; each value is a state, a number, or empty with its status (missing, conflict).")
        {
            spec, data, phrasing, accuracy, output, json,
        };
        command.SetAction(r => CliApp.Guard(ctx.Error, () =>
        {
            using var artifacts = new ArtifactWriter(r.GetValue(data), r.GetValue(spec), r.GetValue(phrasing)); // every file of the run, committed with its manifest
            var loaded = SpecLoader.Load(r.GetValue(spec)!, Lm.Mechanisms.LanguageModelSession.StructureReaders, Lm.Published.PublishedSdScmConfig.Translator(0));
            var model = loaded.Model;
            var path = r.GetValue(data)!;
            InputFileException.RequireFile(path);
            var extractor = new TextExtractor(CommonOptions.Lexicon(model, r.GetValue(phrasing)));
            var visible = Enumerable.Range(0, model.Count).Where(v => !model[v].Hidden).ToArray();
            var csv = new StringBuilder("id," + string.Join(",", visible.Select(v => CsvTableWriter.Quote(model[v].Name))) + ",status\n");
            var lineNo = 0;
            var scored = new List<(ExtractedValue[], IReadOnlyDictionary<int, double>)>();
            int rows = 0, complete = 0;
            ProgressDisplay.Run(ctx, $"extract: {Path.GetFileName(path)}", report =>
            {
                using var stream = File.OpenRead(path);
                using var reader = new StreamReader(stream);
                while (reader.ReadLine() is { } line)
                {
                    if (stream.CanSeek) report(stream.Position, stream.Length); // a pipe has no position
                    lineNo++;
                    if (line.Trim().Length == 0) continue;
                    JObject o;
                    try { o = JObject.Parse(line); }
                    catch (JsonReaderException e) { throw new SpecException(path, lineNo, Math.Max(1, e.LinePosition), "invalid JSON: " + e.Message.Split(" Path")[0]); }
                    if (o["text"] is not { Type: JTokenType.String } t) throw new SpecException(path, lineNo, 1, "expected a \"text\" string");
                    var values = extractor.Extract(t.Value<string>()!);
                    if (r.GetValue(accuracy))
                    {
                        if ((o["truth"] ?? o["skeleton"]) is not JObject truth) throw new SpecException(path, lineNo, 1, "--accuracy: expected a \"truth\" (or \"skeleton\") object with the note's true values");
                        scored.Add((values, ExtractionAccuracy.ParseTruth(model, truth, path, lineNo)));
                    }
                    var problems = visible.Where(v => values[v].Status != ExtractionStatus.Value).Select(v => $"{values[v].Status.ToString().ToLowerInvariant()}: {model[v].Name}").ToList();
                    csv.Append(CsvTableWriter.Quote(o["id"]?.ToString() ?? (rows).ToString(CultureInfo.InvariantCulture)));
                    foreach (var v in visible)
                    {
                        csv.Append(',');
                        if (values[v].Status == ExtractionStatus.Value)
                            csv.Append(model[v].IsCategorical ? CsvTableWriter.Quote(model[v].Format(values[v].Value)) : values[v].Value.ToString("R", CultureInfo.InvariantCulture));
                    }
                    csv.Append(',').Append(CsvTableWriter.Quote(problems.Count == 0 ? "ok" : string.Join("; ", problems))).Append('\n');
                    rows++;
                    if (problems.Count == 0) complete++;
                }
                return rows;
            });
            var outPath = r.GetValue(output) ?? Path.Combine(Path.GetDirectoryName(path) ?? "", Path.GetFileNameWithoutExtension(path) + ".extracted.csv");
            artifacts.WriteOutput(outPath, "csv", Encoding.UTF8.GetBytes(csv.ToString()));
            var perVariable = r.GetValue(accuracy) ? ExtractionAccuracy.Compute(extractor.Lexicon, scored) : null;
            var accuracyJson = perVariable is null ? null : new JObject(perVariable.Select(a => new JProperty(a.Variable, new JObject
            {
                ["stated"] = a.Stated, ["correct"] = a.Correct, ["accuracy"] = double.IsNaN(a.Accuracy) ? null : a.Accuracy,
                ["missing"] = a.Missing, ["conflict"] = a.Conflict, ["wrong"] = a.Wrong, ["spurious"] = a.Spurious,
            })));
            var extras = CommonOptions.WithPhrasing(new JObject { ["data"] = RunManifest.InputFile(path), ["complete_rows"] = complete }, r.GetValue(phrasing));
            if (accuracyJson is not null) extras["accuracy"] = accuracyJson;
            artifacts.CommitWithManifest(new RunManifest
            {
                Command = "extract",
                Spec = loaded,
                Rows = rows,
                Extras = extras,
            });
            if (r.GetValue(json))
            {
                var o = new JObject { ["output"] = outPath, ["rows"] = rows, ["complete"] = complete };
                if (accuracyJson is not null) o["accuracy"] = accuracyJson;
                ctx.Out.WriteLine(o.ToString(Formatting.None));
                return ExitCodes.Success;
            }
            ctx.Out.WriteLine($"extracted {rows} notes ({complete} with every variable) to {outPath}");
            if (perVariable is not null)
            {
                var total = perVariable.Sum(a => a.Stated);
                ctx.Out.WriteLine($"  accuracy over {total} stated values: {(total == 0 ? "—" : (perVariable.Sum(a => a.Correct) / (double)total).ToString("0.000", CultureInfo.InvariantCulture))}");
                foreach (var a in perVariable.Where(a => a.Stated > 0 || a.Spurious > 0))
                    ctx.Out.WriteLine($"  {a.Variable,-18} {(a.Stated == 0 ? "—" : a.Accuracy.ToString("0.000", CultureInfo.InvariantCulture)),6} of {a.Stated,4}  (missing {a.Missing}, conflict {a.Conflict}, wrong {a.Wrong}; spurious {a.Spurious})");
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
