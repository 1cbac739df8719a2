using System.CommandLine;
using HybridSynth.Scm.Counterfactuals;
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.Interventions;
using HybridSynth.Scm.Sampling;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Cli.Commands;

/// <summary>
/// <c>hybridsynth sdscm</c>: data from a sequence-driven SCM whose language_model mechanisms run on a
/// GGUF model: the same table and manifest as <c>sample</c> (with per-unit potential outcomes and the
/// unit's outcome distribution under each arm), or with <c>--counterfactual</c> the factual and
/// counterfactual rows of each unit from the same noise.
/// </summary>
public static class SdScmCommand
{
    public static Command Build(CliContext ctx)
    {
        var common = new TableCommandOptions();
        var lm = new LanguageModelCliOptions();
        var counterfactual = new Option<string[]>("--counterfactual") { Description = "Write factual and counterfactual rows under do(Variable=value); repeatable." };
        var probabilities = new Option<bool>("--probabilities") { Description = "Also write each variable's domain probabilities in each row (P(V=v) columns)." };
        var includeHidden = new Option<bool>("--include-hidden") { Description = "Also write hidden variables." };
        var eventState = new Option<string?>("--event") { Description = "The outcome state the individual effect is about (default: the spec's event)." };
        var command = new Command("sdscm", "Sample a sequence-driven SCM whose structural equations are a language model (domain-restricted chain-rule scoring, exact counterfactuals).");
        common.AddTo(command);
        lm.AddTo(command);
        foreach (var o in new Option[] { counterfactual, probabilities, includeHidden, eventState }) command.Options.Add(o);
        command.SetAction(r => CliApp.Guard(ctx.Error, () =>
        {
            if (r.GetValue(probabilities) && (r.GetValue(counterfactual)?.Length ?? 0) > 0)
                throw new UsageException("--probabilities is not available with --counterfactual (the factual and counterfactual rows hold values only); drop one of them");
            using var session = new SessionScope(lm.Open(r, r.GetValue(common.Seed), required: true)!);
            var p = common.Parse(r, "sdscm", session.Value.Readers, lm.Translator(r, r.GetValue(common.Seed)));
            var model = p.Spec.Model;
            var options = new SamplingOptions
            {
                Threads = p.Threads,
                ChunkSize = common.ChunkSizeFor(r, model.Count, SamplingOptions.DepthFirstChunkBytes),
                IncludeHidden = r.GetValue(includeHidden),
                DomainProbabilities = r.GetValue(probabilities),
                OutcomeDistributions = true,
            };
            var cf = (r.GetValue(counterfactual) ?? Array.Empty<string>()).Select(t => (Intervention)InterventionParser.ParseHard(model, t)).ToList();
            Scm.Tables.TableJob job;
            var extras = new JObject();
            if (cf.Count > 0)
            {
                job = CounterfactualJobs.Pairs(model.Intervene(p.Interventions), cf, p.Rows, p.Seed, options);
                extras["counterfactual"] = new JArray(cf.Select(i => i.Describe(model)));
            }
            else
            {
                TreatmentContrast? contrast = null;
                if (model.TreatmentIndex is not null && model.OutcomeIndex is not null && !p.Interventions.Any(i => i.Variable == model.TreatmentIndex))
                    contrast = TreatmentContrast.Resolve(model, null, null, eventState: r.GetValue(eventState));
                job = SampleJobs.Sample(model.Intervene(p.Interventions), p.Rows, p.Seed, options, contrast);
                if (contrast is not null)
                    extras["potential_outcomes"] = Report.PotentialOutcomes(model, contrast);
            }
            // The table is produced lazily: write it first, so that the memo statistics are final in the manifest.
            p.WriteWithManifest(ctx, "sdscm", job, new JObject
            {
                ["include_hidden"] = options.IncludeHidden,
                ["probabilities"] = options.DomainProbabilities,
            }, extras, () => LanguageModelCliOptions.Describe(session.Value, model));
            return ExitCodes.Success;
        }, TableCommandOptions.MemoryHint));
        return command;
    }

    /// <summary>Disposes the session's model when the command ends.</summary>
    private sealed class SessionScope(Lm.Mechanisms.LanguageModelSession value) : IDisposable
    {
        public Lm.Mechanisms.LanguageModelSession Value { get; } = value;
        public void Dispose() => Value.Model.Dispose();
    }
}
