using HybridSynth.HybridBridge.Estimators;

namespace HybridSynth.HybridBridge.Simulation;

/// <summary>A grid of sample sizes, the replications per size, and what each replication runs.</summary>
public sealed record SimulationOptions
{
    /// <summary>The sample sizes n of the grid.</summary>
    public IReadOnlyList<int> Sizes { get; init; } = new[] { 250, 500, 1000 };
    /// <summary>Replications K per size.</summary>
    public int Replications { get; init; } = 100;
    /// <summary>The seed from which every replication's dataset and nuisances are derived.</summary>
    public ulong Seed { get; init; } = 1;
    /// <summary>The estimators benchmarked.</summary>
    public IReadOnlyList<string> Estimators { get; init; } = EstimatorRegistry.Names;
    /// <summary>The nuisance learners, truncation and folds.</summary>
    public NuisanceOptions Nuisance { get; init; } = new();

    /// <summary>Replications run at once; the results do not depend on it.</summary>
    public int Threads { get; init; } = 1;
}
