using System.CommandLine;
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.Sampling;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Cli.Commands;

/// <summary><c>hybridsynth sample</c>: observational or interventional data, with per-unit potential outcomes.</summary>
public static class SampleCommand
{
    public static Command Build(CliContext ctx)
    {
        var common = new TableCommandOptions();
        var includeHidden = new Option<bool>("--include-hidden") { Description = "Also write hidden (latent) variables." };
        var withNoise = new Option<bool>("--with-noise") { Description = "Also write each variable's exogenous noise (U_NAME columns)." };
        var noPo = new Option<bool>("--no-potential-outcomes") { Description = "Do not write the potential-outcome columns Y(A=control), Y(A=treated) and ite." };
        var contrastOptions = new ContrastOptions(" for potential outcomes");

        var command = new Command("sample", "Draw units by ancestral sampling with recomputable exogenous noise, optionally under do(...).");
        common.AddTo(command);
        foreach (var o in new Option[] { includeHidden, withNoise, noPo }) command.Options.Add(o);
        contrastOptions.AddTo(command);
        command.SetAction(r => CliApp.Guard(ctx.Error, () =>
        {
            var p = common.Parse(r, "sample");
            var model = p.Spec.Model;
            var potentialOutcomes = !r.GetValue(noPo);
            TreatmentContrast? contrast = null;
            string? poNote = null;
            if (potentialOutcomes && (contrastOptions.AnyGiven(r) || (model.TreatmentIndex is not null && model.OutcomeIndex is not null)))
            {
                contrast = contrastOptions.Resolve(r, model);
                if (p.Interventions.Any(i => i.Variable == contrast.Treatment))
                {
                    poNote = $"not written: the treatment '{model[contrast.Treatment].Name}' is intervened on";
                    contrast = null;
                }
            }
            var options = new SamplingOptions
            {
                Threads = p.Threads,
                // With potential outcomes each chunk samples three worlds: the default chunk holds a third as many units.
                ChunkSize = common.ChunkSizeFor(r, model.Count * (contrast is null ? 1 : 3)),
                IncludeHidden = r.GetValue(includeHidden),
                IncludeNoise = r.GetValue(withNoise),
                PotentialOutcomes = potentialOutcomes,
                RecycleColumns = true, // the rows only go to the writer, which releases each block once written
            };
            var job = SampleJobs.Sample(model.Intervene(p.Interventions), p.Rows, p.Seed, options, contrast);
            var extras = new JObject();
            if (contrast is not null)
                extras["potential_outcomes"] = Report.PotentialOutcomes(model, contrast);
            else if (poNote is not null) extras["potential_outcomes"] = poNote;
            p.WriteWithManifest(ctx, "sample", job, new JObject
            {
                ["include_hidden"] = options.IncludeHidden,
                ["with_noise"] = options.IncludeNoise,
                ["potential_outcomes"] = contrast is not null,
            }, extras);
            return ExitCodes.Success;
        }, TableCommandOptions.MemoryHint));
        return command;
    }
}
