namespace HybridSynth.Scm.Randomness;

/// <summary>
/// The seed tree: every purpose that draws randomness from a user's seed, in one place, with the key it
/// uses. A key is <see cref="CounterNoise.Key"/>(seed, stream, label, coordinate) and a unit's uniform is
/// <see cref="CounterNoise.Uniform"/>(key, unit); streams are <see cref="NoiseStreams"/>; within a stream the
/// label tells purposes apart. Each derivation is the one the outputs were recorded with, so moving code
/// here changed no output; the integer offsets (<see cref="GeneratorSample"/>, <see cref="Replication"/>)
/// are the historical ones and overlap across purposes (seed + 1 is both), which a future change of outputs
/// may replace with keyed derivations.
/// </summary>
public static class Seeds
{
    // Exogenous noise (stream 1) and Monte Carlo (stream 2) are keyed per variable by AncestralSampler:
    // Key(seed, stream, variable name, coordinate).

    /// <summary>A variable's exogenous noise coordinate (stream <see cref="NoiseStreams.Exogenous"/>, or Monte Carlo's).</summary>
    public static ulong Variable(ulong seed, ulong stream, string variable, int coordinate) => CounterNoise.Key(seed, stream, variable, coordinate);

    // Stream 3, bootstrap and synthesis: one label per purpose.
    public static ulong Holdout(ulong seed) => CounterNoise.Key(seed, NoiseStreams.Bootstrap, "holdout", 0);
    public static ulong ForestTree(ulong seed, int tree) => CounterNoise.Key(seed, NoiseStreams.Bootstrap, "forest", tree);
    public static ulong Bootstrap(ulong seed) => CounterNoise.Key(seed, NoiseStreams.Bootstrap, "bootstrap", 0);
    public static ulong CopulaJitter(ulong seed) => CounterNoise.Key(seed, NoiseStreams.Bootstrap, "copula-jitter", 0);
    public static ulong CopulaColumn(ulong seed, int column) => CounterNoise.Key(seed, NoiseStreams.Bootstrap, "copula", column);
    public static ulong BayesianNetworkColumn(ulong seed, string column, int part) => CounterNoise.Key(seed, NoiseStreams.Bootstrap, "bn-" + column, part);
    public static ulong LanguageModelExamples(ulong seed) => CounterNoise.Key(seed, NoiseStreams.Bootstrap, "lm-examples", 0);
    public static ulong LanguageModelOrder(ulong seed) => CounterNoise.Key(seed, NoiseStreams.Bootstrap, "lm-order", 0);
    public static ulong LanguageModelValue(ulong seed, int column) => CounterNoise.Key(seed, NoiseStreams.Bootstrap, "lm-value", column);
    public static ulong Augmentation(ulong seed) => CounterNoise.Key(seed, NoiseStreams.Bootstrap, "augmentation", 0);
    public static ulong HybridTreatment(ulong seed) => CounterNoise.Key(seed, NoiseStreams.Bootstrap, "hybrid-treatment", 0);
    public static ulong HybridOutcome(ulong seed) => CounterNoise.Key(seed, NoiseStreams.Bootstrap, "hybrid-outcome", 0);

    /// <summary>The sampler seed of replication <paramref name="replication"/> at size <paramref name="n"/> of a simulation.</summary>
    public static ulong SimulationDataset(ulong seed, int n, int replication) =>
        CounterNoise.Mix(CounterNoise.Key(seed, NoiseStreams.Bootstrap, "simulation", n) + (ulong)replication);

    /// <summary>The seed a fitted generator samples from: the fitting seed + 1.</summary>
    public static ulong GeneratorSample(ulong seed) => seed + 1;

    /// <summary>The nuisance seed (folds, forests) of a simulation's replication r: seed + r.</summary>
    public static ulong Replication(ulong seed, int replication) => seed + (ulong)replication;

    /// <summary>The outcome forest's seed beside the propensity forest's: seed + 1.</summary>
    public static ulong OutcomeLearner(ulong seed) => seed + 1;

    // Stream 4, the realizers: keyed by (variable or "lm", purpose code).
    public static ulong Realizer(ulong seed, string label, int purpose) => CounterNoise.Key(seed, NoiseStreams.Realizer, label, purpose);

    // Stream 5, cross-fitting folds.
    public static ulong Folds(ulong seed) => CounterNoise.Key(seed, NoiseStreams.Folds, "folds", 0);

    // Stream 6, permutation tests: keyed by the tested pair and the conditioning set's size.
    public static ulong Permutation(ulong seed, string pair, int conditioningSize) => CounterNoise.Key(seed, NoiseStreams.Permutation, pair, conditioningSize);

    // Stream 7, an SD-SCM's phrasing choice per variable.
    public static ulong Phrasing(ulong seed, string variable) => CounterNoise.Key(seed, NoiseStreams.Phrasing, variable, 0);
}
