using HybridSynth.HybridBridge.Data;

namespace HybridSynth.HybridBridge.Estimators;

/// <summary>An estimator of ψ = E[Y(1)] − E[Y(0)] from data and shared nuisance estimates.</summary>
public interface IAteEstimator
{
    /// <summary>The estimator's name (as in <see cref="EstimatorRegistry.Names"/>).</summary>
    string Name { get; }
    /// <summary>The ATE ψ = E[Q(1, W) − Q(0, W)] on <paramref name="data"/>, from the shared nuisances, with its influence-curve standard error.</summary>
    AteEstimate Estimate(CausalData data, NuisanceEstimates nuisance);
}
