using System.CommandLine;
using System.Globalization;
using System.Text;
using HybridSynth.Realizer.Consistency;
using HybridSynth.Realizer.Realizers;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Model;
using HybridSynth.Verifier.Extraction;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Cli.Commands;

/// <summary>
/// <c>hybridsynth realize</c>: turn skeleton rows into text with a realizer and the iterative
/// consistency-verification loop (or rejection sampling under the same budget, or both compared),
/// writing one JSON object per row and a report of realizability and selection bias.
/// </summary>
public static class RealizeCommand
{
    public static Command Build(CliContext ctx)
    {
        var spec = CommonOptions.Spec();
        var data = new Option<string>("--data") { Description = "Skeleton rows (CSV with the model's variables).", Required = true };
        var choice = new RealizerOptions();
        var rounds = new Option<int>("--rounds") { Description = "Attempts per row (K).", DefaultValueFactory = _ => 3 };
        var mode = new Option<string>("--mode") { Description = "correction (the loop), rejection (K fresh attempts, keep the first consistent), or compare (both; the notes of the loop are written).", DefaultValueFactory = _ => "correction" };
        mode.AcceptOnlyFromAmong("correction", "rejection", "compare");
        var seed = CommonOptions.Seed();
        var output = new Option<string?>("--out", "-o") { Description = "The notes, JSON Lines (default: DATA.notes.jsonl beside the data); a manifest goes beside it." };
        var json = CommonOptions.Json();
        var phrasing = CommonOptions.Phrasing();
        var lm = new LanguageModelCliOptions("A GGUF model that writes the notes (--realizer lm); --temperature sets its sampling temperature (default 0.8).");
        var command = new Command("realize", "Realize skeleton rows as text (template or language model) with iterative consistency verification; report realizability and selection bias.")
        {
            spec, data, phrasing, rounds, mode, seed, output, json,
        };
        foreach (var o in choice.All) command.Options.Add(o);
        lm.AddTo(command);
        command.SetAction(r => CliApp.Guard(ctx.Error, () =>
        {
            using var artifacts = new ArtifactWriter(r.GetValue(data), r.GetValue(spec), r.GetValue(phrasing), r.GetValue(choice.Prior)); // every file of the run, committed with its manifest
            var k = r.GetValue(rounds);
            if (k is < 1 or > 100) throw new UsageException($"--rounds must be in 1..100, got {k}");
            var s = r.GetValue(seed);
            var loaded = SpecLoader.Load(r.GetValue(spec)!, Lm.Mechanisms.LanguageModelSession.StructureReaders);
            var model = loaded.Model;
            var path = r.GetValue(data)!;
            var (table, missing) = ProgressDisplay.Run(ctx, $"realize: reading {Path.GetFileName(path)}", report => CsvTableReader.Read(path, model, (at, length) => report(at, length)));
            var lexicon = CommonOptions.Lexicon(model, r.GetValue(phrasing));
            // Each column once (a variable the data lack is 0, as its hidden value), then the rows from them.
            var columns = model.Variables.Select(v => table.Contains(v.Name) ? table.AsDoubles(table.IndexOf(v.Name)) : new double[table.RowCount]).ToArray();
            var skeletons = Enumerable.Range(0, table.RowCount).Select(i => columns.Select(c => c[i]).ToArray()).ToList();
            if (missing.Any(name => !model[model.IndexOf(name)].Hidden))
                throw new UsageException($"the skeleton data lack column(s) {string.Join(", ", missing.Where(n => !model[model.IndexOf(n)].Hidden))}");
            lm.RefuseSdScmOnly(r, "realize");
            var session = choice.NeedsModel(r) ? lm.Open(r, s, required: true) : null;
            using var lmModel = session?.Model;
            var realizer = choice.Create(r, model, lexicon, s, lmModel, lm.TemperatureOr(r, 0.8), columns);
            var loop = new ConsistencyLoop(realizer, new TextExtractor(lexicon));
            var m = r.GetValue(mode)!;
            var runs = new List<(string Mode, List<RowOutcome> Rows)>();
            var modes = (m is "correction" or "compare" ? new[] { "correction" } : []).Concat(m is "rejection" or "compare" ? new[] { "rejection" } : []).ToList();
            runs.AddRange(ProgressDisplay.Run(ctx, $"realize: {skeletons.Count:N0} rows, {string.Join(" and ", modes)}", modes.Count * (long)skeletons.Count, report =>
                modes.Select((name, q) => (name, skeletons.Select((x, i) =>
                {
                    var outcome = name == "correction" ? loop.Correct(i, x, k) : loop.Reject(i, x, k);
                    report((long)q * skeletons.Count + i + 1);
                    return outcome;
                }).ToList())).ToList()));

            var outPath = r.GetValue(output) ?? Path.Combine(Path.GetDirectoryName(path) ?? "", Path.GetFileNameWithoutExtension(path) + ".notes.jsonl");
            var sb = new StringBuilder();
            foreach (var o in runs[0].Rows) sb.Append(RowOutcomeJson.Note(model, o).ToString(Formatting.None)).Append('\n');
            artifacts.WriteOutput(outPath, "jsonl", Encoding.UTF8.GetBytes(sb.ToString()));
            var reports = new JObject();
            foreach (var (name, rows) in runs) reports[name] = RealizationReport.Compute(model, rows, k).ToJson();
            artifacts.CommitWithManifest(new RunManifest
            {
                Command = "realize",
                Spec = loaded,
                Seed = s,
                Rows = skeletons.Count,
                Options = Merged(new JObject { ["realizer"] = realizer.Name, ["rounds"] = k, ["mode"] = m }, choice.Manifest(r, realizer, lmModel)),
                Extras = CommonOptions.WithPhrasing(new JObject { ["data"] = RunManifest.InputFile(path), ["report"] = reports }, r.GetValue(phrasing)),
            });
            if (r.GetValue(json))
            {
                ctx.Out.WriteLine(new JObject { ["notes"] = outPath, ["report"] = reports }.ToString(Formatting.None));
                return ExitCodes.Success;
            }
            string F(double x) => x.ToString("0.000", CultureInfo.InvariantCulture);
            ctx.Out.WriteLine($"realize {skeletons.Count} rows of {path} with {realizer.Name}, at most {k} round(s)");
            foreach (var (name, _) in runs)
            {
                var rep = reports[name]!;
                var fpr = rep["audit_false_positive_rate"]!.Type == JTokenType.Null ? "—" : F(rep.Value<double>("audit_false_positive_rate"));
                ctx.Out.WriteLine($"  {name,-10}: realizability {F(rep.Value<double>("realizability"))} (mean rounds {F(rep.Value<double>("mean_rounds"))}); selection bias: max TV {F(rep.Value<double>("max_total_variation"))}, audit false-positive rate on accepted rows {fpr}");
            }
            ctx.Out.WriteLine($"  notes: {outPath}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static JObject Merged(JObject a, JObject b)
    {
        a.Merge(b);
        return a;
    }
}
