using HybridSynth.HybridBridge.Data;
using MathNet.Numerics.LinearAlgebra;

namespace HybridSynth.HybridBridge.Estimators;

/// <summary>
/// Outcome regression (g-computation): ψ̂ = (1/n) Σ_i [Q̂(1, W_i) − Q̂(0, W_i)].
/// Standard error: when Q̂ is a GLM fitted on all rows, the influence curve of the plug-in
/// M-estimator, IC_i = Q̂1_i − Q̂0_i − ψ̂ + Dᵀ M⁻¹ x_i (Y_i − μ_i), with D = mean of ∂(μ(x¹) − μ(x⁰))/∂β and
/// M = mean of μ′(x) x xᵀ (valid under misspecification of the working model); otherwise the efficient
/// influence curve evaluated at the fits (as AIPW's).
/// </summary>
public sealed class OutcomeRegression : IAteEstimator
{
    /// <inheritdoc />
    public string Name => "or";

    /// <inheritdoc />
    public AteEstimate Estimate(CausalData data, NuisanceEstimates nu)
    {
        var n = data.Count;
        var psi = Enumerable.Range(0, n).Average(i => nu.Q1[i] - nu.Q0[i]);
        var ic = new double[n];
        if (nu.OutcomeGlm is { } glm)
        {
            // Arrays, so that the loops over units index them directly (not through the list interface).
            var design = NuisanceEstimates.OutcomeDesign(data, null).ToArray();
            var design1 = NuisanceEstimates.OutcomeDesign(data, 1).ToArray();
            var design0 = NuisanceEstimates.OutcomeDesign(data, 0).ToArray();
            var d = glm.Derivative(design, n);
            var d1 = glm.Derivative(design1, n);
            var d0 = glm.Derivative(design0, n);
            var p = design.Length + 1;
            double X(double[][] cols, int j, int i) => j == 0 ? 1 : cols[j - 1][i];
            var grad = Vector<double>.Build.Dense(p);
            var info = Matrix<double>.Build.Dense(p, p);
            for (var a = 0; a < p; a++)
            {
                double s = 0;
                for (var i = 0; i < n; i++) s += X(design1, a, i) * d1[i] - X(design0, a, i) * d0[i];
                grad[a] = s / n;
                for (var b = a; b < p; b++)
                {
                    double t = 0;
                    for (var i = 0; i < n; i++) t += X(design, a, i) * X(design, b, i) * d[i];
                    info[a, b] = info[b, a] = t / n;
                }
            }
            // A tiny ridge keeps the solve defined when a covariate is constant or collinear (its direction then carries no variance).
            for (var k = 0; k < info.RowCount; k++) info[k, k] += 1e-10 * (1 + info.Diagonal().AbsoluteMaximum());
            var direction = info.Solve(grad).ToArray();
            for (var i = 0; i < n; i++)
            {
                double dot = 0;
                for (var a = 0; a < p; a++) dot += direction[a] * X(design, a, i);
                ic[i] = nu.Q1[i] - nu.Q0[i] - psi + dot * (data.Outcome[i] - nu.Q[i]);
            }
        }
        else
        {
            for (var i = 0; i < n; i++)
            {
                var a = data.Treatment[i];
                ic[i] = nu.Q1[i] - nu.Q0[i] - psi + (a / nu.G[i] - (1 - a) / (1 - nu.G[i])) * (data.Outcome[i] - nu.Q[i]);
            }
        }
        return AteEstimate.FromInfluence(Name, psi, ic);
    }
}
