using System.CommandLine;
using System.Globalization;
using System.Text;
using HybridSynth.HybridBridge.Data;
using HybridSynth.HybridBridge.Diagnostics;
using HybridSynth.HybridBridge.Estimators;
using HybridSynth.HybridBridge.Generators;
using HybridSynth.HybridBridge.Hybrid;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Randomness;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Cli.Commands;

/// <summary>
/// <c>hybridsynth hybrid</c>: hybrid synthetic data for ATE estimation (covariates from a generator,
/// treatment and outcome from separately fitted ĝ and Q̂), compared with the fully generative baseline:
/// ATE error of every estimator, DCR and TSTR. Writes the hybrid dataset with its known ATE.
/// </summary>
public static class HybridCommand
{
    public static Command Build(CliContext ctx)
    {
        var columns = new CausalDataOptions("The real data (CSV with a header).");
        var generator = new Option<string>("--generator") { Description = "Covariate generator: bootstrap, copula, bn, or lm (GReaT-style, needs --model).", DefaultValueFactory = _ => "copula" };
        generator.AcceptOnlyFromAmong(GeneratorRegistry.Names.Append("lm").ToArray());
        var lm = new LanguageModelCliOptions("A GGUF model for the language-model covariate generator (--generator lm); --temperature sets its temperature (default 1).");
        var design = new Option<string>("--design") { Description = "observed (A from ĝ) or randomised (A ~ Bernoulli(1/2)).", DefaultValueFactory = _ => "observed" };
        design.AcceptOnlyFromAmong("observed", "randomised");
        var holdout = new Option<double>("--holdout") { Description = "Share of the real rows held out for DCR and TSTR.", DefaultValueFactory = _ => 0.3 };
        var rows = new Option<int?>("--rows", "-n") { Description = "Synthetic rows (default: as many as the training rows)." };
        var outcomeDesign = new Option<string>("--outcome-design") { Description = "The hybrid's outcome model: interactions (A, W and A·W; default) or main-effects (A and W: with a GLM and a continuous outcome the known ATE is then one coefficient, whatever the generator).", DefaultValueFactory = _ => "interactions" };
        outcomeDesign.AcceptOnlyFromAmong("interactions", "main-effects");
        var seed = CommonOptions.Seed();
        var output = new Option<string?>("--out", "-o") { Description = "The hybrid synthetic data (default out/hybrid.csv); the manifest goes beside it." };
        var json = CommonOptions.Json();
        var estimation = new EstimationOptions();
        var command = new Command("hybrid", "Make hybrid synthetic data for ATE estimation and compare it with fully generative data: ATE error, DCR privacy and TSTR utility.")
        {
            generator, design, holdout, rows, outcomeDesign, seed, output, json,
        };
        columns.AddTo(command);
        estimation.AddTo(command);
        lm.AddTo(command);
        command.SetAction(r => CliApp.Guard(ctx.Error, () =>
        {
            using var artifacts = new ArtifactWriter(r.GetValue(columns.Data)); // every file of the run, committed with its manifest
            lm.RefuseSdScmOnly(r, "hybrid");
            var session = r.GetValue(generator) == "lm" ? lm.Open(r, r.GetValue(seed), required: true) : null;
            using var model = session?.Model;
            var h = r.GetValue(holdout);
            if (h is <= 0 or >= 0.9) throw new UsageException($"--holdout must be in (0, 0.9), got {h}");
            var s = r.GetValue(seed);
            var names = estimation.EstimatorNames(r);
            var nuisance = estimation.Nuisance(r, s);
            var path = r.GetValue(columns.Data)!;
            var input = columns.Read(ctx, r, "hybrid");
            var (real, _, used) = input;
            var options = new HybridOptions
            {
                Generator = r.GetValue(generator)!,
                GeneratorInstance = session is null ? null : new LanguageModelGenerator(session, temperature: lm.TemperatureOr(r, 1.0)),
                Rows = r.GetValue(rows),
                RandomisedDesign = r.GetValue(design) == "randomised",
                Seed = s,
                Nuisance = nuisance,
                OutcomeInteractions = r.GetValue(outcomeDesign) == "interactions",
            };
            var result = HybridExperiment.Run(real, h, names, options, (what, work) => ProgressDisplay.Status(ctx, $"hybrid: {what}", work));
            var (train, test, hybrid) = (result.Train, result.Holdout, result.Hybrid.Synthetic);
            var report = new JObject
            {
                ["data"] = path,
                ["rows_used"] = used,
                ["rows_dropped_missing"] = input.RowsDroppedMissing,
                ["contrast"] = AteCommand.Contrast(r, columns, real),
            };
            report.Merge(result.ToJson(options.Generator));
            var outPath = r.GetValue(output) ?? Path.Combine("out", "hybrid.csv");
            var csv = CausalDataCsv.Format(hybrid.Data, r.GetValue(columns.Treatment)!, r.GetValue(columns.Outcome)!, r.GetValue(columns.Treated)!, r.GetValue(columns.Control)!);
            artifacts.WriteOutput(outPath, "csv", Encoding.UTF8.GetBytes(csv));
            artifacts.CommitWithManifest(new RunManifest
            {
                Command = "hybrid",
                Seed = s,
                Rows = hybrid.Data.Count,
                Options = new JObject { ["generator"] = options.Generator, ["design"] = r.GetValue(design), ["outcome_design"] = r.GetValue(outcomeDesign), ["holdout"] = h, ["estimators"] = new JArray(names) },
                Extras = new JObject { ["data"] = RunManifest.InputFile(path), ["known_ate"] = hybrid.KnownAte, ["report"] = report },
            });
            foreach (var w in hybrid.Warnings) ctx.Error.WriteLine($"hybridsynth hybrid: warning: {w}");
            if (r.GetValue(json))
            {
                ctx.Out.WriteLine(report.ToString(Formatting.None));
                return ExitCodes.Success;
            }
            string F(double? x) => x is { } v && double.IsFinite(v) ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "—";
            ctx.Out.WriteLine($"hybrid vs fully generative synthetic data ({options.Generator}); {train.Count} training and {test.Count} held-out rows of {path}");
            ctx.Out.WriteLine($"  contrast: {r.GetValue(columns.Treatment)} = {r.GetValue(columns.Treated)} vs {r.GetValue(columns.Control)} on {r.GetValue(columns.Outcome)} ({report["contrast"]!["scale"]}){(input.RowsDroppedMissing > 0 ? $"; {input.RowsDroppedMissing} rows dropped for a missing cell" : "")}");
            ctx.Out.WriteLine($"  known ATE of the hybrid data: {F(hybrid.KnownAte)}");
            ctx.Out.WriteLine($"  {"estimator",-10} {"real",10} {"hybrid",10} {"generative",11}");
            foreach (var n in names)
                ctx.Out.WriteLine($"  {n,-10} {F(result.Real[n].Estimate),10} {F(report["hybrid"]!["estimates"]![n]!.Value<double?>("estimate")),10} {F(report["fully_generative"]!["estimates"]![n]!.Value<double?>("estimate")),11}");
            foreach (var k in new[] { "hybrid", "fully_generative" })
            {
                var dcr = report[k]!["dcr"]!;
                var joint = report[k]!["dcr_joint"]!;
                ctx.Out.WriteLine($"  {k}: DCR on W median {F(dcr.Value<double>("SyntheticMedian"))} (holdout {F(dcr.Value<double>("HoldoutMedian"))}), {F(100 * dcr.Value<double>("ShareBelowHoldoutP5"))}% closer than the holdout's 5th percentile; on (W, A, Y) median {F(joint.Value<double>("SyntheticMedian"))} (holdout {F(joint.Value<double>("HoldoutMedian"))}), {F(100 * joint.Value<double>("ShareBelowHoldoutP5"))}%; TSTR {report[k]!["tstr"]!.Value<string>("metric")} {F(report[k]!["tstr"]!.Value<double?>("value"))}");
            }
            ctx.Out.WriteLine($"  wrote {outPath} (manifest {RunManifest.PathFor(outPath)})");
            return ExitCodes.Success;
        }));
        return command;
    }
}
