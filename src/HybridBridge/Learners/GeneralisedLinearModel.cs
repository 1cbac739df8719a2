using HybridSynth.Scm.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace HybridSynth.HybridBridge.Learners;

/// <summary>
/// Logistic regression by iteratively reweighted least squares, or linear regression by least
/// squares, with an intercept and an optional L2 penalty λ·‖β‖² on the non-intercept coefficients:
/// the <see cref="ILearner"/> face of the one GLM kernel, <see cref="Glm"/> (whose summary states the algorithm).
/// </summary>
public sealed class GeneralisedLinearModel : ILearner
{
    /// <summary>A logistic (<paramref name="logistic"/>) or linear regression with ridge penalty <paramref name="l2"/> ≥ 0 on the non-intercept coefficients.</summary>
    public GeneralisedLinearModel(bool logistic, double l2 = 0)
    {
        if (l2 < 0) throw new ArgumentOutOfRangeException(nameof(l2));
        Logistic = logistic;
        L2 = l2;
    }

    /// <summary>True for logistic regression (a classifier), false for linear regression.</summary>
    public bool Logistic { get; }
    /// <summary>The ridge penalty λ ≥ 0.</summary>
    public double L2 { get; }
    /// <inheritdoc />
    public string Name => Logistic ? (L2 > 0 ? $"logistic(l2={L2})" : "logistic") : (L2 > 0 ? $"linear(l2={L2})" : "linear");

    /// <summary>Fits with an intercept prepended to <paramref name="columns"/> (the kernel is <see cref="Glm.Fit"/>; the intercept is not penalised).</summary>
    public IFittedModel Fit(IReadOnlyList<double[]> columns, double[] response)
    {
        var n = response.Length;
        var x = new double[columns.Count + 1][];
        x[0] = Enumerable.Repeat(1.0, n).ToArray();
        for (var j = 1; j < x.Length; j++) x[j] = columns[j - 1];
        var fit = Glm.Fit(x, response, Logistic ? GlmFamily.Binomial : GlmFamily.Gaussian, L2, unpenalised: 1);
        return new Fitted(fit.Coefficients, Logistic);
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
            return Logistic ? eta.Select(e => Glm.Mean(GlmFamily.Binomial, e)).ToArray() : eta;
        }

        public double[] Derivative(IReadOnlyList<double[]> columns, int rows) =>
            Logistic ? Predict(columns, rows).Select(m => m * (1 - m)).ToArray() : Enumerable.Repeat(1.0, rows).ToArray();

        private double[] Eta(IReadOnlyList<double[]> columns, int n)
        {
            var eta = new double[n];
            var x = columns as double[][] ?? columns.ToArray(); // indexed directly in the row loop, not through the interface
            var c = Coefficients;
            for (var i = 0; i < n; i++)
            {
                var e = c[0];
                for (var j = 0; j < x.Length; j++) e += c[j + 1] * x[j][i];
                eta[i] = e;
            }
            return eta;
        }
    }
}
