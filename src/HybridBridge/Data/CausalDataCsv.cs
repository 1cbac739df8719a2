using System.Globalization;
using System.Text;
using HybridSynth.Scm.IO;

namespace HybridSynth.HybridBridge.Data;

/// <summary>
/// A <see cref="CausalData"/> as CSV text: the covariate design columns, then the treatment (written as the
/// treated and control values) and the outcome; numbers in round-trip form.
/// </summary>
public static class CausalDataCsv
{
    /// <summary>The data as CSV text: the covariates, then the treatment column (written as <paramref name="treated"/>/<paramref name="control"/>) and the outcome, with a header; numbers round-trip ("R" format), fields quoted when needed.</summary>
    public static string Format(CausalData data, string treatment, string outcome, string treated, string control)
    {
        var csv = new StringBuilder(string.Join(",", data.CovariateNames.Append(treatment).Append(outcome).Select(CsvTableWriter.Quote)) + "\n");
        for (var i = 0; i < data.Count; i++)
            csv.Append(string.Join(",", data.Covariates.Select(c => c[i].ToString("R", CultureInfo.InvariantCulture))
                .Append(data.Treatment[i] == 1 ? treated : control)
                .Append(data.Outcome[i].ToString("R", CultureInfo.InvariantCulture)))).Append('\n');
        return csv.ToString();
    }
}
