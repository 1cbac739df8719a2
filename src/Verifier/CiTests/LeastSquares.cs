using MathNet.Numerics.LinearAlgebra;

namespace HybridSynth.Verifier.CiTests;

/// <summary>
/// Ordinary and iteratively-reweighted least squares through the normal equations, solved with a
/// pseudo-inverse (eigen-decomposition of XᵀWX) so that collinear designs are handled; the rank is
/// the number of eigenvalues above 1e-10 × the largest.
/// </summary>
public static class LeastSquares
{
    /// <summary>Residual sum of squares of y on the design, and the design's rank.</summary>
    public static (double Rss, int Rank, double[] Residuals) Fit(IReadOnlyList<double[]> design, double[] y, double[]? weights = null)
    {
        var (beta, rank) = Solve(design, y, weights);
        var n = y.Length;
        var residuals = new double[n];
        double rss = 0;
        for (var i = 0; i < n; i++)
        {
            var fit = 0.0;
            for (var j = 0; j < design.Count; j++) fit += beta[j] * design[j][i];
            residuals[i] = y[i] - fit;
            rss += (weights?[i] ?? 1) * residuals[i] * residuals[i];
        }
        return (rss, rank, residuals);
    }

    public static (double[] Beta, int Rank) Solve(IReadOnlyList<double[]> design, double[] y, double[]? weights = null)
    {
        var p = design.Count;
        var n = y.Length;
        var xtx = Matrix<double>.Build.Dense(p, p);
        var xty = Vector<double>.Build.Dense(p);
        for (var a = 0; a < p; a++)
        {
            var da = design[a];
            double sy = 0;
            for (var i = 0; i < n; i++) sy += (weights?[i] ?? 1) * da[i] * y[i];
            xty[a] = sy;
            for (var b = a; b < p; b++)
            {
                var db = design[b];
                double s = 0;
                for (var i = 0; i < n; i++) s += (weights?[i] ?? 1) * da[i] * db[i];
                xtx[a, b] = s;
                xtx[b, a] = s;
            }
        }
        var evd = xtx.Evd(Symmetricity.Symmetric);
        var values = evd.EigenValues.Select(c => c.Real).ToArray();
        var max = values.Max();
        var tol = Math.Max(max, 1e-300) * 1e-10;
        var rank = 0;
        var inv = Matrix<double>.Build.Dense(p, p);
        for (var k = 0; k < p; k++)
        {
            if (values[k] <= tol) continue;
            rank++;
            var u = evd.EigenVectors.Column(k);
            inv += u.OuterProduct(u) / values[k];
        }
        return ((inv * xty).ToArray(), rank);
    }

    /// <summary>Logistic regression of a 0/1 response by IRLS; returns the maximised log-likelihood and the design's rank.</summary>
    public static (double LogLikelihood, int Rank) Logistic(IReadOnlyList<double[]> design, double[] y, int maxIterations = 50)
    {
        var n = y.Length;
        var p = design.Count;
        var beta = new double[p];
        var eta = new double[n];
        var w = new double[n];
        var z = new double[n];
        var ll = double.NegativeInfinity;
        var rank = p;
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            for (var i = 0; i < n; i++)
            {
                var mu = Sigmoid(eta[i]);
                var wi = Math.Max(mu * (1 - mu), 1e-10);
                w[i] = wi;
                z[i] = eta[i] + (y[i] - mu) / wi;
            }
            (beta, rank) = Solve(design, z, w);
            for (var i = 0; i < n; i++)
            {
                var e = 0.0;
                for (var j = 0; j < p; j++) e += beta[j] * design[j][i];
                eta[i] = Math.Clamp(e, -30, 30);
            }
            var next = LogLikelihood(eta, y);
            if (Math.Abs(next - ll) < 1e-9 * (1 + Math.Abs(next))) { ll = next; break; }
            ll = next;
        }
        return (ll, rank);
    }

    private static double Sigmoid(double x) => Scm.Numerics.SpecialFunctions.Expit(x);

    private static double LogLikelihood(double[] eta, double[] y)
    {
        double ll = 0;
        for (var i = 0; i < eta.Length; i++)
        {
            // log σ(η) = −log(1 + e^{−η}); log(1 − σ(η)) = −log(1 + e^{η}).
            ll -= y[i] > 0.5 ? Math.Log(1 + Math.Exp(-eta[i])) : Math.Log(1 + Math.Exp(eta[i]));
        }
        return ll;
    }
}
