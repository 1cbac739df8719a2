using System.Globalization;
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.Interventions;
using HybridSynth.Scm.Model;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Cli.Commands;

/// <summary>How <c>query</c> shows its answers: a distribution or an effect, as text or JSON.</summary>
internal static class QueryRenderer
{
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

    internal static void Distribution(CliContext ctx, bool json, CausalModel model, int t, IReadOnlyDictionary<int, int> evidence,
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

    /// <summary>Several targets' distributions: a JSON object with one entry per target, or one block per target.</summary>
    internal static void Distributions(CliContext ctx, bool json, CausalModel model, IReadOnlyList<int> targets, IReadOnlyDictionary<int, int> evidence,
        IReadOnlyList<Intervention> interventions, IReadOnlyList<GroundTruthDistribution> results, long n, ulong seed)
    {
        if (!json)
        {
            for (var q = 0; q < targets.Count; q++)
                Distribution(ctx, false, model, targets[q], evidence, interventions, results[q].Values, results[q].StandardErrors, results[q].Exact, n, results[q].Kept, seed);
            return;
        }
        var o = new JObject
        {
            ["given"] = new JObject(evidence.Select(e => new JProperty(model[e.Key].Name, model[e.Key].Format(e.Value)))),
            ["interventions"] = new JArray(interventions.Select(i => i.Describe(model))),
            ["targets"] = new JArray(targets.Select((t, q) =>
            {
                var v = model[t];
                var r = results[q];
                var entry = new JObject { ["target"] = v.Name, ["method"] = r.Exact ? "exact" : "monte_carlo" };
                if (v.IsCategorical) entry["distribution"] = new JObject(v.Categorical.States.Select((st, k) => new JProperty(st, r.Values[k])));
                else entry["mean"] = r.Values[0];
                if (r.StandardErrors is { } se) entry["standard_error"] = v.IsCategorical ? new JObject(v.Categorical.States.Select((st, k) => new JProperty(st, se[k]))) : se[0];
                return entry;
            })),
        };
        ctx.Out.WriteLine(o.ToString(Formatting.None));
    }

    internal static void Effect(CliContext ctx, bool json, CausalModel model, TreatmentContrast c, IReadOnlyDictionary<int, int> evidence,
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
