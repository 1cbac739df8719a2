using System.Globalization;
using System.Text;
using HybridSynth.Plots;
using HybridSynth.Scm.IO;
using HybridSynth.Verifier.Audit;
using HybridSynth.Verifier.Reports;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Cli.Commands;

/// <summary><c>verify --replicates K</c>: the calibration check of a test on a model (<see cref="ReplicatedAudit"/>), its files and its summary.</summary>
public static class VerifyReplicates
{
    /// <summary><c>verify --replicates K</c>: K datasets drawn from the spec, each audited; the rate's interval across them.</summary>
    public static int Run(CliContext ctx, ArtifactWriter artifacts, LoadedSpec loaded, int k, int n, AuditOptions options, string? output, bool json, double? failAbove)
    {
        var model = loaded.Model;
        var report = ProgressDisplay.Run(ctx, $"verify: {k} datasets of {n:N0} rows", k, progress => ReplicatedAudit.Run(model, n, k, options.Seed, options, (done, _) => progress(done)));
        var reportPath = output ?? Path.Combine("out", $"{model.Name}.verify-replicates.json");
        var svgPath = Path.Combine(Path.GetDirectoryName(reportPath) ?? "", Path.GetFileNameWithoutExtension(reportPath) + "-qq.svg");
        var body = AuditJson.ToJson(report);
        if (Path.GetDirectoryName(reportPath) is { Length: > 0 } folder) Directory.CreateDirectory(folder);
        artifacts.WriteOutput(reportPath, "json", Encoding.UTF8.GetBytes(body.ToString(Formatting.Indented) + "\n"));
        var pooled = report.PooledPValues;
        artifacts.Write(svgPath, Encoding.UTF8.GetBytes(QqPlot.Render(pooled, $"{model.Name}: {pooled.Count} p-values from {k} datasets of {n:N0} rows")));
        artifacts.CommitWithManifest(new RunManifest
        {
            Command = "verify",
            Spec = loaded,
            Seed = options.Seed,
            Rows = n,
            Options = new JObject { ["set"] = body["set"], ["alpha"] = options.Alpha, ["test"] = options.Test, ["permutations"] = options.Permutations, ["replicates"] = k },
            Extras = new JObject { ["replicate_seeds"] = new JArray(report.Seeds), ["qq_plot"] = Path.GetFileName(svgPath) },
        });
        var (lower, upper) = report.Interval;
        if (json) ctx.Out.WriteLine(new JObject { ["report"] = reportPath, ["qq_plot"] = svgPath, ["false_positive_rate"] = body["false_positive_rate"], ["pooled"] = body["pooled"] }.ToString(Formatting.None));
        else
        {
            string Pct(double x) => double.IsFinite(x) ? (100 * x).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "—";
            var (rej, tested) = report.Pooled;
            ctx.Out.WriteLine($"verify {k} datasets of {n} rows drawn from {model.Name}: {(options.Set == StatementSet.Local ? "local Markov" : "minimal separating sets")}, α = {options.Alpha.ToString(CultureInfo.InvariantCulture)}, test {options.Test}");
            ctx.Out.WriteLine($"  false-positive rate: mean {Pct(report.Mean)} over {k} datasets (SE {Pct(report.StandardError)}, 95% t interval [{Pct(lower)}, {Pct(upper)}]); pooled {rej} of {tested}");
            ctx.Out.WriteLine($"  per dataset: {string.Join(" ", report.Rates.Select(Pct))}");
            ctx.Out.WriteLine($"  report: {reportPath}; QQ plot of the pooled p-values: {svgPath}");
        }
        if (failAbove is { } l && report.Mean > l)
        {
            ctx.Error.WriteLine($"hybridsynth verify: the mean false-positive rate {report.Mean.ToString("0.####", CultureInfo.InvariantCulture)} is above --fail-above {l.ToString(CultureInfo.InvariantCulture)}");
            return ExitCodes.Failure;
        }
        return ExitCodes.Success;
    }
}
