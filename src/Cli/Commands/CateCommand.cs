using System.CommandLine;
using System.Globalization;
using System.Text;
using HybridSynth.HybridBridge.Cate;
using HybridSynth.HybridBridge.Data;
using HybridSynth.HybridBridge.Learners;
using HybridSynth.Scm.IO;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Cli.Commands;

/// <summary>
/// <c>hybridsynth cate</c>: conditional and individual effects from data with the T-, S-, X- and DR-learners; each unit's τ̂
/// (and the DR-learner's standard error) as CSV, and, given a column of per-unit truths (the <c>ite</c> column that
/// <c>sample</c> writes, for example), PEHE, the ATE from the CATEs and interval coverage.
/// </summary>
public static class CateCommand
{
    public static Command Build(CliContext ctx)
    {
        var columns = new CausalDataOptions("The data (CSV with a header).");
        var learners = new Option<string>("--learners") { Description = "Comma-separated CATE learners: t, s, x, dr.", DefaultValueFactory = _ => "t,s,x,dr" };
        var outcomeLearner = new Option<string>("--outcome-learner") { Description = "The outcome regressions: glm or forest.", DefaultValueFactory = _ => "glm" };
        outcomeLearner.AcceptOnlyFromAmong("glm", "forest");
        var effectLearner = new Option<string>("--effect-learner") { Description = "The X- and DR-learners' second stage: glm (linear; the DR-learner then has per-unit SEs) or forest.", DefaultValueFactory = _ => "glm" };
        effectLearner.AcceptOnlyFromAmong("glm", "forest");
        var folds = new Option<int>("--folds") { Description = "Cross-fitting folds of the DR-learner's nuisances.", DefaultValueFactory = _ => 2 };
        var truth = new Option<string?>("--truth") { Description = "A column of per-unit true effects (for example the ite column of sample, or a CATE column): then PEHE, ATE-from-CATE and coverage are reported." };
        var seed = CommonOptions.Seed();
        var output = new Option<string?>("--out", "-o") { Description = "Each unit's estimates (CSV; default out/DATA.cate.csv); a JSON report and a manifest go beside it." };
        var json = CommonOptions.Json();
        var command = new Command("cate", "Estimate conditional average treatment effects with the T-, S-, X- and DR-learners; score them against per-unit truths (PEHE, ATE from CATE, coverage).")
        {
            learners, outcomeLearner, effectLearner, folds, truth, seed, output, json,
        };
        columns.AddTo(command);
        command.SetAction(r => CliApp.Guard(ctx.Error, () =>
        {
            var path = r.GetValue(columns.Data)!;
            using var artifacts = new ArtifactWriter(path);
            var names = r.GetValue(learners)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var n in names) if (!CateLearners.Names.Contains(n)) throw new UsageException($"--learners: unknown learner '{n}'; expected some of {string.Join(", ", CateLearners.Names)}");
            if (names.Length == 0) throw new UsageException("--learners: give at least one learner");
            var k = r.GetValue(folds);
            if (k is < 1 or > 20) throw new UsageException($"--folds must be in 1..20, got {k}");
            var s = r.GetValue(seed);
            var truthColumn = r.GetValue(truth);
            var selection = columns.Selection(r);
            if (truthColumn is not null)
            {
                if (selection.Covariates.Contains(truthColumn)) throw new UsageException($"--truth '{truthColumn}' is also a covariate");
                selection = selection with { Covariates = selection.Covariates.Append(truthColumn).ToList() };
            }
            var (read, rowsRead, used) = CausalDataOptions.Read(ctx, "cate", path, selection);
            double[]? truths = null;
            var data = read;
            if (truthColumn is not null)
            {
                var p = read.Covariates.Length - 1;
                truths = read.Covariates[p];
                data = new CausalData(read.Covariates.Take(p).ToArray(), read.CovariateNames.Take(p).ToList(), read.Treatment, read.Outcome, read.BinaryOutcome);
            }
            var options = new CateOptions
            {
                Outcome = r.GetValue(outcomeLearner) == "forest" ? new RandomForest(classification: false, seed: Scm.Randomness.Seeds.OutcomeLearner(s)) : null,
                Effect = r.GetValue(effectLearner) == "forest" ? new RandomForest(classification: false, seed: Scm.Randomness.Seeds.ForestTree(s, 1)) : new GeneralisedLinearModel(logistic: false),
                Folds = k,
                Seed = s,
            };
            var estimates = ProgressDisplay.Status(ctx, $"cate: fitting {string.Join(", ", names)} on {used:N0} rows", () => names.Select(n => CateLearners.Create(n).Fit(data, options)).ToList());
            var evaluations = truths is null ? null : estimates.Select(e => CateEvaluation.Of(e, truths)).ToList();
            var outPath = r.GetValue(output) ?? Path.Combine("out", Path.GetFileNameWithoutExtension(path) + ".cate.csv");
            var csv = new StringBuilder(string.Join(",", estimates.Select(e => "tau_" + e.Learner).Concat(estimates.Where(e => e.StandardErrors is not null).Select(e => "se_" + e.Learner))
                .Concat(truths is null ? [] : ["truth"]).Select(CsvTableWriter.Quote))).Append('\n');
            string F(double x) => x.ToString("R", CultureInfo.InvariantCulture);
            for (var i = 0; i < data.Count; i++)
                csv.Append(string.Join(",", estimates.Select(e => F(e.Tau[i])).Concat(estimates.Where(e => e.StandardErrors is not null).Select(e => F(e.StandardErrors![i])))
                    .Concat(truths is null ? [] : [F(truths[i])]))).Append('\n');
            static JToken N(double x) => double.IsFinite(x) ? x : JValue.CreateNull();
            var report = new JObject
            {
                ["data"] = path, ["rows_used"] = used, ["covariates"] = new JArray(data.CovariateNames),
                ["contrast"] = AteCommand.Contrast(r, columns, data),
                ["learners"] = new JArray(estimates.Select((e, q) =>
                {
                    var mean = e.Ate;
                    var o = new JObject
                    {
                        ["learner"] = e.Learner, ["ate_from_cate"] = mean,
                        ["tau_sd"] = Math.Sqrt(e.Tau.Sum(t => (t - mean) * (t - mean)) / Math.Max(1, e.Tau.Length - 1)),
                    };
                    if (evaluations is not null)
                    {
                        o["pehe"] = evaluations[q].Pehe;
                        o["true_ate"] = evaluations[q].TrueAte;
                        o["coverage"] = N(evaluations[q].Coverage);
                    }
                    return o;
                })),
                ["options"] = new JObject { ["outcome_learner"] = r.GetValue(outcomeLearner), ["effect_learner"] = r.GetValue(effectLearner), ["folds"] = k, ["truth"] = truthColumn },
            };
            var reportPath = Path.Combine(Path.GetDirectoryName(outPath) ?? "", Path.GetFileNameWithoutExtension(outPath) + ".json");
            artifacts.WriteOutput(outPath, "csv", Encoding.UTF8.GetBytes(csv.ToString()));
            artifacts.Write(reportPath, Encoding.UTF8.GetBytes(report.ToString(Formatting.Indented) + "\n"));
            artifacts.CommitWithManifest(new RunManifest
            {
                Command = "cate",
                Seed = s,
                Rows = data.Count,
                Options = (JObject)report["options"]!.DeepClone(),
                Extras = new JObject { ["data"] = RunManifest.InputFile(path), ["learners"] = new JArray(names), ["report"] = Path.GetFileName(reportPath) },
            });
            if (r.GetValue(json))
            {
                ctx.Out.WriteLine(report.ToString(Formatting.None));
                return ExitCodes.Success;
            }
            string G(double x) => double.IsFinite(x) ? x.ToString("0.0000", CultureInfo.InvariantCulture) : "—";
            ctx.Out.WriteLine($"CATE of {r.GetValue(columns.Treatment)} ({r.GetValue(columns.Treated)} vs {r.GetValue(columns.Control)}) on {r.GetValue(columns.Outcome)}: {used} of {rowsRead} rows, covariates {string.Join(", ", data.CovariateNames)}");
            ctx.Out.WriteLine($"  {"learner",-8} {"ATE",9} {"sd(τ̂)",9}" + (evaluations is null ? "" : $" {"PEHE",9} {"true ATE",9} {"coverage",9}"));
            foreach (var (e, q) in estimates.Select((e, q) => (e, q)))
                ctx.Out.WriteLine($"  {e.Learner,-8} {G(e.Ate),9} {G((double)report["learners"]![q]!["tau_sd"]!),9}" + (evaluations is null ? "" : $" {G(evaluations[q].Pehe),9} {G(evaluations[q].TrueAte),9} {G(evaluations[q].Coverage),9}"));
            ctx.Out.WriteLine($"  written: {outPath}, {reportPath}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
