using System.CommandLine;
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.IO;

namespace HybridSynth.Cli.Commands;

/// <summary>
/// <c>hybridsynth query</c>: ground truth. P(target | given, do(...)) or the ATE/CATE, exactly by
/// variable elimination on discrete models, else by Monte Carlo with its standard error.
/// </summary>
public static class QueryCommand
{
    public static Command Build(CliContext ctx)
    {
        var spec = CommonOptions.Spec();
        var target = new Option<string?>("--target") { Description = "The variable whose interventional/conditional distribution is wanted; several, comma-separated, are computed together (exactly: one calibrated clique tree)." };
        var allMarginals = new Option<bool>("--all-marginals") { Description = "Every variable's distribution (except those in --given), in one pass." };
        var ate = new Option<bool>("--ate") { Description = "Compute the average treatment effect (the CATE with --given)." };
        var given = new Option<string[]>("--given") { Description = "Condition on Variable=state; repeatable." };
        var doOpt = CommonOptions.Do();
        var soft = CommonOptions.Soft();
        var contrastOptions = new ContrastOptions();
        var method = new Option<string>("--method") { Description = "auto (exact when possible, then quadrature for the ATE, else Monte Carlo), exact, quadrature, or mc.", DefaultValueFactory = _ => "auto" };
        method.AcceptOnlyFromAmong("auto", "exact", "quadrature", "mc");
        var rows = CommonOptions.Rows(200_000);
        rows.Description = "Monte Carlo units.";
        var seed = CommonOptions.Seed();
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var lm = new LanguageModelCliOptions();
        var command = new Command("query", "Exact (or Monte Carlo) ground truth: P(target | given, do(...)), the ATE and the CATE.")
        {
            spec, target, ate, given, doOpt, soft, method, rows, seed, threads, json, allMarginals,
        };
        contrastOptions.AddTo(command);
        lm.AddTo(command);
        command.SetAction(r => CliApp.Guard(ctx.Error, () =>
        {
            var session = lm.Open(r, r.GetValue(seed), required: false);
            using var dispose = session?.Model;
            var loaded = SpecLoader.Load(r.GetValue(spec)!, session?.Readers ?? Lm.Mechanisms.LanguageModelSession.StructureReaders, lm.Translator(r, r.GetValue(seed)));
            var model = loaded.Model;
            var interventions = CommonOptions.Interventions(model, r.GetValue(doOpt), r.GetValue(soft), session?.Readers);
            var evidence = CommonOptions.Evidence(model, r.GetValue(given));
            var m = r.GetValue(method)!;
            var n = r.GetValue(rows);
            var s = r.GetValue(seed);
            var th = r.GetValue(threads);
            CommonOptions.CheckRuntime(n, th, 1);
            if (r.GetValue(ate))
            {
                if (r.GetValue(target) is not null || r.GetValue(allMarginals)) throw new UsageException("give either --target/--all-marginals or --ate, not both");
                var contrast = contrastOptions.Resolve(r, model);
                if (interventions.Any(i => i.Variable == contrast.Treatment)) throw new UsageException("the treatment cannot also be given in --do");
                if (evidence.ContainsKey(contrast.Outcome)) throw new UsageException("the outcome cannot be in --given");
                // A language model is slow per unit: smaller chunks keep the progress display moving.
                var chosen = GroundTruth.ChooseForEffect(model, contrast, Method(m), evidence, interventions);
                var truth = Progress(ctx, chosen == GroundTruthMethod.MonteCarlo, $"query: Monte Carlo ATE, {n:N0} units", n, report =>
                    GroundTruth.AverageTreatmentEffect(model, contrast, chosen, new MonteCarloSettings(n, s, th, session is null ? 65536 : 1024, report), evidence, interventions));
                var result = truth.Estimate;
                var note = truth.Method == GroundTruthMethod.Quadrature
                    ? $"quadrature (enumeration of categorical variables, Gauss–Hermite with {truth.QuadraturePoints} points per Gaussian noise)"
                    : null;
                QueryRenderer.Effect(ctx, r.GetValue(json), model, contrast, evidence, interventions, result, s, note);
            }
            else if (r.GetValue(allMarginals) || r.GetValue(target)?.Contains(',') == true)
            {
                if (r.GetValue(allMarginals) && r.GetValue(target) is not null) throw new UsageException("give either --target A,B,… or --all-marginals, not both");
                var targets = r.GetValue(allMarginals)
                    ? Enumerable.Range(0, model.Count).Where(v => !evidence.ContainsKey(v) && !model[v].Hidden).ToList()
                    : r.GetValue(target)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(model.IndexOf).Distinct().ToList();
                foreach (var t in targets)
                    if (evidence.ContainsKey(t)) throw new UsageException($"'{model[t].Name}' is both --target and --given");
                var results = ProgressDisplay.Status(ctx, $"query: {targets.Count} marginals", () => GroundTruth.Distributions(model, targets, Method(m), new MonteCarloSettings(n, s, th, session is null ? 65536 : 1024, null), evidence, interventions));
                QueryRenderer.Distributions(ctx, r.GetValue(json), model, targets, evidence, interventions, results, n, s);
            }
            else
            {
                var name = r.GetValue(target) ?? throw new UsageException("give --target VARIABLE, --all-marginals or --ate");
                var t = model.IndexOf(name);
                if (evidence.ContainsKey(t)) throw new UsageException($"'{name}' is both --target and --given");
                var monteCarlo = !GroundTruth.IsExact(model, t, Method(m), evidence, interventions);
                var (p, se, kept, exact) = Progress(ctx, monteCarlo, $"query: Monte Carlo, {n:N0} units", n, report =>
                    GroundTruth.Distribution(model, t, Method(m), new MonteCarloSettings(n, s, th, session is null ? 65536 : 1024, report), evidence, interventions));
                QueryRenderer.Distribution(ctx, r.GetValue(json), model, t, evidence, interventions, p, se, exact, n, kept, s);
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Monte Carlo work shows progress; exact work is quick and shows none.</summary>
    private static T Progress<T>(CliContext ctx, bool show, string description, long units, Func<Action<long>?, T> work) =>
        show ? ProgressDisplay.Run(ctx, description, units, report => work(report)) : work(null);

    private static GroundTruthMethod Method(string name) => name switch
    {
        "exact" => GroundTruthMethod.Exact,
        "quadrature" => GroundTruthMethod.Quadrature,
        "mc" => GroundTruthMethod.MonteCarlo,
        _ => GroundTruthMethod.Auto,
    };
}
