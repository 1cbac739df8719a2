using MathNet.Numerics.LinearAlgebra;

namespace HybridSynth.HybridBridge.Learners;

/// <summary>
/// Logistic regression by iteratively reweighted least squares, or linear regression by least
/// squares, with an intercept and an optional L2 penalty λ·‖β‖² on the non-intercept coefficients.
/// Separation is handled by capping the linear predictor at ±30 and the iteration count at 50.
/// </summary>
public sealed class GeneralisedLinearModel : ILearner
{
    public GeneralisedLinearModel(bool logistic, double l2 = 0)
    {
        if (l2 < 0) throw new ArgumentOutOfRangeException(nameof(l2));
        Logistic = logistic;
        L2 = l2;
    }

    public bool Logistic { get; }
    public double L2 { get; }
    public string Name => Logistic ? (L2 > 0 ? $"logistic(l2={L2})" : "logistic") : (L2 > 0 ? $"linear(l2={L2})" : "linear");

    public IFittedModel Fit(IReadOnlyList<double[]> columns, double[] response)
    {
        var n = response.Length;
        var p = columns.Count + 1;
        var x = new double[p][];
        x[0] = Enumerable.Repeat(1.0, n).ToArray();
        for (var j = 1; j < p; j++) x[j] = columns[j - 1];
        var beta = new double[p];
        var eta = new double[n];
        var w = new double[n];
        var r = new double[n];
        for (var iteration = 0; iteration < (Logistic ? 50 : 1); iteration++)
        {
            for (var i = 0; i < n; i++)
            {
                if (Logistic)
                {
                    var mu = Scm.Numerics.SpecialFunctions.Expit(Math.Clamp(eta[i], -30, 30));
                    w[i] = Math.Max(mu * (1 - mu), 1e-10);
                    r[i] = response[i] - mu;
                }
                else
                {
                    w[i] = 1;
                    r[i] = response[i] - eta[i];
                }
            }
            // Newton step: (XᵀWX + λnI' + ridge) δ = Xᵀr − λn β'.
            var h = Matrix<double>.Build.Dense(p, p);
            var g = Vector<double>.Build.Dense(p);
            for (var a = 0; a < p; a++)
            {
                var xa = x[a];
                double ga = 0;
                for (var i = 0; i < n; i++) ga += xa[i] * r[i];
                g[a] = ga - (a == 0 ? 0 : L2 * n * beta[a]);
                for (var b = a; b < p; b++)
                {
                    var xb = x[b];
                    double s = 0;
                    for (var i = 0; i < n; i++) s += xa[i] * w[i] * xb[i];
                    h[a, b] = s;
                    h[b, a] = s;
                }
                h[a, a] += (a == 0 ? 0 : L2 * n) + 1e-9 * n;
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
        return new Fitted(beta, Logistic);
    }

    internal static Matrix<double> Design(IReadOnlyList<double[]> columns, int n)
    {
        var x = Matrix<double>.Build.Dense(n, columns.Count + 1);
        for (var i = 0; i < n; i++) x[i, 0] = 1;
        for (var j = 0; j < columns.Count; j++)
            for (var i = 0; i < n; i++) x[i, j + 1] = columns[j][i];
        return x;
    }

    private sealed class Fitted(double[] beta, bool logistic) : IGlmModel
    {
        public double[] Coefficients { get; } = beta;
        public bool Logistic { get; } = logistic;

        public double[] Predict(IReadOnlyList<double[]> columns, int rows)
        {
            var eta = Eta(columns, rows);
            return Logistic ? eta.Select(e => Scm.Numerics.SpecialFunctions.Expit(Math.Clamp(e, -30, 30))).ToArray() : eta;
        }

        public double[] Derivative(IReadOnlyList<double[]> columns, int rows) =>
            Logistic ? Predict(columns, rows).Select(m => m * (1 - m)).ToArray() : Enumerable.Repeat(1.0, rows).ToArray();

        private double[] Eta(IReadOnlyList<double[]> columns, int n)
        {
            var eta = new double[n];
            for (var i = 0; i < n; i++)
            {
                var e = Coefficients[0];
                for (var j = 0; j < columns.Count; j++) e += Coefficients[j + 1] * columns[j][i];
                eta[i] = e;
            }
            return eta;
        }
    }
}
