using System.Globalization;
using HybridSynth.Scm.Model;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Realizer.Consistency;

/// <summary>
/// What one realization mode achieved over a set of skeletons: realizability (the share of rows whose
/// note agrees with the skeleton), the rounds it took (mean; histogram over the accepted rows, 1..max),
/// and the selection bias of keeping only the accepted rows (<see cref="SelectionBias"/>, with the audit).
/// </summary>
public sealed record RealizationReport(int Rows, int Consistent, double Realizability, double MeanRounds, IReadOnlyList<int> RoundsHistogram, SelectionBias Bias)
{
    /// <summary>Realizability (the share of units whose note agrees with the skeleton), the rounds used, their histogram and the selection bias of the accepted units, for one mode's outcomes.</summary>
    public static RealizationReport Compute(CausalModel model, IReadOnlyList<RowOutcome> rows, int maxRounds)
    {
        var accepted = rows.Where(o => o.Consistent).ToList();
        return new RealizationReport(rows.Count, accepted.Count,
            rows.Count == 0 ? 0 : accepted.Count / (double)rows.Count,
            rows.Count == 0 ? 0 : rows.Average(o => o.Rounds),
            Enumerable.Range(1, maxRounds).Select(q => accepted.Count(o => o.Rounds == q)).ToList(),
            SelectionBias.Compute(model, rows, accepted, audit: true));
    }

    /// <summary>The report as the CLI and the manifest write it.</summary>
    public JObject ToJson() => new()
    {
        ["rows"] = Rows,
        ["consistent"] = Consistent,
        ["realizability"] = Realizability,
        ["mean_rounds"] = MeanRounds,
        ["rounds_histogram"] = new JObject(RoundsHistogram.Select((count, q) => new JProperty((q + 1).ToString(CultureInfo.InvariantCulture), count))),
        ["total_variation"] = JObject.FromObject(Bias.TotalVariation),
        ["max_total_variation"] = Bias.MaxTotalVariation,
        ["audit_false_positive_rate"] = Bias.Audit is null ? null : Bias.Audit.FalsePositiveRate.Rate,
        ["audit_tested"] = Bias.Audit?.Statements.Count,
    };
}
