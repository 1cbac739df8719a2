using HybridSynth.Scm.Randomness;
using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace HybridSynth.HybridBridge.Generators;

/// <summary>
/// A Gaussian copula with empirical marginals. Fitting maps each column to normal scores
/// z = Φ⁻¹(u), u = the column's mid-rank /(n + 1) (ties of a discrete column spread uniformly over the
/// category's probability interval with seeded jitter), and estimates their correlation matrix.
/// Sampling draws z ~ N(0, R) (Cholesky; R is shrunk slightly towards I if needed), then maps Φ(z)
/// back through each column's empirical quantile function (interpolated for a continuous column; the
/// category's cumulative frequency for a discrete one).
/// </summary>
public sealed class GaussianCopulaGenerator : ITabularGenerator
{
    /// <inheritdoc />
    public string Name => "copula";

    /// <inheritdoc />
    public IFittedGenerator Fit(ColumnTable data, ulong seed)
    {
        var n = data.Rows;
        var p = data.Columns.Count;
        var key = Seeds.CopulaJitter(seed);
        var scores = new double[p][];
        var sorted = new double[p][];
        for (var j = 0; j < p; j++)
        {
            var column = data.Columns[j];
            sorted[j] = column.OrderBy(x => x).ToArray();
            var jitter = Enumerable.Range(0, n).Select(i => CounterNoise.Uniform(key, (long)j * n + i)).ToArray();
            var order = Enumerable.Range(0, n).OrderBy(i => column[i]).ThenBy(i => jitter[i]).ToArray();
            var z = new double[n];
            for (var r = 0; r < n; r++) z[order[r]] = Normal((r + 1.0) / (n + 1.0));
            scores[j] = z;
        }
        var corr = Matrix<double>.Build.Dense(p, p);
        for (var a = 0; a < p; a++)
            for (var b = a; b < p; b++)
            {
                double s = 0, sa = 0, sb = 0;
                for (var i = 0; i < n; i++)
                {
                    s += scores[a][i] * scores[b][i];
                    sa += scores[a][i] * scores[a][i];
                    sb += scores[b][i] * scores[b][i];
                }
                corr[a, b] = corr[b, a] = a == b ? 1 : s / Math.Sqrt(sa * sb);
            }
        Matrix<double> chol;
        var shrink = 0.0;
        while (true)
        {
            try
            {
                var m = corr * (1 - shrink) + Matrix<double>.Build.DenseIdentity(p) * shrink;
                chol = m.Cholesky().Factor;
                break;
            }
            catch (ArgumentException)
            {
                shrink = shrink == 0 ? 1e-6 : shrink * 10;
                if (shrink > 1) throw;
            }
        }
        return new Fitted(data.Names, sorted, data.Columns.Select((_, j) => data.Levels(j)).ToArray(), chol);
    }

    private static double Normal(double u) => -Math.Sqrt(2) * SpecialFunctions.ErfcInv(2 * u);

    private sealed class Fitted(IReadOnlyList<string> names, double[][] sorted, double[]?[] levels, Matrix<double> chol) : IFittedGenerator
    {
        public ColumnTable Sample(int n, ulong seed)
        {
            var p = sorted.Length;
            var columns = Enumerable.Range(0, p).Select(_ => new double[n]).ToArray();
            var keys = Enumerable.Range(0, p).Select(j => Seeds.CopulaColumn(seed, j)).ToArray();
            var e = new double[p];
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < p; j++) e[j] = Normal(CounterNoise.Uniform(keys[j], i));
                for (var j = 0; j < p; j++)
                {
                    double z = 0;
                    for (var k = 0; k <= j; k++) z += chol[j, k] * e[k];
                    var u = 0.5 * SpecialFunctions.Erfc(-z / Math.Sqrt(2));
                    columns[j][i] = Quantile(sorted[j], levels[j] is not null, u);
                }
            }
            return new ColumnTable(names, columns);
        }

        private static double Quantile(double[] sorted, bool discrete, double u)
        {
            var n = sorted.Length;
            if (discrete) return sorted[Math.Clamp((int)(u * n), 0, n - 1)];
            var pos = u * (n + 1) - 1;
            if (pos <= 0) return sorted[0];
            if (pos >= n - 1) return sorted[n - 1];
            var lo = (int)pos;
            return sorted[lo] + (pos - lo) * (sorted[lo + 1] - sorted[lo]);
        }
    }
}
