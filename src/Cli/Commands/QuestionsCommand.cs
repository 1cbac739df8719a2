using System.CommandLine;
using System.Text;
using HybridSynth.Realizer.Questions;
using HybridSynth.Scm.IO;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Cli.Commands;

/// <summary>
/// <c>hybridsynth questions</c>: causal questions on the three rungs (association, intervention, counterfactual) with
/// exact answers from the causal core, worded with a realization file's phrasings, as JSON Lines with a manifest.
/// </summary>
public static class QuestionsCommand
{
    public static Command Build(CliContext ctx)
    {
        var spec = CommonOptions.Spec();
        var count = new Option<int>("--count", "-n") { Description = "Number of questions; the kinds cycle (conditional, association, do, ate, effect, ett, counterfactual, counterfactual-yes-no).", DefaultValueFactory = _ => 80 };
        var phrasing = CommonOptions.Phrasing();
        var seed = CommonOptions.Seed();
        var output = new Option<string>("--out", "-o") { Description = "The questions, JSON Lines; a manifest goes beside it.", Required = true };
        var json = CommonOptions.Json();
        var lm = new LanguageModelCliOptions("An instruct model (GGUF) that rewords each question, written as \"paraphrase\" beside the exact wording; --temperature sets its temperature (default 0.7).");
        var command = new Command("questions", "Write causal questions with exact answers on all three rungs (P(Y | X), P(Y | do(X)) and effects, counterfactuals P(Y_x | X', Y')) for a discrete model.")
        {
            spec, count, phrasing, seed, output, json,
        };
        lm.AddTo(command);
        command.SetAction(r => CliApp.Guard(ctx.Error, () =>
        {
            using var artifacts = new ArtifactWriter(r.GetValue(spec), r.GetValue(phrasing));
            var n = r.GetValue(count);
            if (n is < 1 or > 1_000_000) throw new UsageException($"--count must be in 1..1000000, got {n}");
            var loaded = SpecLoader.Load(r.GetValue(spec)!, Lm.Mechanisms.LanguageModelSession.StructureReaders);
            var generator = new CausalQuestions(CommonOptions.Lexicon(loaded.Model, r.GetValue(phrasing)));
            var s = r.GetValue(seed);
            var questions = ProgressDisplay.Run(ctx, $"questions: {n:N0} about {loaded.Model.Name}", n, report => generator.Generate(n, s, report));
            lm.RefuseSdScmOnly(r, "questions");
            using var model = lm.Open(r, s, required: false)?.Model;
            if (model is not null)
                questions = ProgressDisplay.Run(ctx, $"questions: rewording {n:N0} with {model.Identity.Name}", n,
                    report => new QuestionParaphraser(model, s, lm.TemperatureOr(r, 0.7)).Paraphrase(questions, report));
            var text = new StringBuilder();
            foreach (var q in questions) text.Append(q.ToJson().ToString(Formatting.None)).Append('\n');
            var path = r.GetValue(output)!;
            artifacts.WriteOutput(path, "jsonl", Encoding.UTF8.GetBytes(text.ToString()));
            var summary = CausalQuestions.Summary(questions);
            artifacts.CommitWithManifest(new RunManifest
            {
                Command = "questions",
                Spec = loaded,
                Seed = s,
                Rows = questions.Count,
                Options = model is null ? new JObject { ["count"] = n }
                    : new JObject { ["count"] = n, ["paraphrase_model"] = LanguageModelCliOptions.Identity(model), ["paraphrase_system_prompt"] = QuestionParaphraser.SystemPrompt },
                Extras = CommonOptions.WithPhrasing(new JObject { ["summary"] = summary }, r.GetValue(phrasing)),
            });
            if (r.GetValue(json))
            {
                ctx.Out.WriteLine(new JObject { ["output"] = path, ["summary"] = summary }.ToString(Formatting.None));
                return ExitCodes.Success;
            }
            ctx.Out.WriteLine($"wrote {questions.Count} questions about {loaded.Model.Name} to {path}: {summary["by_rung"]!.ToString(Formatting.None)}; yes/no {summary["yes"]}/{summary["no"]}, numeric {summary["numeric"]}");
            foreach (var q in questions.Take(3)) ctx.Out.WriteLine($"  [{q.RungName}] {q.Question} → {CausalQuestions.Format(q)}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
