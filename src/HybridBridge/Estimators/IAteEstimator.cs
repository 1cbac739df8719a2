using HybridSynth.HybridBridge.Data;

namespace HybridSynth.HybridBridge.Estimators;

/// <summary>An estimator of ψ = E[Y(1)] − E[Y(0)] from data and shared nuisance estimates.</summary>
public interface IAteEstimator
{
    string Name { get; }
    AteEstimate Estimate(CausalData data, NuisanceEstimates nuisance);
}
