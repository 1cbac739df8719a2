using HybridSynth.HybridBridge.Data;

namespace HybridSynth.HybridBridge.Estimators;

/// <summary>
/// Inverse probability weighting with the truncated propensity ĝ.
/// Horvitz–Thompson (<c>ipw</c>): ψ̂ = (1/n) Σ [A Y / ĝ − (1 − A) Y / (1 − ĝ)], IC_i = its summand − ψ̂.
/// Hájek (<c>ipw-hajek</c>): each arm's weights normalised to sum to one, μ̂_a = Σ w Y / Σ w, with
/// IC_i = (A_i/ĝ_i)(Y_i − μ̂₁)/mean(A/ĝ) − ((1 − A_i)/(1 − ĝ_i))(Y_i − μ̂₀)/mean((1 − A)/(1 − ĝ)).
/// When ĝ is a logistic regression fitted on all rows, the influence curve also carries the effect of
/// estimating it (M-estimation: IC += Dᵀ M⁻¹ z_i (A_i − ĝ_i), with D the mean derivative of the summand
/// in the coefficients and M = mean of ĝ(1 − ĝ) z zᵀ); treating ĝ as known instead is conservative (here
/// about twice the true standard error on the randomised Xu design). Units at a truncation bound do not move.
/// </summary>
public sealed class InverseProbabilityWeighting(bool hajek) : IAteEstimator
{
    /// <summary>True for the Hájek (normalised-weight) estimator, false for Horvitz–Thompson.</summary>
    public bool Hajek { get; } = hajek;
    /// <inheritdoc />
    public string Name => Hajek ? "ipw-hajek" : "ipw";

    /// <inheritdoc />
    public AteEstimate Estimate(CausalData data, NuisanceEstimates nu)
    {
        var n = data.Count;
        var w1 = new double[n];
        var w0 = new double[n];
        for (var i = 0; i < n; i++)
        {
            w1[i] = data.Treatment[i] / nu.G[i];
            w0[i] = (1 - data.Treatment[i]) / (1 - nu.G[i]);
        }
        var ic = new double[n];
        if (!Hajek)
        {
            var terms = Enumerable.Range(0, n).Select(i => (w1[i] - w0[i]) * data.Outcome[i]).ToArray();
            var psi = terms.Average();
            for (var i = 0; i < n; i++) ic[i] = terms[i] - psi;
            // ∂ summand / ∂β = −[A Y (1 − g)/g + (1 − A) Y g/(1 − g)] z.
            AddPropensityEstimation(data, nu, ic, i => -(data.Treatment[i] * data.Outcome[i] * (1 - nu.G[i]) / nu.G[i]
                                                           + (1 - data.Treatment[i]) * data.Outcome[i] * nu.G[i] / (1 - nu.G[i])));
            return AteEstimate.FromInfluence(Name, psi, ic);
        }
        double s1 = w1.Sum(), s0 = w0.Sum();
        if (s1 == 0 || s0 == 0) throw new InvalidOperationException("an arm has no units");
        var mu1 = Enumerable.Range(0, n).Sum(i => w1[i] * data.Outcome[i]) / s1;
        var mu0 = Enumerable.Range(0, n).Sum(i => w0[i] * data.Outcome[i]) / s0;
        double m1 = s1 / n, m0 = s0 / n;
        for (var i = 0; i < n; i++) ic[i] = w1[i] * (data.Outcome[i] - mu1) / m1 - w0[i] * (data.Outcome[i] - mu0) / m0;
        // ∂(μ̂₁ − μ̂₀)/∂β = mean of −[A (Y − μ₁)(1 − g)/g / m₁ + (1 − A)(Y − μ₀) g/(1 − g) / m₀] z.
        AddPropensityEstimation(data, nu, ic, i => -(data.Treatment[i] * (data.Outcome[i] - mu1) * (1 - nu.G[i]) / nu.G[i] / m1
                                                       + (1 - data.Treatment[i]) * (data.Outcome[i] - mu0) * nu.G[i] / (1 - nu.G[i]) / m0));
        return AteEstimate.FromInfluence(Name, mu1 - mu0, ic);
    }

    /// <summary>IC_i += Dᵀ M⁻¹ z_i (A_i − ĝ_i) with D = mean of c_i z_i over units not at a bound, M = mean of ĝ(1 − ĝ) z zᵀ.</summary>
    private static void AddPropensityEstimation(CausalData data, NuisanceEstimates nu, double[] ic, Func<int, double> coefficient)
    {
        if (nu.PropensityGlm is null) return;
        var n = data.Count;
        var z = data.Covariates;
        var p = z.Length + 1;
        double Z(int j, int i) => j == 0 ? 1 : z[j - 1][i];
        var d = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(p);
        var m = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(p, p);
        var c = new double[n];
        var v = new double[n];
        for (var i = 0; i < n; i++)
        {
            c[i] = nu.AtBound[i] ? 0 : coefficient(i);
            v[i] = nu.G[i] * (1 - nu.G[i]);
        }
        for (var a = 0; a < p; a++)
        {
            double s = 0;
            for (var i = 0; i < n; i++) s += c[i] * Z(a, i);
            d[a] = s / n;
            for (var b = a; b < p; b++)
            {
                double t = 0;
                for (var i = 0; i < n; i++) t += v[i] * Z(a, i) * Z(b, i);
                m[a, b] = m[b, a] = t / n;
            }
        }
        for (var k = 0; k < m.RowCount; k++) m[k, k] += 1e-10 * (1 + m.Diagonal().AbsoluteMaximum());
        var direction = m.Solve(d).ToArray(); // an array: read once a unit and coefficient, not through the vector's indexer
        for (var i = 0; i < n; i++)
        {
            double dot = 0;
            for (var a = 0; a < p; a++) dot += direction[a] * Z(a, i);
            ic[i] += dot * (data.Treatment[i] - nu.G[i]);
        }
    }
}
