using HybridSynth.Verifier.Audit;
using HybridSynth.Verifier.CiTests;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Verifier.Reports;

/// <summary>The machine-readable audit report (<c>verify.json</c>).</summary>
public static class AuditJson
{
    /// <summary>The audit report as JSON (the verify report's body).</summary>
    public static JObject ToJson(AuditReport r)
    {
        static JObject Test(CiTestResult t)
        {
            var o = new JObject { ["method"] = t.Method, ["n"] = t.SampleSize };
            if (t.IsTestable)
            {
                o["statistic"] = t.Statistic;
                o["dof"] = t.DegreesOfFreedom;
                o["p"] = t.PValue;
            }
            else o["untestable"] = t.Untestable;
            return o;
        }
        static JObject Rate(BinomialInterval b) => new()
        {
            ["count"] = b.Successes,
            ["of"] = b.Trials,
            ["rate"] = b.Rate,
            ["standard_error"] = b.StandardError,
            ["ci95"] = new JArray(b.Lower, b.Upper),
            ["interval"] = "Wilson score",
        };
        return new JObject
        {
            ["set"] = r.Options.Set.ToString().ToLowerInvariant(),
            ["alpha"] = r.Options.Alpha,
            ["test"] = r.Options.Test,
            ["rows"] = r.Rows,
            ["unobserved"] = new JArray(r.Unobserved),
            ["summary"] = new JObject
            {
                ["implied"] = r.Statements.Count + r.Untestable.Count,
                ["duplicates_merged"] = r.DuplicateStatements,
                ["tested"] = r.Statements.Count,
                ["untestable"] = r.Untestable.Count,
                ["false_positive_rate"] = Rate(r.FalsePositiveRate),
                ["interval_caveat"] = AuditReport.IntervalCaveat,
                ["holm_rejections"] = r.HolmRejections,
                ["benjamini_hochberg_rejections"] = r.BenjaminiHochbergRejections,
                ["edge_detection_rate"] = Rate(r.EdgeDetectionRate),
            },
            ["worst"] = new JArray(r.Worst.Select(s => s.Statement.Text)),
            ["missed_edges"] = new JArray(r.MissedEdges.Select(e => $"{e.Parent} -> {e.Child}")),
            ["statements"] = new JArray(r.Statements.Select(s => new JObject
            {
                ["statement"] = s.Statement.Text,
                ["test"] = Test(s.Result),
                ["rejected"] = s.Result.RejectsAt(r.Options.Alpha),
                ["p_holm"] = s.HolmP,
                ["p_bh"] = s.BenjaminiHochbergP,
            })),
            ["untestable"] = new JArray(r.Untestable.Select(s => new JObject { ["statement"] = s.Statement(), ["reason"] = s.Untestable })),
            ["edges"] = new JArray(r.Edges.Select(e => new JObject
            {
                ["edge"] = $"{e.Parent} -> {e.Child}",
                ["given"] = new JArray(e.Given),
                ["test"] = Test(e.Result),
                ["detected"] = e.Detected,
            })),
        };
    }

    /// <summary>The replicated audit as JSON: the rate across the K datasets with its Student-t interval, the pooled count, and each replicate's summary.</summary>
    public static JObject ToJson(ReplicatedAuditReport r)
    {
        var (lower, upper) = r.Interval;
        var (rejections, tested) = r.Pooled;
        static JToken N(double x) => double.IsFinite(x) ? x : JValue.CreateNull();
        return new JObject
        {
            ["set"] = r.Options.Set.ToString().ToLowerInvariant(),
            ["alpha"] = r.Options.Alpha,
            ["test"] = r.Options.Test,
            ["rows"] = r.Rows,
            ["replicates"] = r.Reports.Count,
            ["false_positive_rate"] = new JObject
            {
                ["mean"] = r.Mean, ["standard_error"] = N(r.StandardError), ["ci95"] = new JArray(N(lower), N(upper)),
                ["interval"] = "Student t over the replicates' rates (independent datasets), clipped to [0, 1]",
            },
            ["pooled"] = new JObject { ["rejections"] = rejections, ["tested"] = tested },
            ["per_replicate"] = new JArray(r.Reports.Select((x, k) => new JObject
            {
                ["seed"] = r.Seeds[k], ["tested"] = x.Statements.Count, ["rejections"] = x.FalsePositiveRate.Successes, ["rate"] = x.FalsePositiveRate.Rate,
                ["holm_rejections"] = x.HolmRejections, ["duplicates_merged"] = x.DuplicateStatements,
            })),
        };
    }

    private static string Statement(this ObservedStatement s) => s.Text;
}
