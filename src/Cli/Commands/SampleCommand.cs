using System.CommandLine;
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Sampling;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Cli.Commands;

/// <summary><c>hybridsynth sample</c>: observational or interventional data, with per-unit potential outcomes.</summary>
public static class SampleCommand
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
        var withNoise = new Option<bool>("--with-noise") { Description = "Also write each variable's exogenous noise (U_NAME columns)." };
        var noPo = new Option<bool>("--no-potential-outcomes") { Description = "Do not write Y(0), Y(1) and ite columns." };
        var treatment = new Option<string?>("--treatment") { Description = "Treatment for potential outcomes (default: the spec's treatment role)." };
        var outcome = new Option<string?>("--outcome") { Description = "Outcome for potential outcomes (default: the spec's outcome role)." };

        var command = new Command("sample", "Draw units by ancestral sampling with recomputable exogenous noise, optionally under do(...).")
        {
            spec, rows, seed, output, format, threads, chunk, doOpt, soft, includeHidden, withNoise, noPo, treatment, outcome, json,
        };
        command.SetAction(r => CliApp.Guard(ctx.Error, () =>
        {
            var n = r.GetValue(rows);
            CommonOptions.CheckRuntime(n, r.GetValue(threads), r.GetValue(chunk));
            var loaded = SpecLoader.Load(r.GetValue(spec)!);
            var model = loaded.Model;
            var interventions = CommonOptions.Interventions(model, r.GetValue(doOpt), r.GetValue(soft));
            var intervened = model.Intervene(interventions);
            var (path, fmt) = CommonOptions.Output(r.GetValue(output), r.GetValue(format), model.Name, "sample");
            var options = new SamplingOptions
            {
                Threads = r.GetValue(threads),
                ChunkSize = r.GetValue(chunk),
                IncludeHidden = r.GetValue(includeHidden),
                IncludeNoise = r.GetValue(withNoise),
                PotentialOutcomes = !r.GetValue(noPo),
            };
            TreatmentContrast? contrast = null;
            string? poNote = null;
            var t = r.GetValue(treatment);
            var y = r.GetValue(outcome);
            if (options.PotentialOutcomes && (t is not null || y is not null || (model.TreatmentIndex is not null && model.OutcomeIndex is not null)))
            {
                contrast = TreatmentContrast.Resolve(model, t, y);
                if (interventions.Any(i => i.Variable == contrast.Treatment))
                {
                    poNote = $"not written: the treatment '{model[contrast.Treatment].Name}' is intervened on";
                    contrast = null;
                }
            }
            var seedValue = r.GetValue(seed);
            var job = SampleJobs.Sample(intervened, n, seedValue, options, contrast);
            var (written, bytes, sha) = TableFormats.WriteJob(fmt, path, job);
            var extras = new JObject();
            if (contrast is not null)
                extras["potential_outcomes"] = new JObject
                {
                    ["treatment"] = model[contrast.Treatment].Name,
                    ["control"] = model[contrast.Treatment].Format(contrast.ControlCode),
                    ["treated"] = model[contrast.Treatment].Format(contrast.TreatedCode),
                    ["outcome"] = model[contrast.Outcome].Name,
                    ["ite"] = $"{contrast.Scale.Description}(1) - {contrast.Scale.Description}(0), from the unit's own exogenous noise",
                };
            else if (poNote is not null) extras["potential_outcomes"] = poNote;
            var manifest = new RunManifest
            {
                Command = "sample",
                Spec = loaded,
                Seed = seedValue,
                Rows = written,
                Interventions = interventions.Select(i => i.Describe(model)).ToList(),
                Options = new JObject
                {
                    ["include_hidden"] = options.IncludeHidden,
                    ["with_noise"] = options.IncludeNoise,
                    ["potential_outcomes"] = contrast is not null,
                },
                Columns = job.Schema,
                OutputPath = path,
                OutputFormat = fmt,
                OutputBytes = bytes,
                OutputSha256 = sha,
                Extras = extras,
            };
            var manifestPath = RunManifest.PathFor(path);
            manifest.Write(manifestPath);
            Report.Written(ctx, r.GetValue(json), path, manifestPath, written, job.Schema.Count, sha);
            return ExitCodes.Success;
        }));
        return command;
    }
}
