namespace HybridSynth.HybridBridge.Diagnostics;

/// <summary>
/// Distance to closest record (a privacy diagnostic): on columns standardised by the training data's
/// means and standard deviations, each synthetic row's Euclidean distance to its nearest training row,
/// compared with the same distance for held-out real rows. Synthetic rows closer than the holdout's 5th
/// percentile are suspiciously close to training records (a bootstrap copies them: distance 0).
/// </summary>
public sealed record DcrReport(double SyntheticMedian, double SyntheticP5, double HoldoutMedian, double HoldoutP5, double ShareBelowHoldoutP5, double ShareExactCopies)
{
    /// <summary>Distance to closest record (Euclidean, on covariates standardised by the training rows): for each synthetic row and each holdout row, the distance to its nearest training row; the summary compares the two distributions (a privacy check: synthetic rows should not be closer to training rows than fresh real rows are).</summary>
    public static DcrReport Compute(IReadOnlyList<double[]> train, IReadOnlyList<double[]> holdout, IReadOnlyList<double[]> synthetic)
    {
        var p = train.Count;
        var mean = train.Select(c => c.Average()).ToArray();
        var sd = train.Select((c, j) => Math.Sqrt(c.Sum(x => (x - mean[j]) * (x - mean[j])) / Math.Max(1, c.Length - 1))).Select(s => s > 0 ? s : 1).ToArray();
        double[][] Rows(IReadOnlyList<double[]> cols)
        {
            var n = cols.Count == 0 ? 0 : cols[0].Length;
            return Enumerable.Range(0, n).Select(i => Enumerable.Range(0, p).Select(j => (cols[j][i] - mean[j]) / sd[j]).ToArray()).ToArray();
        }
        var t = Rows(train);
        double Nearest(double[] r)
        {
            var best = double.MaxValue;
            foreach (var s in t)
            {
                double d = 0;
                for (var j = 0; j < p && d < best; j++) d += (r[j] - s[j]) * (r[j] - s[j]);
                if (d < best) best = d;
            }
            return Math.Sqrt(best);
        }
        var dh = Rows(holdout).Select(Nearest).OrderBy(x => x).ToArray();
        var ds = Rows(synthetic).Select(Nearest).OrderBy(x => x).ToArray();
        double Q(double[] v, double q) => v.Length == 0 ? double.NaN : v[Math.Clamp((int)Math.Floor(q * (v.Length - 1)), 0, v.Length - 1)];
        var h5 = Q(dh, 0.05);
        return new DcrReport(Q(ds, 0.5), Q(ds, 0.05), Q(dh, 0.5), h5, ds.Count(x => x < h5) / (double)Math.Max(1, ds.Length), ds.Count(x => x == 0) / (double)Math.Max(1, ds.Length));
    }
}
