using System.CommandLine;
using HybridSynth.Scm.Counterfactuals;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Sampling;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Cli.Commands;

/// <summary><c>hybridsynth counterfactual</c>: factual and counterfactual rows of the same units, from the same noise.</summary>
public static class CounterfactualCommand
{
    public static Command Build(CliContext ctx)
    {
        var spec = CommonOptions.Spec();
        var rows = CommonOptions.Rows(1000);
        var seed = CommonOptions.Seed();
        var output = CommonOptions.Out();
        var format = CommonOptions.Format();
        var threads = CommonOptions.Threads();
        var chunk = CommonOptions.ChunkSize();
        var doOpt = CommonOptions.Do();
        var soft = CommonOptions.Soft();
        var json = CommonOptions.Json();
        var includeHidden = new Option<bool>("--include-hidden") { Description = "Also write hidden (latent) variables." };
        var command = new Command("counterfactual",
            "For each unit: the factual row and the counterfactual row under do(...), computed from the SAME exogenous noise (abduction, action, prediction).")
        {
            spec, rows, seed, output, format, threads, chunk, doOpt, soft, includeHidden, json,
        };
        command.SetAction(r => CliApp.Guard(ctx.Error, () =>
        {
            var n = r.GetValue(rows);
            CommonOptions.CheckRuntime(n, r.GetValue(threads), r.GetValue(chunk));
            var loaded = SpecLoader.Load(r.GetValue(spec)!);
            var model = loaded.Model;
            var interventions = CommonOptions.Interventions(model, r.GetValue(doOpt), r.GetValue(soft));
            if (interventions.Count == 0)
                throw new UsageException("counterfactual needs at least one --do or --soft intervention");
            var (path, fmt) = CommonOptions.Output(r.GetValue(output), r.GetValue(format), model.Name, "counterfactual");
            var options = new SamplingOptions { Threads = r.GetValue(threads), ChunkSize = r.GetValue(chunk), IncludeHidden = r.GetValue(includeHidden) };
            var seedValue = r.GetValue(seed);
            var job = CounterfactualJobs.Pairs(model, interventions, n, seedValue, options);
            var (written, bytes, sha) = TableFormats.WriteJob(fmt, path, job);
            var manifest = new RunManifest
            {
                Command = "counterfactual",
                Spec = loaded,
                Seed = seedValue,
                Rows = written,
                Interventions = interventions.Select(i => i.Describe(model)).ToList(),
                Options = new JObject { ["include_hidden"] = options.IncludeHidden },
                Columns = job.Schema,
                OutputPath = path,
                OutputFormat = fmt,
                OutputBytes = bytes,
                OutputSha256 = sha,
                Extras = new JObject
                {
                    ["counterfactual"] = $"columns NAME are factual, NAME{CounterfactualJobs.Suffix} are the same unit under the interventions; both from the unit's exogenous noise (seed {seedValue})",
                },
            };
            var manifestPath = RunManifest.PathFor(path);
            manifest.Write(manifestPath);
            Report.Written(ctx, r.GetValue(json), path, manifestPath, written, job.Schema.Count, sha);
            return ExitCodes.Success;
        }));
        return command;
    }
}
