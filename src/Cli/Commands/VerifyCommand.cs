using HybridSynth.Scm.Graph;
using System.CommandLine;
using System.Globalization;
using System.Text;
using HybridSynth.Scm.Errors;
using HybridSynth.Scm.IO;
using HybridSynth.Verifier.Audit;
using HybridSynth.Verifier.CiTests;
using HybridSynth.Plots;
using HybridSynth.Verifier.Reports;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Cli.Commands;

/// <summary>
/// <c>hybridsynth verify</c>: the implied-independence audit of a dataset against a model's DAG, with
/// a readable summary, <c>DATA.verify.json</c>, a QQ plot <c>DATA.verify-qq.svg</c> and a manifest.
/// </summary>
public static class VerifyCommand
{
    public static Command Build(CliContext ctx)
    {
        var spec = CommonOptions.Spec();
        var data = new Option<string?>("--data") { Description = "The data table (CSV with a header naming the model's variables); or give --replicates." };
        var replicates = new Option<int?>("--replicates") { Description = "Instead of --data: audit K independent datasets of --rows rows drawn from the spec itself, and give the false-positive rate's interval across them (the calibration check of a test on a model)." };
        var rows = CommonOptions.Rows(1000);
        var alpha = new Option<double>("--alpha") { Description = "Level of each test.", DefaultValueFactory = _ => 0.05 };
        var set = new Option<string>("--set") { Description = "local (node ⟂ non-descendant | parents) or pairwise (minimal separating sets).", DefaultValueFactory = _ => "local" };
        set.AcceptOnlyFromAmong("local", "pairwise");
        var test = new Option<string>("--test") { Description = "auto (G² or, where Cochran's rule distrusts its χ² reference, a sequential permutation test; Fisher z; regression), chi2, g2, chi2-perm, g2-perm, fisher-z or regression.", DefaultValueFactory = _ => "auto" };
        test.AcceptOnlyFromAmong(CiTestRegistry.Names.ToArray());
        var permutations = new Option<int>("--permutations") { Description = "Permutations of the permutation tests.", DefaultValueFactory = _ => 999 };
        var seed = CommonOptions.Seed();
        var threads = CommonOptions.Threads();
        var failAbove = new Option<double?>("--fail-above") { Description = "Exit with code 1 when the raw false-positive rate exceeds RATE." };
        var output = new Option<string?>("--out", "-o") { Description = "The report (default DATA.verify.json beside the data); the QQ plot and manifest go beside it." };
        var worst = new Option<int>("--worst") { Description = "How many of the smallest p-values to list.", DefaultValueFactory = _ => 10 };
        var max = new Option<long>("--max-statements") { Description = "The most implied independences to test (counted first; the default 1,000,000).", DefaultValueFactory = _ => ImpliedIndependences.DefaultMaxStatements };
        var json = CommonOptions.Json();
        var command = new Command("verify", "Test every conditional independence the DAG implies on a dataset; report the false-positive rate, adjusted rejections, edge power and a QQ plot.")
        {
            spec, data, replicates, rows, alpha, set, test, permutations, seed, threads, failAbove, output, worst, max, json,
        };
        command.SetAction(r => CliApp.Guard(ctx.Error, () =>
        {
            using var artifacts = new ArtifactWriter(r.GetValue(data), r.GetValue(spec)); // every file of the run, committed with its manifest
            var a = r.GetValue(alpha);
            if (!(a > 0 && a < 1)) throw new UsageException($"--alpha must be in (0, 1), got {a}");
            var th = r.GetValue(threads);
            if (th < 1) throw new UsageException($"--threads must be ≥ 1, got {th}");
            if (r.GetValue(permutations) is < 1 or > 1_000_000) throw new UsageException($"--permutations must be in 1..1000000, got {r.GetValue(permutations)}");
            var loaded = SpecLoader.Load(r.GetValue(spec)!, Lm.Mechanisms.LanguageModelSession.StructureReaders, Lm.Published.PublishedSdScmConfig.Translator(0));
            var model = loaded.Model;
            if (r.GetValue(replicates) is { } k)
            {
                if (r.GetValue(data) is not null) throw new UsageException("give either --data (audit a dataset) or --replicates K (audit K datasets drawn from the spec), not both");
                if (k is < 2 or > 10_000) throw new UsageException($"--replicates must be in 2..10000 (an interval across replicates needs at least two), got {k}");
                var n = r.GetValue(rows);
                if (n is < 1 or > int.MaxValue) throw new UsageException($"--rows must be in 1..{int.MaxValue}, got {n}");
                return VerifyReplicates.Run(ctx, artifacts, loaded, k, (int)n, Options(r, a, th), r.GetValue(output), r.GetValue(json), r.GetValue(failAbove));
            }
            var dataPath = r.GetValue(data) ?? throw new UsageException("give --data FILE.csv (audit a dataset) or --replicates K (audit K datasets drawn from the spec)");
            var (table, missing) = ProgressDisplay.Run(ctx, $"verify: reading {Path.GetFileName(dataPath)}", report => CsvTableReader.Read(dataPath, model, (at, length) => report(at, length)));
            if (missing.Count == model.Count)
                throw new SpecException(dataPath, 1, 1, $"no column of the data is a variable of '{model.Name}', so there is nothing to verify; expected columns named like: {string.Join(", ", model.Variables.Take(8).Select(v => v.Name))}{(model.Count > 8 ? ", …" : "")}");
            var options = Options(r, a, th);
            var report = ProgressDisplay.Run(ctx, $"verify: testing on {table.RowCount:N0} rows", progress => IndependenceAudit.Run(model, table, options, progress));

            var reportPath = r.GetValue(output) ?? Path.Combine(Path.GetDirectoryName(dataPath) ?? "", Path.GetFileNameWithoutExtension(dataPath) + ".verify.json");
            var svgPath = Path.Combine(Path.GetDirectoryName(reportPath) ?? "", Path.GetFileNameWithoutExtension(reportPath) + "-qq.svg");
            var body = AuditJson.ToJson(report);
            artifacts.WriteOutput(reportPath, "json", Encoding.UTF8.GetBytes(body.ToString(Formatting.Indented) + "\n"));
            var setName = options.Set == StatementSet.Local ? "local Markov" : "minimal separating sets";
            artifacts.Write(svgPath, Encoding.UTF8.GetBytes(QqPlot.Render(report.Statements.Select(s => s.Result.PValue).ToList(),
                $"{model.Name}: p-values of {report.Statements.Count} implied independences ({setName})")));
            artifacts.CommitWithManifest(new RunManifest
            {
                Command = "verify",
                Spec = loaded,
                Seed = options.Seed,
                Rows = report.Rows,
                Options = new JObject
                {
                    ["set"] = body["set"],
                    ["alpha"] = a,
                    ["test"] = options.Test,
                    ["permutations"] = options.Permutations,
                },
                Extras = new JObject
                {
                    ["data"] = RunManifest.InputFile(dataPath),
                    ["qq_plot"] = Path.GetFileName(svgPath),
                },
            });

            var fpr = report.FalsePositiveRate;
            if (r.GetValue(json))
            {
                ctx.Out.WriteLine(new JObject { ["report"] = reportPath, ["qq_plot"] = svgPath, ["summary"] = body["summary"] }.ToString(Formatting.None));
            }
            else
            {
                string Pct(double x) => (100 * x).ToString("0.0", CultureInfo.InvariantCulture) + "%";
                var o = ctx.Out;
                o.WriteLine($"verify {dataPath} ({report.Rows} rows) against {model.Name}: {setName}, α = {a.ToString(CultureInfo.InvariantCulture)}, test {options.Test}");
                if (report.Unobserved.Count > 0) o.WriteLine($"  unobserved (hidden or absent): {string.Join(", ", report.Unobserved)}");
                o.WriteLine($"  implied independences: {report.Statements.Count + report.Untestable.Count} distinct (tested {report.Statements.Count}, untestable {report.Untestable.Count}{(report.DuplicateStatements > 0 ? $"; {report.DuplicateStatements} duplicate local statements merged" : "")})");
                o.WriteLine($"  rejected at α: {fpr.Successes} of {fpr.Trials} = {Pct(fpr.Rate)} (SE {Pct(fpr.StandardError)}, 95% Wilson CI [{Pct(fpr.Lower)}, {Pct(fpr.Upper)}], too narrow: the statements share these rows; --replicates K gives the honest interval)");
                o.WriteLine($"  rejected after Holm: {report.HolmRejections}; after Benjamini–Hochberg: {report.BenjaminiHochbergRejections}");
                var missed = report.MissedEdges.Select(e => $"{e.Parent} -> {e.Child}").ToList();
                o.WriteLine($"  edges found dependent: {report.EdgeDetectionRate.Successes} of {report.EdgeDetectionRate.Trials} ({Pct(report.EdgeDetectionRate.Rate)}); missed: {(missed.Count == 0 ? "none" : string.Join(", ", missed))}");
                if (report.Statements.Count > 0)
                {
                    o.WriteLine("  smallest p-values:");
                    o.WriteLine($"    {"p",-10} {"statistic",11} {"dof",5}  {"test",-16} statement");
                    foreach (var s in report.Worst)
                        o.WriteLine($"    {s.Result.PValue.ToString("0.000e0", CultureInfo.InvariantCulture),-10} {s.Result.Statistic.ToString("0.000", CultureInfo.InvariantCulture),11} {s.Result.DegreesOfFreedom.ToString("0", CultureInfo.InvariantCulture),5}  {s.Result.Method,-16} {s.Statement.Text}");
                }
                foreach (var u in report.Untestable.Take(options.Worst)) o.WriteLine($"  untestable: {u.Text}: {u.Untestable}");
                o.WriteLine($"  report: {reportPath}; QQ plot: {svgPath}");
            }
            var limit = r.GetValue(failAbove);
            if (limit is { } l && fpr.Rate > l)
            {
                ctx.Error.WriteLine($"hybridsynth verify: the false-positive rate {fpr.Rate.ToString("0.####", CultureInfo.InvariantCulture)} is above --fail-above {l.ToString(CultureInfo.InvariantCulture)}");
                return ExitCodes.Failure;
            }
            return ExitCodes.Success;
        }));
        AuditOptions Options(ParseResult r, double a, int th) => new()
        {
            Set = r.GetValue(set) == "pairwise" ? StatementSet.Pairwise : StatementSet.Local,
            Alpha = a,
            Test = r.GetValue(test)!,
            Permutations = r.GetValue(permutations),
            Seed = r.GetValue(seed),
            Threads = th,
            Worst = r.GetValue(worst),
            MaxStatements = r.GetValue(max) is >= 1 and <= 100_000_000 ? r.GetValue(max) : throw new UsageException($"--max-statements must be in 1..100000000, got {r.GetValue(max)}"),
        };
        return command;
    }
}
