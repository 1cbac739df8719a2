using HybridSynth.HybridBridge.Estimators;

namespace HybridSynth.HybridBridge.Simulation;

/// <summary>A grid of sample sizes, the replications per size, and what each replication runs.</summary>
public sealed record SimulationOptions
{
    public IReadOnlyList<int> Sizes { get; init; } = new[] { 250, 500, 1000 };
    public int Replications { get; init; } = 100;
    public ulong Seed { get; init; } = 1;
    public IReadOnlyList<string> Estimators { get; init; } = EstimatorRegistry.Names;
    public NuisanceOptions Nuisance { get; init; } = new();

    /// <summary>Replications run at once; the results do not depend on it.</summary>
    public int Threads { get; init; } = 1;
}
