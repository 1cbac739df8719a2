using HybridSynth.Scm.Numerics;
using HybridSynth.Scm.Tables;
using HybridSynth.Scm.Variables;

namespace HybridSynth.Verifier.CiTests;

/// <summary>
/// The mixed-data test (<c>regression</c>): a likelihood-ratio comparison of nested regressions of one
/// variable on Z with and without the other.
/// <list type="bullet">
/// <item>If Y (or else X) is continuous, it is the response of a linear regression; the partial F test
/// of the other's design columns (a dummy per state, or the value) is exact under Gaussian errors.</item>
/// <item>Otherwise, if Y (or else X) has two states, a logistic regression; LR = 2(ℓ₁ − ℓ₀) against χ²
/// with the rank difference as degrees of freedom.</item>
/// <item>Otherwise (both have more than two states and Z has a continuous member) each continuous member
/// of Z is cut at its quintiles and the stratified G-test is used: an approximation, reported as
/// <c>g2-binned</c>.</item>
/// </list>
/// </summary>
public sealed class RegressionTest : IConditionalIndependenceTest
{
    /// <inheritdoc />
    public string Name => "regression";

    /// <inheritdoc />
    public bool Supports(DataTable data, int x, int y, IReadOnlyList<int> z) => true;

    /// <inheritdoc />
    public CiTestResult Test(DataTable data, int x, int y, IReadOnlyList<int> z)
    {
        var vx = data.Variables[x];
        var vy = data.Variables[y];
        if (!vy.IsCategorical) return Linear(data, y, x, z);
        if (!vx.IsCategorical) return Linear(data, x, y, z);
        if (vy.Cardinality == 2) return LogisticTest(data, y, x, z);
        if (vx.Cardinality == 2) return LogisticTest(data, x, y, z);
        return Binned(data, x, y, z);
    }

    private CiTestResult Linear(DataTable data, int response, int tested, IReadOnlyList<int> z)
    {
        var n = data.RowCount;
        var reduced = DesignMatrix.WithIntercept(data, z);
        var full = reduced.Concat(DesignMatrix.Columns(data, tested)).ToList();
        var y = data.AsDoubles(response);
        var (rss0, rank0, _) = Glm.LeastSquares(reduced, y);
        var (rss1, rank1, _) = Glm.LeastSquares(full, y);
        var q = rank1 - rank0;
        var d2 = n - rank1;
        if (q <= 0) return CiTestResult.NotTestable("regression-f", n, $"'{data.Variables[tested].Name}' adds no column beyond Z");
        if (d2 <= 0) return CiTestResult.NotTestable("regression-f", n, "too few rows for the regression");
        if (rss1 <= 1e-300) return CiTestResult.NotTestable("regression-f", n, "the response is fitted exactly");
        var f = Math.Max(0, (rss0 - rss1) / q) / (rss1 / d2);
        return new CiTestResult("regression-f", f, q, TailProbabilities.FisherF(f, q, d2), n);
    }

    private static CiTestResult LogisticTest(DataTable data, int response, int tested, IReadOnlyList<int> z)
    {
        var n = data.RowCount;
        var codes = data.Codes(response);
        var y = Array.ConvertAll(codes, c => (double)c);
        if (codes.Distinct().Count() < 2) return CiTestResult.NotTestable("regression-logit", n, $"'{data.Variables[response].Name}' takes one value");
        var reduced = DesignMatrix.WithIntercept(data, z);
        var full = reduced.Concat(DesignMatrix.Columns(data, tested)).ToList();
        var fit0 = Glm.Fit(reduced, y, GlmFamily.Binomial);
        var fit1 = Glm.Fit(full, y, GlmFamily.Binomial);
        var (ll0, rank0, ll1, rank1) = (fit0.LogLikelihood, Glm.Rank(reduced), fit1.LogLikelihood, Glm.Rank(full));
        var q = rank1 - rank0;
        if (q <= 0) return CiTestResult.NotTestable("regression-logit", n, $"'{data.Variables[tested].Name}' adds no column beyond Z");
        var lr = Math.Max(0, 2 * (ll1 - ll0));
        return new CiTestResult("regression-logit", lr, q, TailProbabilities.ChiSquare(lr, q), n);
    }

    private static CiTestResult Binned(DataTable data, int x, int y, IReadOnlyList<int> z)
    {
        var binned = new DataTable(data.RowCount);
        binned.AddCategorical(data.Variables[x], data.Codes(x));
        binned.AddCategorical(data.Variables[y], data.Codes(y));
        var zs = new List<int>();
        foreach (var c in z)
        {
            var v = data.Variables[c];
            if (v.IsCategorical) binned.AddCategorical(v, data.Codes(c));
            else binned.AddCategorical(new Variable(v.Name, new CategoricalDomain(new[] { "q1", "q2", "q3", "q4", "q5" })), Quintiles(data.Values(c)));
            zs.Add(binned.Variables.Count - 1);
        }
        var result = new StratifiedContingencyTest(ContingencyDivergence.LikelihoodRatio).Test(binned, 0, 1, zs);
        return result with { Method = "g2-binned" };
    }

    private static int[] Quintiles(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        var cuts = Enumerable.Range(1, 4).Select(k => sorted[(int)((long)k * (sorted.Length - 1) / 5)]).ToArray();
        return Array.ConvertAll(values, v => cuts.Count(c => v > c));
    }
}
