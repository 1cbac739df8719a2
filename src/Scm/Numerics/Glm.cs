using MathNet.Numerics.LinearAlgebra;

namespace HybridSynth.Scm.Numerics;

/// <summary>The response distribution of a <see cref="Glm"/> fit: Gaussian with the identity link, or Bernoulli with the logit link.</summary>
public enum GlmFamily
{
    /// <summary>y ∈ ℝ, E[y] = η (least squares).</summary>
    Gaussian,
    /// <summary>y ∈ {0, 1}, P(y = 1) = expit(η) (logistic regression).</summary>
    Binomial,
}

/// <summary>A fitted generalised linear model.</summary>
/// <param name="Coefficients">β, one per design column.</param>
/// <param name="LinearPredictor">η = Xβ for the fitted rows.</param>
/// <param name="LogLikelihood">The maximised log-likelihood: for the binomial family Σ y log μ + (1 − y) log(1 − μ) with η clamped to
/// ±<see cref="Glm.EtaBound"/>; for the Gaussian family the profile value −n/2 (log(2π RSS/n) + 1).</param>
/// <param name="Iterations">Newton steps taken.</param>
public sealed record GlmFit(double[] Coefficients, double[] LinearPredictor, double LogLikelihood, int Iterations);

/// <summary>
/// The one generalised-linear-model kernel of HybridSynth, used by the nuisance learners (HybridBridge) and the regression
/// CI tests (Verifier), and the least-squares solves beside it.
/// <para>
/// <see cref="Fit"/> is iteratively reweighted least squares written as Newton–Raphson on the penalised log-likelihood:
/// δ = (XᵀWX + λn·I′ + 10⁻⁹n·I)⁻¹ (Xᵀ(y − μ) − λn·β′), β ← β + δ, where I′ and β′ leave out the first
/// <c>unpenalised</c> columns (the intercept), W = diag(μ(1 − μ)) floored at 10⁻¹⁰ (binomial) or I (Gaussian: one step is
/// exact), and the 10⁻⁹n jitter keeps collinear designs solvable. It stops when max|δ| &lt; 10⁻¹⁰ or after
/// <see cref="MaxIterations"/> steps; under separation η is capped at ±<see cref="EtaBound"/> inside expit, so μ stays in (0, 1).
/// </para>
/// </summary>
public static class Glm
{
    /// <summary>The cap on |η| inside expit (μ ∈ [expit(−30), expit(30)]).</summary>
    public const double EtaBound = 30;

    /// <summary>The most Newton steps of a binomial fit.</summary>
    public const int MaxIterations = 50;

