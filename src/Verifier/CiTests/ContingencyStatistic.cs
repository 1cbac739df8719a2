namespace HybridSynth.Verifier.CiTests;

/// <summary>Which divergence a stratified contingency test sums.</summary>
public enum ContingencyDivergence
{
    /// <summary>Pearson: Σ (O − E)² / E.</summary>
    PearsonChiSquare,
    /// <summary>Likelihood ratio (G): 2 Σ O ln(O / E).</summary>
    LikelihoodRatio,
}

/// <summary>
/// The stratified statistic and its degrees of freedom. Within each stratum s, E_ij = r_i c_j / n_s is
/// computed over the rows and columns that are not empty in that stratum; the stratum contributes
/// (r'_s − 1)(c'_s − 1) degrees of freedom, where r'_s and c'_s count its non-empty rows and columns
/// (the "adjusted" degrees of freedom of bnlearn and pgmpy). A stratum with fewer than two non-empty
/// rows or columns contributes nothing. Statistic and degrees of freedom are summed over strata.
/// </summary>
public static class ContingencyStatistic
{
    /// <summary>Pearson's X² or the likelihood-ratio G² summed over the strata of a stratified kx × ky table, and its degrees of freedom Σ (rows with data − 1)(columns with data − 1) over the strata.</summary>
    public static (double Statistic, double Dof) Compute(long[] counts, int strata, int kx, int ky, ContingencyDivergence divergence)
    {
        var rowSum = new long[kx];
        var colSum = new long[ky];
        double stat = 0, dof = 0;
        var cell = kx * ky;
        for (var s = 0; s < strata; s++)
        {
            var off = s * cell;
            var n = Margins(counts, off, kx, ky, rowSum, colSum);
            var rows = 0;
            var cols = 0;
            foreach (var r in rowSum) if (r > 0) rows++;
            foreach (var c in colSum) if (c > 0) cols++;
            if (rows < 2 || cols < 2) continue;
            dof += (rows - 1) * (cols - 1);
            for (var i = 0; i < kx; i++)
            {
                if (rowSum[i] == 0) continue;
                for (var j = 0; j < ky; j++)
                {
                    if (colSum[j] == 0) continue;
                    var e = (double)rowSum[i] * colSum[j] / n;
                    var o = counts[off + i * ky + j];
                    if (divergence == ContingencyDivergence.PearsonChiSquare) stat += (o - e) * (o - e) / e;
                    else if (o > 0) stat += 2.0 * o * Math.Log(o / e);
                }
            }
        }
        return (Math.Max(0, stat), dof);
    }

    /// <summary>
    /// Cochran's rule for the χ² reference, over the cells the statistic sums (non-empty rows and columns of strata that
    /// contribute): true when no expected count is below 1 and at most 20% are below 5. The rule depends only on the
    /// strata's margins, which the permutation test holds fixed, so choosing the test by it keeps the level.
    /// </summary>
    public static bool ExpectedCountsAdequate(long[] counts, int strata, int kx, int ky)
    {
        var rowSum = new long[kx];
        var colSum = new long[ky];
        var cell = kx * ky;
        long cells = 0, small = 0;
        for (var s = 0; s < strata; s++)
        {
            var off = s * cell;
            var n = Margins(counts, off, kx, ky, rowSum, colSum);
            if (rowSum.Count(r => r > 0) < 2 || colSum.Count(c => c > 0) < 2) continue;
            for (var i = 0; i < kx; i++)
            {
                if (rowSum[i] == 0) continue;
                for (var j = 0; j < ky; j++)
                {
                    if (colSum[j] == 0) continue;
                    var e = (double)rowSum[i] * colSum[j] / n;
                    if (e < 1) return false;
                    cells++;
                    if (e < 5) small++;
                }
            }
        }
        return small <= 0.2 * cells;
    }

    /// <summary>The row and column sums of the stratum whose cells start at <paramref name="off"/>, into the given arrays; returns its count.</summary>
    private static long Margins(long[] counts, int off, int kx, int ky, long[] rowSum, long[] colSum)
    {
        Array.Clear(rowSum);
        Array.Clear(colSum);
        long n = 0;
        for (var i = 0; i < kx; i++)
            for (var j = 0; j < ky; j++)
            {
                var o = counts[off + i * ky + j];
                rowSum[i] += o;
                colSum[j] += o;
                n += o;
            }
        return n;
    }
}
