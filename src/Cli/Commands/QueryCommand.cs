using System.CommandLine;
using System.Globalization;
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.Interventions;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Model;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

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
        var target = new Option<string?>("--target") { Description = "The variable whose interventional/conditional distribution is wanted." };
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
            spec, target, ate, given, doOpt, soft, method, rows, seed, threads, json,
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
                if (r.GetValue(target) is not null) throw new UsageException("give either --target or --ate, not both");
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
                PrintEffect(ctx, r.GetValue(json), model, contrast, evidence, interventions, result, s, note);
            }
            else
            {
                var name = r.GetValue(target) ?? throw new UsageException("give --target VARIABLE (or --ate)");
                var t = model.IndexOf(name);
                if (evidence.ContainsKey(t)) throw new UsageException($"'{name}' is both --target and --given");
                var monteCarlo = !GroundTruth.IsExact(model, t, Method(m), evidence, interventions);
                var (p, se, kept, exact) = Progress(ctx, monteCarlo, $"query: Monte Carlo, {n:N0} units", n, report =>
                    GroundTruth.Distribution(model, t, Method(m), new MonteCarloSettings(n, s, th, session is null ? 65536 : 1024, report), evidence, interventions));
                PrintDistribution(ctx, r.GetValue(json), model, t, evidence, interventions, p, se, exact, n, kept, s);
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

    private static string Condition(CausalModel model, IReadOnlyDictionary<int, int> evidence, IReadOnlyList<Intervention> interventions, string? extra = null)
    {
        var parts = new List<string>();
        if (extra is not null) parts.Add(extra);
        parts.AddRange(interventions.Select(i => i.Describe(model)));
        parts.AddRange(evidence.Select(e => $"{model[e.Key].Name}={model[e.Key].Format(e.Value)}"));
        return parts.Count == 0 ? "" : " | " + string.Join(", ", parts);
    }

    // Six decimals, or three significant digits in scientific notation for a non-zero value that six decimals would show as 0.
    private static string F(double x) => x != 0 && Math.Abs(x) < 5e-7 ? x.ToString("0.00e+0", CultureInfo.InvariantCulture) : x.ToString("0.000000", CultureInfo.InvariantCulture);

    private static void PrintDistribution(CliContext ctx, bool json, CausalModel model, int t, IReadOnlyDictionary<int, int> evidence,
        IReadOnlyList<Intervention> interventions, double[] p, double[]? se, bool exact, long n, long kept, ulong seed)
    {
        var v = model[t];
        var method = exact ? "exact (variable elimination)" : $"Monte Carlo ({kept} of {n} units, seed {seed})";
        if (json)
        {
            var o = new JObject
            {
                ["target"] = v.Name,
                ["given"] = new JObject(evidence.Select(e => new JProperty(model[e.Key].Name, model[e.Key].Format(e.Value)))),
                ["interventions"] = new JArray(interventions.Select(i => i.Describe(model))),
                ["method"] = exact ? "exact" : "monte_carlo",
            };
            if (!exact) { o["units"] = n; o["kept"] = kept; o["seed"] = seed; }
            if (v.IsCategorical)
            {
                o["distribution"] = new JObject(v.Categorical.States.Select((st, k) => new JProperty(st, p[k])));
                if (se is not null) o["standard_error"] = new JObject(v.Categorical.States.Select((st, k) => new JProperty(st, se[k])));
            }
            else
            {
                o["mean"] = p[0];
                if (se is not null) o["standard_error"] = se[0];
            }
            ctx.Out.WriteLine(o.ToString(Formatting.None));
            return;
        }
        if (v.IsCategorical)
        {
            ctx.Out.WriteLine($"P({v.Name}{Condition(model, evidence, interventions)})   [{method}]");
            var width = v.Categorical.States.Max(s => s.Length);
            for (var k = 0; k < p.Length; k++)
                ctx.Out.WriteLine($"  {v.Categorical.States[k].PadRight(width)}  {F(p[k])}" + (se is null ? "" : $"  (SE {F(se[k])})"));
        }
        else
        {
            ctx.Out.WriteLine($"E[{v.Name}{Condition(model, evidence, interventions)}] = {F(p[0])}" + (se is null ? "" : $"  (SE {F(se[0])})") + $"   [{method}]");
        }
    }

    private static void PrintEffect(CliContext ctx, bool json, CausalModel model, TreatmentContrast c, IReadOnlyDictionary<int, int> evidence,
        IReadOnlyList<Intervention> interventions, EffectEstimate e, ulong seed, string? exactMethod)
    {
        var a = model[c.Treatment];
        var kind = evidence.Count == 0 ? "ATE" : "CATE";
        var (lo, hi) = e.Interval95;
        if (json)
        {
            var o = new JObject
            {
                ["estimand"] = kind,
                ["treatment"] = a.Name,
                ["treated"] = a.Format(c.TreatedCode),
                ["control"] = a.Format(c.ControlCode),
                ["outcome"] = model[c.Outcome].Name,
                ["scale"] = c.Scale.Description,
                ["given"] = new JObject(evidence.Select(x => new JProperty(model[x.Key].Name, model[x.Key].Format(x.Value)))),
                ["interventions"] = new JArray(interventions.Select(i => i.Describe(model))),
                ["method"] = e.Exact ? (exactMethod is null ? "exact" : "quadrature") : "monte_carlo",
                ["effect"] = e.Effect,
                ["mean_treated"] = e.MeanTreated,
                ["mean_control"] = e.MeanControl,
            };
            if (!e.Exact)
            {
                o["standard_error"] = e.StandardError;
                o["ci95"] = new JArray(lo, hi);
                o["units"] = e.Draws;
                o["kept"] = e.Accepted;
                o["seed"] = seed;
            }
            ctx.Out.WriteLine(o.ToString(Formatting.None));
            return;
        }
        var method = e.Exact ? exactMethod ?? "exact (variable elimination)" : $"Monte Carlo, {e.Accepted} of {e.Draws} units, seed {seed}";
        var cond = Condition(model, evidence, interventions);
        ctx.Out.WriteLine($"{kind} of {a.Name} ({a.Format(c.TreatedCode)} vs {a.Format(c.ControlCode)}) on {c.Scale.Description}{cond}   [{method}]");
        ctx.Out.WriteLine($"  E[{c.Scale.Description} | do({a.Name}={a.Format(c.TreatedCode)}){cond.Replace(" | ", ", ")}] = {F(e.MeanTreated)}");
        ctx.Out.WriteLine($"  E[{c.Scale.Description} | do({a.Name}={a.Format(c.ControlCode)}){cond.Replace(" | ", ", ")}] = {F(e.MeanControl)}");
        ctx.Out.WriteLine(e.Exact
            ? $"  {kind} = {F(e.Effect)}"
            : $"  {kind} = {F(e.Effect)}  (SE {F(e.StandardError)}, 95% CI [{F(lo)}, {F(hi)}])");
    }
}
