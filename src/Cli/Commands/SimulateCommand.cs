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
        var command = new Command("simulate", "Benchmark the ATE estimators on datasets drawn from a model: bias, variance, MSE, RMSE and 95% coverage across sample sizes.")
        {
            spec, sizes, reps, seed, threads, output, json,
        };
        contrastOptions.AddTo(command);
        estimation.AddTo(command);
        command.SetAction(r => CliApp.Guard(ctx.Error, () =>
        {
            using var artifacts = new ArtifactWriter(r.GetValue(spec)); // every file of the run, committed with its manifest
            var grid = r.GetValue(sizes)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(x => int.TryParse(x, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= 10 ? v : throw new UsageException($"--sizes: '{x}' is not a size ≥ 10")).ToArray();
            if (grid.Distinct().Count() != grid.Length) throw new UsageException($"--sizes: each size once (got {r.GetValue(sizes)})");
            var r0 = r.GetValue(reps);
            if (r0 < 2) throw new UsageException("--reps must be ≥ 2");
            var th = r.GetValue(threads);
            if (th < 1) throw new UsageException("--threads must be ≥ 1");
            var s = r.GetValue(seed);
            var loaded = SpecLoader.Load(r.GetValue(spec)!);
            var model = loaded.Model;
            var contrast = contrastOptions.Resolve(r, model);
            var (truth, truthMethod) = ProgressDisplay.Status(ctx, "simulate: the true ATE", () => SimulationStudy.TrueEffect(model, contrast, s, th));
            var options = new SimulationOptions
            {
                Sizes = grid,
                Replications = r0,
                Seed = s,
                Threads = th,
                Estimators = estimation.EstimatorNames(r),
                Nuisance = estimation.Nuisance(r, s),
            };
            var rows = ProgressDisplay.Run(ctx, $"simulate: {r0} replications × {grid.Length} sizes", progress => SimulationEngine.Run(model, contrast, truth, options, progress));
            var study = new SimulationStudy(truth, truthMethod, contrast, SimulationEngine.Covariates(model, contrast), rows);
            var dir = r.GetValue(output) ?? Path.Combine("out", $"{model.Name}-simulation");
            Directory.CreateDirectory(dir);
            artifacts.WriteOutput(Path.Combine(dir, "simulation.csv"), "csv", Encoding.UTF8.GetBytes(SimulationRow.Csv(rows)));
            var body = study.ToJson(model);
            artifacts.Write(Path.Combine(dir, "simulation.json"), Encoding.UTF8.GetBytes(body.ToString(Formatting.Indented) + "\n"));
            foreach (var (name, label, value, reference) in SimulationStudy.Metrics)
                artifacts.Write(Path.Combine(dir, $"{name}.svg"), Encoding.UTF8.GetBytes(LinePlot.Render($"{model.Name}: {label} against n ({r0} replications)", "n", label,
                    grid.Select(n => (double)n).ToList(), study.Curves(value, grid, options.Estimators), reference)));
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
                    ["truncation"] = options.Nuisance.Truncation is { } t ? t : "default: min(0.1, 5/(sqrt(n) ln n))",
                    ["folds"] = options.Nuisance.Folds,
                    ["truth"] = truth,
                    ["truth_method"] = truthMethod,
                    ["contrast"] = contrast.ToJson(model),
                },
            }, Path.Combine(dir, "simulation.manifest.json"));
            if (r.GetValue(json))
            {
                ctx.Out.WriteLine(body.ToString(Formatting.None));
                return ExitCodes.Success;
            }
            string G(double x) => x.ToString("0.0000", CultureInfo.InvariantCulture);
            ctx.Out.WriteLine($"simulate {model.Name}: true ATE {G(truth)} ({truthMethod}); {r0} replications per size");
            ctx.Out.WriteLine($"  contrast: {contrast.Describe(model)}");
            ctx.Out.WriteLine($"  {"n",6} {"estimator",-10} {"bias",9} {"RMSE",9} {"coverage",9} {"mean SE",9} {"sd",9}");
            foreach (var row in rows)
                ctx.Out.WriteLine($"  {row.N,6} {row.Estimator,-10} {G(row.Bias),9} {G(row.Rmse),9} {G(row.Coverage),9} {G(row.MeanStandardError),9} {G(Math.Sqrt(row.Variance)),9}" + (row.Failures > 0 ? $"  ({row.Failures} failed)" : ""));
            ctx.Out.WriteLine($"  written: {dir}/simulation.csv, simulation.json, bias/variance/mse/rmse/coverage.svg");
            return ExitCodes.Success;
        }));
        return command;
    }
}
