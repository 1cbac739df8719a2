using HybridSynth.Scm.Model;
using HybridSynth.Scm.Tables;
using HybridSynth.Verifier.Audit;

namespace HybridSynth.Realizer.Consistency;

/// <summary>
/// How far the accepted rows drift from the skeletons: per variable, the total-variation distance
/// ½ Σ |p − q| between the skeleton marginal and the accepted rows' marginal (a continuous variable over
/// the skeletons' decile bins), and the implied-independence audit run on the accepted rows.
/// </summary>
public sealed record SelectionBias(IReadOnlyDictionary<string, double> TotalVariation, double MaxTotalVariation, AuditReport? Audit)
{
    /// <summary>How the accepted units differ from all of them: the largest total-variation distance between a variable's distribution among accepted and among all skeletons, and (when <paramref name="audit"/>) the independence audit of the accepted rows.</summary>
    public static SelectionBias Compute(CausalModel model, IReadOnlyList<RowOutcome> all, IReadOnlyList<RowOutcome> accepted, bool audit)
    {
        var tv = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var v = 0; v < model.Count; v++)
        {
            if (model[v].Hidden) continue;
            var x = all.Select(r => r.Skeleton[v]).ToArray();
            var y = accepted.Select(r => r.Skeleton[v]).ToArray();
            if (y.Length == 0) { tv[model[v].Name] = 1; continue; }
            Func<double, int> bin;
            int bins;
            if (model[v].IsCategorical) { bins = model[v].Cardinality; bin = z => (int)z; }
            else
            {
                var sorted = x.OrderBy(z => z).ToArray();
                var cuts = Enumerable.Range(1, 9).Select(k => sorted[(int)((long)k * (sorted.Length - 1) / 10)]).ToArray();
                bins = 10;
                bin = z => cuts.Count(c => z > c);
            }
            var p = new double[bins];
            var q = new double[bins];
            foreach (var z in x) p[bin(z)] += 1.0 / x.Length;
            foreach (var z in y) q[bin(z)] += 1.0 / y.Length;
            tv[model[v].Name] = 0.5 * p.Zip(q, (a, b) => Math.Abs(a - b)).Sum();
        }
        AuditReport? report = null;
        if (audit && accepted.Count > 10)
        {
            var columns = Enumerable.Range(0, model.Count).Select(v => accepted.Select(r => r.Skeleton[v]).ToArray()).ToArray();
            report = IndependenceAudit.Run(model, DataTable.FromColumns(model.Variables, columns), new AuditOptions());
        }
        return new SelectionBias(tv, tv.Count == 0 ? 0 : tv.Values.Max(), report);
    }
}
