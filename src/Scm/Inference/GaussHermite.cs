using MathNet.Numerics.LinearAlgebra;

namespace HybridSynth.Scm.Inference;

/// <summary>
/// Gauss–Hermite quadrature for the standard normal: E[f(Z)] ≈ Σ_j w_j f(z_j), exact for polynomials
/// of degree ≤ 2Q − 1. Nodes and weights by Golub–Welsch: the eigenvalues of the Jacobi matrix of the
/// probabilists' Hermite polynomials (off-diagonal √k) and the squared first components of its eigenvectors.
/// </summary>
public static class GaussHermite
{
    /// <summary>The <paramref name="points"/>-point Gauss–Hermite rule for E[f(Z)], Z ~ N(0, 1): nodes and weights (summing to 1), so that E f(Z) ≈ Σ wᵢ f(zᵢ).</summary>
    public static (double[] Nodes, double[] Weights) Rule(int points)
    {
        if (points < 1) throw new ArgumentOutOfRangeException(nameof(points));
        var j = Matrix<double>.Build.Dense(points, points);
        for (var k = 1; k < points; k++)
        {
            j[k, k - 1] = Math.Sqrt(k);
            j[k - 1, k] = Math.Sqrt(k);
        }
        var evd = j.Evd(Symmetricity.Symmetric);
        var nodes = evd.EigenValues.Select(c => c.Real).ToArray();
        var weights = Enumerable.Range(0, points).Select(i => evd.EigenVectors[0, i] * evd.EigenVectors[0, i]).ToArray();
        var order = Enumerable.Range(0, points).OrderBy(i => nodes[i]).ToArray();
        var total = weights.Sum();
        return (order.Select(i => nodes[i]).ToArray(), order.Select(i => weights[i] / total).ToArray());
    }
}
