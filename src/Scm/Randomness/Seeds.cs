namespace HybridSynth.Scm.Randomness;

/// <summary>
/// The seed tree: every purpose that draws randomness from a user's seed, in one place, with the key it
/// uses. A key is <see cref="CounterNoise.Key"/>(seed, stream, label, coordinate) and a unit's uniform is
/// <see cref="CounterNoise.Uniform"/>(key, unit); streams are <see cref="NoiseStreams"/>; within a stream the
/// label tells purposes apart, so no two purposes share a key (the integer offsets seed + 1 and seed + r that
/// once overlapped are gone). Derivations that are themselves seeds of a component (a generator's sample, a
/// replication's nuisances, the outcome forest) are keys passed on as that component's seed.
/// </summary>
public static class Seeds
{
    /// <summary>What a fitted generator's sample is for (the coordinate of <see cref="GeneratorSample"/>).</summary>
    public enum SamplePurpose
    {
        /// <summary>The covariates of the hybrid dataset.</summary>
        HybridCovariates = 0,
        /// <summary>The rows (W, A, Y) of the fully generative baseline.</summary>
        FullyGenerative = 1,
        /// <summary>The candidate pool of positivity augmentation.</summary>
        AugmentationPool = 2,
    }

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

    /// <summary>
    /// The seed a generator fitted with <paramref name="seed"/> samples from, per purpose (<see cref="SamplePurpose"/>), so that
    /// the hybrid covariates, the fully generative draw and the augmentation pool are independent draws.
    /// </summary>
    public static ulong GeneratorSample(ulong seed, SamplePurpose purpose) => CounterNoise.Key(seed, NoiseStreams.Bootstrap, "generator-sample", (int)purpose);

    /// <summary>The nuisance seed (folds, forests) of a simulation's replication <paramref name="replication"/>.</summary>
    public static ulong Replication(ulong seed, int replication) => CounterNoise.Key(seed, NoiseStreams.Bootstrap, "replication-nuisance", replication);

    /// <summary>The outcome forest's seed, apart from the propensity forest's (which is the nuisance seed itself).</summary>
    public static ulong OutcomeLearner(ulong seed) => CounterNoise.Key(seed, NoiseStreams.Bootstrap, "outcome-learner", 0);

    // Stream 4, the realizers: keyed by (variable or "lm", purpose code).
    public static ulong Realizer(ulong seed, string label, int purpose) => CounterNoise.Key(seed, NoiseStreams.Realizer, label, purpose);

    // Stream 5, cross-fitting folds.
    public static ulong Folds(ulong seed) => CounterNoise.Key(seed, NoiseStreams.Folds, "folds", 0);

    // Stream 6, permutation tests: keyed by the tested pair and the conditioning set's size.
    public static ulong Permutation(ulong seed, string pair, int conditioningSize) => CounterNoise.Key(seed, NoiseStreams.Permutation, pair, conditioningSize);

    // Stream 7, an SD-SCM's phrasing choice per variable.
    public static ulong Phrasing(ulong seed, string variable) => CounterNoise.Key(seed, NoiseStreams.Phrasing, variable, 0);
}
