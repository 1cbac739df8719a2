using System.CommandLine;
using System.Globalization;
using System.Text;
using HybridSynth.Plots;
using HybridSynth.HybridBridge.Simulation;
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.IO;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Cli.Commands;

/// <summary>
/// <c>hybridsynth simulate</c>: draw R datasets of each size n from a model with a treatment and an
/// outcome, run the estimators, and report bias, variance, MSE, RMSE and coverage against the model's
/// true ATE (exact, quadrature or Monte Carlo) as CSV, JSON and one SVG plot per metric.
/// </summary>
public static class SimulateCommand
{
    public static Command Build(CliContext ctx)
    {
        var spec = CommonOptions.Spec();
        var sizes = new Option<string>("--sizes") { Description = "Comma-separated sample sizes.", DefaultValueFactory = _ => "250,500,1000" };
        var reps = new Option<int>("--reps") { Description = "Replications per size.", DefaultValueFactory = _ => 100 };
        var seed = CommonOptions.Seed();
        var threads = CommonOptions.Threads();
        var output = new Option<string?>("--out", "-o") { Description = "Output folder (default out/MODEL-simulation)." };
        var json = CommonOptions.Json();
        var contrastOptions = new ContrastOptions();
        var estimation = new EstimationOptions();
        var augment = new Option<double?>("--augment") { Description = "Also benchmark positivity augmentation at ε (units with propensity below ε or above 1−ε get a synthetic partner of the other arm), as NAME+aug." };
        var generator = new Option<string>("--generator") { Description = "The covariate generator of --data's hybrid model and of --augment: bootstrap, copula or bn.", DefaultValueFactory = _ => "copula" };
        var fromData = new SimulationDataOptions();
        var augmentMode = new Option<string>("--augment-mode") { Description = "real-units (synthetic units inform the nuisance fits; estimates average over the real units; default) or pooled (synthetic units counted as observations, to measure what that costs: NAME+aug-pooled).", DefaultValueFactory = _ => "real-units" };
        augmentMode.AcceptOnlyFromAmong("real-units", "pooled");
        var augmentBootstrap = new Option<int>("--augment-bootstrap") { Description = "Bootstrap resamples for the augmented estimators' standard errors (real-units mode).", DefaultValueFactory = _ => 100 };
        var nuisances = new Option<string>("--nuisances") { Description = "Comma-separated nuisance sources, to decompose bias and coverage: fitted (default), oracle (the model's true g and Q), oracle-g, oracle-q; estimators are reported as NAME, NAME@oracle, …", DefaultValueFactory = _ => "fitted" };
        var command = new Command("simulate", "Benchmark the ATE estimators on datasets drawn from a model: bias, variance, MSE, RMSE and 95% coverage across sample sizes.")
        {
            spec, sizes, reps, seed, threads, output, json, augment, generator, augmentMode, augmentBootstrap, nuisances,
        };
        contrastOptions.AddTo(command);
        estimation.AddTo(command);
        fromData.AddTo(command);
        command.SetAction(r => CliApp.Guard(ctx.Error, () =>
        {
            var dataPath = r.GetValue(fromData.Data);
            if (dataPath is not null && LanguageModelCliOptions.Given(r, spec)) throw new UsageException("give either --spec (simulate from a model) or --data (simulate from a hybrid model fitted to real data), not both");
            using var artifacts = new ArtifactWriter(dataPath ?? r.GetValue(spec)); // every file of the run, committed with its manifest
            var grid = r.GetValue(sizes)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(x => int.TryParse(x, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= 10 ? v : throw new UsageException($"--sizes: '{x}' is not a size ≥ 10")).ToArray();
            if (grid.Distinct().Count() != grid.Length) throw new UsageException($"--sizes: each size once (got {r.GetValue(sizes)})");
            var r0 = r.GetValue(reps);
            if (r0 < 2) throw new UsageException("--reps must be ≥ 2");
            var th = r.GetValue(threads);
            if (th < 1) throw new UsageException("--threads must be ≥ 1");
            var s = r.GetValue(seed);
            var options = new SimulationOptions
            {
                Sizes = grid,
                Replications = r0,
                Seed = s,
                Threads = th,
                Estimators = estimation.EstimatorNames(r),
                Nuisance = estimation.Nuisance(r, s),
                Nuisances = r.GetValue(nuisances)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().Select(OracleNuisances.Parse).ToArray() is { Length: > 0 } ns
                    ? dataPath is null || ns.All(x => x == NuisanceSource.Fitted) ? ns : throw new UsageException("--nuisances oracle… needs --spec (the true nuisances of a model)")
                    : throw new UsageException("--nuisances: give at least one source"),
                Augmentation = r.GetValue(augment) is { } eps
                    ? eps is > 0 and < 0.5 ? new SimulationAugmentation(eps, r.GetValue(generator)!, r.GetValue(augmentMode) == "pooled" ? HybridSynth.HybridBridge.Hybrid.AugmentationMode.Pooled : HybridSynth.HybridBridge.Hybrid.AugmentationMode.RealUnits,
                        r.GetValue(augmentBootstrap) is >= 2 and <= 10_000 ? r.GetValue(augmentBootstrap) : throw new UsageException("--augment-bootstrap must be in 2..10000"))
                        : throw new UsageException($"--augment ε must be in (0, 0.5), got {eps}")
                    : null,
            };
            var labels = SimulationEngine.Labels(options);
            SimulationStudy study;
            string name, contrastText;
            LoadedSpec? loaded = null;
            var progressText = $"simulate: {r0} replications × {grid.Length} sizes";
            if (dataPath is not null)
            {
                (study, contrastText) = fromData.Study(ctx, r, contrastOptions, r.GetValue(generator)!, options, progressText);
                name = Path.GetFileNameWithoutExtension(dataPath);
            }
            else
            {
                loaded = SpecLoader.Load(r.GetValue(spec)!);
                var model = loaded.Model;
                var contrast = contrastOptions.Resolve(r, model);
                var (truth, truthMethod) = ProgressDisplay.Status(ctx, "simulate: the true ATE", () => SimulationStudy.TrueEffect(model, contrast, s, th));
                var rows = ProgressDisplay.Run(ctx, progressText, progress => SimulationEngine.Run(model, contrast, truth, options, progress));
                study = new SimulationStudy(truth, truthMethod, contrast.ToJson(model), SimulationEngine.Covariates(model, contrast), rows);
                name = model.Name;
                contrastText = contrast.Describe(model);
            }
            var dir = r.GetValue(output) ?? Path.Combine("out", $"{name}-simulation");
            Directory.CreateDirectory(dir);
            artifacts.WriteOutput(Path.Combine(dir, "simulation.csv"), "csv", Encoding.UTF8.GetBytes(SimulationRow.Csv(study.Rows)));
            var body = study.ToJson();
            artifacts.Write(Path.Combine(dir, "simulation.json"), Encoding.UTF8.GetBytes(body.ToString(Formatting.Indented) + "\n"));
            foreach (var (metric, label, value, reference) in SimulationStudy.Metrics)
                artifacts.Write(Path.Combine(dir, $"{metric}.svg"), Encoding.UTF8.GetBytes(LinePlot.Render($"{name}: {label} against n ({r0} replications)", "n", label,
                    grid.Select(n => (double)n).ToList(), study.Curves(value, grid, labels), reference)));
            artifacts.CommitWithManifest(new RunManifest
            {
                Command = "simulate",
                Spec = loaded,
                Seed = s,
                Options = new JObject
                {
                    ["sizes"] = new JArray(grid),
                    ["replications"] = r0,
                    ["estimators"] = new JArray(options.Estimators),
                    ["augmentation"] = options.Augmentation is { } au ? new JObject { ["epsilon"] = au.Epsilon, ["generator"] = au.Generator, ["mode"] = r.GetValue(augmentMode), ["bootstrap"] = au.Bootstrap } : null,
                    ["truncation"] = options.Nuisance.Truncation is { } t ? t : "default: min(0.1, 5/(sqrt(n) ln n))",
                    ["folds"] = options.Nuisance.Folds,
                    ["learners"] = new JObject { ["propensity"] = r.GetValue(estimation.PropensityLearner), ["outcome"] = r.GetValue(estimation.OutcomeLearner) },
                    ["nuisances"] = new JArray(options.Nuisances.Select(OracleNuisances.Name)),
                    ["truth"] = study.Truth,
                    ["truth_method"] = study.TruthMethod,
                    ["contrast"] = study.Contrast,
                },
                Extras = dataPath is null ? new JObject() : new JObject
                {
                    ["data"] = RunManifest.InputFile(dataPath), ["generator"] = r.GetValue(generator), ["design"] = r.GetValue(fromData.Design), ["outcome_design"] = r.GetValue(fromData.OutcomeDesign),
                },
            }, Path.Combine(dir, "simulation.manifest.json"));
            if (r.GetValue(json))
            {
                ctx.Out.WriteLine(body.ToString(Formatting.None));
                return ExitCodes.Success;
            }
            string G(double x) => x.ToString("0.0000", CultureInfo.InvariantCulture);
            ctx.Out.WriteLine($"simulate {name}: true ATE {G(study.Truth)} ({study.TruthMethod}); {r0} replications per size");
            ctx.Out.WriteLine($"  contrast: {contrastText}");
            ctx.Out.WriteLine($"  {"n",6} {"estimator",-16} {"bias",9} {"RMSE",9} {"coverage",9} {"mean SE",9} {"sd",9}");
            foreach (var row in study.Rows)
                ctx.Out.WriteLine($"  {row.N,6} {row.Estimator,-16} {G(row.Bias),9} {G(row.Rmse),9} {G(row.Coverage),9} {G(row.MeanStandardError),9} {G(Math.Sqrt(row.Variance)),9}" + (row.Failures > 0 ? $"  ({row.Failures} failed)" : ""));
            ctx.Out.WriteLine($"  written: {dir}/simulation.csv, simulation.json, bias/variance/mse/rmse/coverage.svg");
            return ExitCodes.Success;
        }));
        return command;
    }
}
