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

    /// <summary>
    /// Where the nuisances come from: fitted (default), or the model's true ones (oracle), or one of each (oracle-g, oracle-q),
    /// each source's estimators reported as NAME, NAME@oracle, NAME@oracle-g, NAME@oracle-q — the decomposition of an
    /// estimator's bias and coverage into what the nuisances' estimation costs and what the estimator itself does.
    /// </summary>
    public IReadOnlyList<NuisanceSource> Nuisances { get; init; } = new[] { NuisanceSource.Fitted };

    /// <summary>Replications run at once; the results do not depend on it.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Positivity augmentation of every replication's data, benchmarked beside the plain estimators as NAME+aug; null: none.</summary>
    public SimulationAugmentation? Augmentation { get; init; }
}

/// <summary>Positivity augmentation in a simulation (see <see cref="Hybrid.PositivityAugmentation"/>).</summary>
/// <param name="Epsilon">Units with a fitted propensity below ε or above 1 − ε get a synthetic partner of the other arm.</param>
/// <param name="Generator">The covariate generator (bootstrap, copula or bn).</param>
/// <param name="Mode">How the synthetic units enter the estimate.</param>
/// <param name="Bootstrap">Bootstrap resamples for the standard error in the real-units mode.</param>
public sealed record SimulationAugmentation(double Epsilon, string Generator, Hybrid.AugmentationMode Mode = Hybrid.AugmentationMode.RealUnits, int Bootstrap = 100)
{
    /// <summary>The suffix of the augmented estimators' names: +aug, or +aug-pooled for the pooled mode.</summary>
    public string Suffix => Mode == Hybrid.AugmentationMode.RealUnits ? "+aug" : "+aug-pooled";
}
