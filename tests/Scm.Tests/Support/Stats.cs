using MathNet.Numerics.Distributions;

namespace HybridSynth.Scm.Tests.Support;

/// <summary>Reference statistics for the statistical tests.</summary>
public static class Stats
{
    /// <summary>Pearson goodness-of-fit p-value of observed counts against expected probabilities (cells with p = 0 must be empty).</summary>
    public static double GoodnessOfFitPValue(IReadOnlyList<long> observed, IReadOnlyList<double> expected)
    {
        var n = observed.Sum();
        double chi2 = 0;
        var dof = -1;
        for (var k = 0; k < observed.Count; k++)
        {
            if (expected[k] == 0)
            {
                if (observed[k] != 0) return 0;
                continue;
            }
            var e = n * expected[k];
            chi2 += (observed[k] - e) * (observed[k] - e) / e;
            dof++;
        }
        return dof <= 0 ? 1 : 1 - ChiSquared.CDF(dof, chi2);
    }

    public static long[] Counts(double[] column, int cardinality)
    {
        var counts = new long[cardinality];
        foreach (var x in column) counts[(int)x]++;
        return counts;
    }
}