    /// <summary>Fits y on the design columns (include an intercept column yourself; it should be the first when <paramref name="l2"/> &gt; 0).</summary>
    /// <param name="design">The columns of X, each of length n.</param>
    /// <param name="y">The response: 0/1 for <see cref="GlmFamily.Binomial"/>.</param>
    /// <param name="family">Gaussian (identity link) or binomial (logit link).</param>
    /// <param name="l2">The ridge penalty λ ≥ 0 on the penalised coefficients (the objective is the mean log-likelihood minus λ/2·‖β′‖²).</param>
    /// <param name="unpenalised">How many leading columns λ leaves alone (1: the intercept).</param>
    public static GlmFit Fit(IReadOnlyList<double[]> design, double[] y, GlmFamily family, double l2 = 0, int unpenalised = 1)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(y);
        if (l2 < 0 || double.IsNaN(l2)) throw new ArgumentOutOfRangeException(nameof(l2), l2, "the penalty must be ≥ 0");
        var logistic = family == GlmFamily.Binomial;
        var n = y.Length;
        var p = design.Count;
        var x = design as double[][] ?? design.ToArray(); // an array: the loops over rows index it directly, not through the interface
        var beta = new double[p];
        var eta = new double[n];
        var w = new double[n];
        var r = new double[n];
        var iterations = 0;
        for (var iteration = 0; iteration < (logistic ? MaxIterations : 1); iteration++)
        {
            iterations++;
            for (var i = 0; i < n; i++)
            {
                if (logistic)
                {
                    var mu = SpecialFunctions.Expit(Math.Clamp(eta[i], -EtaBound, EtaBound));
                    w[i] = Math.Max(mu * (1 - mu), 1e-10);
                    r[i] = y[i] - mu;
                }
                else
                {
                    w[i] = 1;
                    r[i] = y[i] - eta[i];
                }
            }
            var h = Matrix<double>.Build.Dense(p, p);
            var g = Vector<double>.Build.Dense(p);
            for (var a = 0; a < p; a++)
            {
                var xa = x[a];
                double ga = 0;
                for (var i = 0; i < n; i++) ga += xa[i] * r[i];
                g[a] = ga - (a < unpenalised ? 0 : l2 * n * beta[a]);
                for (var b = a; b < p; b++)
                {
                    var xb = x[b];
                    double s = 0;
                    for (var i = 0; i < n; i++) s += xa[i] * w[i] * xb[i];
                    h[a, b] = s;
                    h[b, a] = s;
                }
                h[a, a] += (a < unpenalised ? 0 : l2 * n) + 1e-9 * n;
            }
            var step = h.Solve(g);
            for (var a = 0; a < p; a++) beta[a] += step[a];
            for (var i = 0; i < n; i++)
            {
                var e = 0.0;
                for (var a = 0; a < p; a++) e += beta[a] * x[a][i];
                eta[i] = e;
            }
            if (step.AbsoluteMaximum() < 1e-10) break;
        }
        return new GlmFit(beta, eta, LogLikelihood(family, eta, y), iterations);
    }

    /// <summary>The fitted mean for a linear predictor: expit(η) with |η| capped at <see cref="EtaBound"/> (binomial), or η (Gaussian).</summary>
    public static double Mean(GlmFamily family, double eta) =>
        family == GlmFamily.Binomial ? SpecialFunctions.Expit(Math.Clamp(eta, -EtaBound, EtaBound)) : eta;

    private static double LogLikelihood(GlmFamily family, double[] eta, double[] y)
    {
        double ll = 0;
        if (family == GlmFamily.Binomial)
        {
            for (var i = 0; i < eta.Length; i++)
            {
                // log σ(η) = −log(1 + e^{−η}); log(1 − σ(η)) = −log(1 + e^{η}).
                var e = Math.Clamp(eta[i], -EtaBound, EtaBound);
                ll -= y[i] > 0.5 ? Math.Log(1 + Math.Exp(-e)) : Math.Log(1 + Math.Exp(e));
            }
            return ll;
        }
        for (var i = 0; i < eta.Length; i++) ll += (y[i] - eta[i]) * (y[i] - eta[i]);
        var n = eta.Length;
        return -0.5 * n * (Math.Log(2 * Math.PI * ll / n) + 1);
    }

    /// <summary>The rank of the design: the eigenvalues of XᵀX above 1e-10 × the largest (the likelihood-ratio tests' degrees of freedom).</summary>
    public static int Rank(IReadOnlyList<double[]> design) => Solve(design, new double[design.Count == 0 ? 0 : design[0].Length]).Rank;

    /// <summary>Residual sum of squares of y on the design (weighted when <paramref name="weights"/> is given), the design's rank and the residuals.</summary>
    public static (double Rss, int Rank, double[] Residuals) LeastSquares(IReadOnlyList<double[]> design, double[] y, double[]? weights = null)
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

    /// <summary>
    /// The minimum-norm (weighted) least-squares coefficients through the normal equations, solved with the pseudo-inverse of
    /// XᵀWX (its eigen-decomposition), so that collinear designs are handled; the rank counts eigenvalues above 1e-10 × the largest.
    /// </summary>
    public static (double[] Beta, int Rank) Solve(IReadOnlyList<double[]> design, double[] y, double[]? weights = null)
    {
        var p = design.Count;
        var n = y.Length;
        if (p == 0) return (Array.Empty<double>(), 0);
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
}
