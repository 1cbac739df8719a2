using HybridSynth.HybridBridge.Data;

namespace HybridSynth.HybridBridge.Estimators;

/// <summary>
/// Augmented IPW (the one-step estimator): ψ̂ = (1/n) Σ φ_i with
/// φ_i = Q̂1_i − Q̂0_i + A_i (Y_i − Q̂1_i)/ĝ_i − (1 − A_i)(Y_i − Q̂0_i)/(1 − ĝ_i); IC_i = φ_i − ψ̂ (the efficient influence curve).
/// Consistent when either ĝ or Q̂ is.
/// </summary>
public sealed class AugmentedIpw : IAteEstimator
{
    /// <inheritdoc />
    public string Name => "aipw";

    /// <inheritdoc />
    public AteEstimate Estimate(CausalData data, NuisanceEstimates nu)
    {
        var n = data.Count;
        var phi = new double[n];
        for (var i = 0; i < n; i++)
        {
            var a = data.Treatment[i];
            var y = data.Outcome[i];
            phi[i] = nu.Q1[i] - nu.Q0[i] + a * (y - nu.Q1[i]) / nu.G[i] - (1 - a) * (y - nu.Q0[i]) / (1 - nu.G[i]);
        }
        var psi = phi.Average();
        return AteEstimate.FromInfluence(Name, psi, phi.Select(x => x - psi).ToArray());
    }
}
