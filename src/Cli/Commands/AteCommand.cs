using System.CommandLine;
using System.Globalization;
using System.Text;
using HybridSynth.HybridBridge.Data;
using HybridSynth.HybridBridge.Estimators;
using HybridSynth.Scm.IO;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Cli.Commands;

/// <summary><c>hybridsynth ate</c>: estimate the ATE of a binary treatment from a CSV file with OR, IPW, AIPW and TMLE.</summary>
public static class AteCommand
{
    public static Command Build(CliContext ctx)
    {
        var columns = new CausalDataOptions("The data (CSV with a header).");
        var seed = CommonOptions.Seed();
        var output = new Option<string?>("--out", "-o") { Description = "Also write the results as JSON (with a manifest beside it)." };
        var json = CommonOptions.Json();
        var augment = new Option<double?>("--augment") { Description = "Positivity augmentation: pair units with propensity below ε or above 1−ε with synthetic covariate rows of the opposite arm, and report every estimator before and after." };
        var generator = new Option<string>("--generator") { Description = "Covariate generator for --augment: bootstrap, copula, bn, or lm (needs --model).", DefaultValueFactory = _ => "copula" };
        generator.AcceptOnlyFromAmong(HybridSynth.HybridBridge.Generators.GeneratorRegistry.Names.Append("lm").ToArray());
        var lm = new LanguageModelCliOptions("A GGUF model for the language-model covariate generator (--augment with --generator lm); --temperature sets its temperature (default 1).");
        var augmentBootstrap = new Option<int>("--augment-bootstrap") { Description = "Bootstrap resamples (each re-augmented) for the standard errors after augmentation.", DefaultValueFactory = _ => 200 };
        var estimation = new EstimationOptions();
        var command = new Command("ate", "Estimate the average treatment effect from data: outcome regression, IPW (Horvitz–Thompson, Hájek), AIPW and TMLE with influence-curve 95% intervals.")
        {
            seed, output, json, augment, generator, augmentBootstrap,
        };
        columns.AddTo(command);
        estimation.AddTo(command);
        lm.AddTo(command);
        command.SetAction(r => CliApp.Guard(ctx.Error, () =>
        {
            using var artifacts = new ArtifactWriter(r.GetValue(columns.Data)); // every file of the run, committed with its manifest
            var names = estimation.EstimatorNames(r);
            var s = r.GetValue(seed);
            var nuisanceOptions = estimation.Nuisance(r, s);
            var path = r.GetValue(columns.Data)!;
            var input = columns.Read(ctx, r, "ate");
            var (d, read, used) = input;
            var (nu, results) = ProgressDisplay.Status(ctx, $"ate: fitting the nuisances on {used:N0} rows", () =>
            {
                var fitted = NuisanceEstimates.Fit(d, nuisanceOptions);
                return (fitted, names.Select(n => EstimatorRegistry.Create(n).Estimate(d, fitted)).ToList());
            });
            List<AteEstimate>? augmented = null;
            var added = 0;
            if (r.GetValue(augment) is { } eps)
            {
                if (!(eps > 0 && eps < 0.5)) throw new UsageException($"--augment ε must be in (0, 0.5), got {eps}");
                var b = r.GetValue(augmentBootstrap);
                if (b is < 2 or > 10_000) throw new UsageException($"--augment-bootstrap must be in 2..10000, got {b}");
                lm.RefuseSdScmOnly(r, "ate");
                var session = r.GetValue(generator) == "lm" ? lm.Open(r, s, required: true) : null;
                using var lmModel = session?.Model;
                var generatorInstance = HybridSynth.HybridBridge.Hybrid.PositivityAugmentation.Generator(r.GetValue(generator)!,
                    session is null ? null : new HybridSynth.HybridBridge.Generators.LanguageModelGenerator(session, temperature: lm.TemperatureOr(r, 1.0)));
                (augmented, added) = ProgressDisplay.Status(ctx, "ate: estimating after augmentation", () =>
                {
                    var (estimates, count) = HybridSynth.HybridBridge.Hybrid.PositivityAugmentation.Estimate(d, eps, generatorInstance, s, nuisanceOptions, names, bootstrap: b);
                    return (estimates.ToList(), count);
                });
            }
            var body = new JObject
            {
                ["data"] = path,
                ["rows_read"] = read,
                ["rows_used"] = used,
                ["rows_dropped_missing"] = input.RowsDroppedMissing,
                ["contrast"] = Contrast(r, columns, d),
                ["treated"] = d.Treatment.Sum(),
                ["binary_outcome"] = d.BinaryOutcome,
                ["covariates"] = new JArray(d.CovariateNames),
                ["covariate_types"] = new JObject(input.CovariateTypes.Select(t => new JProperty(t.Column, t.Type))),
                ["truncation"] = nu.Bound,
                ["truncated_units"] = nu.Truncated,
                ["folds"] = nuisanceOptions.Folds,
                ["estimates"] = Estimates(results),
            };
            if (augmented is not null)
                body["positivity_augmentation"] = new JObject
                {
                    ["epsilon"] = r.GetValue(augment), ["added_rows"] = added, ["generator"] = r.GetValue(generator), ["bootstrap"] = r.GetValue(augmentBootstrap),
                    ["mode"] = "synthetic units inform the nuisance fits only; the estimates and their influence curves average over the real units",
                    ["estimates"] = Estimates(augmented),
                };
            if (r.GetValue(output) is { } o)
            {
                artifacts.WriteOutput(o, "json", Encoding.UTF8.GetBytes(body.ToString(Formatting.Indented) + "\n"));
                artifacts.CommitWithManifest(new RunManifest
                {
                    Command = "ate",
                    Seed = s,
                    Rows = used,
                    Options = new JObject { ["estimators"] = new JArray(names), ["missing"] = r.GetValue(columns.Missing), ["categorical"] = r.GetValue(columns.Categorical), ["truncation"] = nu.Bound, ["folds"] = nuisanceOptions.Folds, ["l2"] = r.GetValue(estimation.L2) },
                                        Extras = new JObject { ["data"] = RunManifest.InputFile(path) },
                });
            }
            if (r.GetValue(json))
            {
                ctx.Out.WriteLine(body.ToString(Formatting.None));
                return ExitCodes.Success;
            }
            string F(double x) => x.ToString("0.0000", CultureInfo.InvariantCulture);
            ctx.Out.WriteLine($"ATE of {r.GetValue(columns.Treatment)} ({r.GetValue(columns.Treated)} vs {r.GetValue(columns.Control)}) on {r.GetValue(columns.Outcome)} ({(d.BinaryOutcome ? "risk difference" : "difference in means")}): {used} of {read} rows{(input.RowsDroppedMissing > 0 ? $" ({input.RowsDroppedMissing} dropped for a missing cell)" : "")}, {d.Treatment.Sum()} treated, {d.CovariateNames.Count} covariate columns");
            ctx.Out.WriteLine($"  propensities bounded to [{F(nu.Bound)}, {F(1 - nu.Bound)}] ({nu.Truncated} units moved){(nuisanceOptions.Folds > 1 ? $"; {nuisanceOptions.Folds}-fold cross-fitting" : "")}");
            ctx.Out.WriteLine($"  {"estimator",-10} {"estimate",10} {"SE",10}  95% CI");
            foreach (var e in results)
                ctx.Out.WriteLine($"  {e.Estimator,-10} {F(e.Estimate),10} {F(e.StandardError),10}  [{F(e.Lower)}, {F(e.Upper)}]");
            if (augmented is not null)
            {
                ctx.Out.WriteLine($"  after positivity augmentation (ε = {r.GetValue(augment)}, {added} synthetic rows from {r.GetValue(generator)}, used for the nuisance fits only; averages over the {used} real units):");
                foreach (var e in augmented)
                    ctx.Out.WriteLine($"  {e.Estimator,-10} {F(e.Estimate),10} {F(e.StandardError),10}  [{F(e.Lower)}, {F(e.Upper)}]");
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>The contrast estimated, named: E[Y(treated)] − E[Y(control)] on the outcome's scale.</summary>
    internal static JObject Contrast(ParseResult r, CausalDataOptions columns, CausalData d) => new()
    {
        ["treatment"] = r.GetValue(columns.Treatment),
        ["treated"] = r.GetValue(columns.Treated),
        ["control"] = r.GetValue(columns.Control),
        ["outcome"] = r.GetValue(columns.Outcome),
        ["scale"] = d.BinaryOutcome ? "risk difference" : "difference in means",
    };

    private static JArray Estimates(IEnumerable<AteEstimate> results) => new(results.Select(e => new JObject
    {
        ["estimator"] = e.Estimator,
        ["estimate"] = e.Estimate,
        ["standard_error"] = e.StandardError,
        ["ci95"] = new JArray(e.Lower, e.Upper),
    }));
}
