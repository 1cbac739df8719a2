using HybridSynth.Scm.Numerics;
using HybridSynth.Scm.Tables;

namespace HybridSynth.Verifier.CiTests;

/// <summary>
/// Fisher's z test for continuous X, Y, Z: the partial correlation r of X and Y given Z (the
/// correlation of their least-squares residuals on [1, Z]), z = atanh(r)·√(n − |Z| − 3), two-sided
/// normal p-value. Exact in the limit for multivariate Gaussian data.
/// </summary>
public sealed class FisherZTest : IConditionalIndependenceTest
{
    /// <inheritdoc />
    public string Name => "fisher-z";

    /// <inheritdoc />
    public bool Supports(DataTable data, int x, int y, IReadOnlyList<int> z) =>
        !data.Variables[x].IsCategorical && !data.Variables[y].IsCategorical && z.All(c => !data.Variables[c].IsCategorical);

    /// <inheritdoc />
    public CiTestResult Test(DataTable data, int x, int y, IReadOnlyList<int> z)
    {
        var n = data.RowCount;
        var dof = n - z.Count - 3;
        if (dof <= 0) return CiTestResult.NotTestable(Name, n, $"needs more than {z.Count + 3} rows");
        var r = PartialCorrelation(data, x, y, z);
        if (double.IsNaN(r)) return CiTestResult.NotTestable(Name, n, "a residual has zero variance");
        r = Math.Clamp(r, -1 + 1e-15, 1 - 1e-15);
        var stat = Math.Atanh(r) * Math.Sqrt(dof);
        return new CiTestResult(Name, stat, dof, TailProbabilities.NormalTwoSided(stat), n);
    }

    /// <summary>The partial correlation of X and Y given Z.</summary>
    public static double PartialCorrelation(DataTable data, int x, int y, IReadOnlyList<int> z)
    {
        var design = DesignMatrix.WithIntercept(data, z);
        var rx = Glm.LeastSquares(design, data.AsDoubles(x)).Residuals;
        var ry = Glm.LeastSquares(design, data.AsDoubles(y)).Residuals;
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < rx.Length; i++)
        {
            sxy += rx[i] * ry[i];
            sxx += rx[i] * rx[i];
            syy += ry[i] * ry[i];
        }
        return sxx <= 0 || syy <= 0 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }
}
