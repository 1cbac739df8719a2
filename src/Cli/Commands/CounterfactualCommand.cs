using System.CommandLine;
using HybridSynth.Scm.Counterfactuals;
using HybridSynth.Scm.Sampling;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Cli.Commands;

/// <summary><c>hybridsynth counterfactual</c>: factual and counterfactual rows of the same units, from the same noise.</summary>
public static class CounterfactualCommand
{
    public static Command Build(CliContext ctx)
    {
        var common = new TableCommandOptions();
        var includeHidden = new Option<bool>("--include-hidden") { Description = "Also write hidden (latent) variables." };
        var command = new Command("counterfactual",
            "For each unit: the factual row and the counterfactual row under do(...), computed from the SAME exogenous noise (abduction, action, prediction).");
        common.AddTo(command);
        command.Options.Add(includeHidden);
        command.SetAction(r => CliApp.Guard(ctx.Error, () =>
        {
            var p = common.Parse(r, "counterfactual");
            if (p.Interventions.Count == 0)
                throw new UsageException("counterfactual needs at least one --do or --soft intervention");
            var options = new SamplingOptions
            {
                Threads = p.Threads,
                // Each chunk samples two worlds: the default chunk holds half as many units.
                ChunkSize = common.ChunkSizeFor(r, 2 * p.Spec.Model.Count + 1),
                IncludeHidden = r.GetValue(includeHidden),
                RecycleColumns = true, // the rows only go to the writer, which releases each block once written
            };
            var job = CounterfactualJobs.Pairs(p.Spec.Model, p.Interventions, p.Rows, p.Seed, options);
            p.WriteWithManifest(ctx, "counterfactual", job, new JObject { ["include_hidden"] = options.IncludeHidden }, new JObject
            {
                ["counterfactual"] = $"columns NAME are factual, NAME{CounterfactualJobs.Suffix} are the same unit under the interventions; both from the unit's exogenous noise (seed {p.Seed})",
            });
            return ExitCodes.Success;
        }, TableCommandOptions.MemoryHint));
        return command;
    }
}
