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
        var data = new Option<string?>("--data") { Description = "Instead of --spec: real data (CSV); replications are drawn from a hybrid model fitted to them (covariates from --generator, A from ĝ, Y from Q̂), the truth is that model's ATE (the pre-analysis engine). Needs --treatment, --outcome and --covariates." };
        var covariates = new Option<string?>("--covariates") { Description = "With --data: comma-separated covariate columns." };
        var categorical = new Option<string?>("--categorical") { Description = "With --data: columns read as categories." };
        var missing = new Option<string>("--missing") { Description = "With --data: a missing cell is an error (default) or drops the row.", DefaultValueFactory = _ => "error" };
        missing.AcceptOnlyFromAmong("error", "drop");
        var design = new Option<string>("--design") { Description = "With --data: observed (A from ĝ; default) or randomised (A ~ Bernoulli(1/2)).", DefaultValueFactory = _ => "observed" };
        design.AcceptOnlyFromAmong("observed", "randomised");
        var outcomeDesign = new Option<string>("--outcome-design") { Description = "With --data: the hybrid's outcome model on (A, W, A·W) (interactions; default) or (A, W) (main-effects).", DefaultValueFactory = _ => "interactions" };
        outcomeDesign.AcceptOnlyFromAmong("interactions", "main-effects");
        generator.AcceptOnlyFromAmong(HybridSynth.HybridBridge.Generators.GeneratorRegistry.Names.ToArray());
        var augmentMode = new Option<string>("--augment-mode") { Description = "real-units (synthetic units inform the nuisance fits; estimates average over the real units; default) or pooled (synthetic units counted as observations, to measure what that costs: NAME+aug-pooled).", DefaultValueFactory = _ => "real-units" };
        augmentMode.AcceptOnlyFromAmong("real-units", "pooled");
        var augmentBootstrap = new Option<int>("--augment-bootstrap") { Description = "Bootstrap resamples for the augmented estimators' standard errors (real-units mode).", DefaultValueFactory = _ => 100 };
        var command = new Command("simulate", "Benchmark the ATE estimators on datasets drawn from a model: bias, variance, MSE, RMSE and 95% coverage across sample sizes.")
        {
            spec, sizes, reps, seed, threads, output, json, augment, generator, augmentMode, augmentBootstrap, data, covariates, categorical, missing, design, outcomeDesign,
        };
        contrastOptions.AddTo(command);
        estimation.AddTo(command);
        command.SetAction(r => CliApp.Guard(ctx.Error, () =>
        {
            var dataPath = r.GetValue(data);
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
                Augmentation = r.GetValue(augment) is { } eps
                    ? eps is > 0 and < 0.5 ? new SimulationAugmentation(eps, r.GetValue(generator)!, r.GetValue(augmentMode) == "pooled" ? HybridSynth.HybridBridge.Hybrid.AugmentationMode.Pooled : HybridSynth.HybridBridge.Hybrid.AugmentationMode.RealUnits,
                        r.GetValue(augmentBootstrap) is >= 2 and <= 10_000 ? r.GetValue(augmentBootstrap) : throw new UsageException("--augment-bootstrap must be in 2..10000"))
                        : throw new UsageException($"--augment ε must be in (0, 0.5), got {eps}")
                    : null,
            };
            var labels = options.Estimators.Concat(options.Augmentation is { } aug ? options.Estimators.Where(HybridSynth.HybridBridge.Hybrid.PositivityAugmentation.Applicable.Contains).Select(e => e + aug.Suffix) : []).ToList();
            SimulationStudy study;
            string name, contrastText;
            LoadedSpec? loaded = null;
            var progressText = $"simulate: {r0} replications × {grid.Length} sizes";
            if (dataPath is not null)
            {
                // The pre-analysis engine: replications drawn from a hybrid model fitted to the real data.
                var treatment = r.GetValue(contrastOptions.Treatment) ?? throw new UsageException("--data needs --treatment (and --outcome, --covariates)");
                var outcome = r.GetValue(contrastOptions.Outcome) ?? throw new UsageException("--data needs --outcome");
                var covariateList = r.GetValue(covariates)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? throw new UsageException("--data needs --covariates (the pre-treatment confounders are a modelling choice, never guessed)");
                var (treated, control) = (r.GetValue(contrastOptions.Treated) ?? "1", r.GetValue(contrastOptions.Control) ?? "0");
                var selection = new HybridSynth.HybridBridge.Data.CsvCausalData.Selection(treatment, treated, control, outcome, covariateList)
                {
                    Categorical = r.GetValue(categorical)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [],
                    Missing = r.GetValue(missing) == "drop" ? HybridSynth.HybridBridge.Data.MissingPolicy.Drop : HybridSynth.HybridBridge.Data.MissingPolicy.Error,
                };
                var (real, _, used) = HybridSynth.HybridBridge.Data.CsvCausalData.Read(dataPath, selection);
                var hybridOptions = new HybridSynth.HybridBridge.Hybrid.HybridOptions
                {
                    Generator = r.GetValue(generator)!, RandomisedDesign = r.GetValue(design) == "randomised", Seed = s, Nuisance = options.Nuisance,
                    OutcomeInteractions = r.GetValue(outcomeDesign) == "interactions",
                };
                var contrastJson = new JObject { ["treatment"] = treatment, ["treated"] = treated, ["control"] = control, ["outcome"] = outcome, ["scale"] = real.BinaryOutcome ? $"1[{outcome} = 1]" : outcome };
                study = ProgressDisplay.Run(ctx, progressText, progress => SimulationStudy.FromHybrid(real, hybridOptions, options, contrastJson, progress));
                name = Path.GetFileNameWithoutExtension(dataPath);
                contrastText = $"{treatment} = {treated} (treated) vs {control} (control) on {outcome}; replications from a hybrid model fitted to {used} rows of {dataPath} ({hybridOptions.Generator} covariates, {(hybridOptions.RandomisedDesign ? "A ~ Bernoulli(1/2)" : "A from ĝ")}, Y from Q̂)";
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
                    ["truth"] = study.Truth,
                    ["truth_method"] = study.TruthMethod,
                    ["contrast"] = study.Contrast,
                },
                Extras = dataPath is null ? new JObject() : new JObject
                {
                    ["data"] = RunManifest.InputFile(dataPath), ["generator"] = r.GetValue(generator), ["design"] = r.GetValue(design), ["outcome_design"] = r.GetValue(outcomeDesign),
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
