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
    /// <summary>The holdout split's key.</summary>
    public static ulong Holdout(ulong seed) => CounterNoise.Key(seed, NoiseStreams.Bootstrap, "holdout", 0);
    /// <summary>Tree <paramref name="tree"/> of a forest.</summary>
    public static ulong ForestTree(ulong seed, int tree) => CounterNoise.Key(seed, NoiseStreams.Bootstrap, "forest", tree);
    /// <summary>The bootstrap generator's row draws.</summary>
    public static ulong Bootstrap(ulong seed) => CounterNoise.Key(seed, NoiseStreams.Bootstrap, "bootstrap", 0);
    /// <summary>The copula generator's jitter of discrete columns.</summary>
    public static ulong CopulaJitter(ulong seed) => CounterNoise.Key(seed, NoiseStreams.Bootstrap, "copula-jitter", 0);
    /// <summary>The copula generator's column <paramref name="column"/>.</summary>
    public static ulong CopulaColumn(ulong seed, int column) => CounterNoise.Key(seed, NoiseStreams.Bootstrap, "copula", column);
    /// <summary>The Bayesian-network generator's column <paramref name="column"/>, part <paramref name="part"/>.</summary>
    public static ulong BayesianNetworkColumn(ulong seed, string column, int part) => CounterNoise.Key(seed, NoiseStreams.Bootstrap, "bn-" + column, part);
    /// <summary>The language-model generator's choice of few-shot examples.</summary>
    public static ulong LanguageModelExamples(ulong seed) => CounterNoise.Key(seed, NoiseStreams.Bootstrap, "lm-examples", 0);
    /// <summary>The language-model generator's column order.</summary>
    public static ulong LanguageModelOrder(ulong seed) => CounterNoise.Key(seed, NoiseStreams.Bootstrap, "lm-order", 0);
    /// <summary>The language-model generator's value draws of column <paramref name="column"/>.</summary>
    public static ulong LanguageModelValue(ulong seed, int column) => CounterNoise.Key(seed, NoiseStreams.Bootstrap, "lm-value", column);
    /// <summary>The Monte Carlo covariates of a hybrid pre-analysis study's truth.</summary>
    public static ulong HybridTruth(ulong seed) => CounterNoise.Mix(CounterNoise.Key(seed, NoiseStreams.Bootstrap, "hybrid-truth", 0));
    /// <summary>Resample b of positivity augmentation's bootstrap standard error (its rows, its augmentation).</summary>
    public static ulong AugmentationBootstrap(ulong seed, int resample) => CounterNoise.Mix(CounterNoise.Key(seed, NoiseStreams.Bootstrap, "augmentation-bootstrap", resample));

    /// <summary>Positivity augmentation's draws.</summary>
    public static ulong Augmentation(ulong seed) => CounterNoise.Key(seed, NoiseStreams.Bootstrap, "augmentation", 0);
    /// <summary>The hybrid data's treatment draws.</summary>
    public static ulong HybridTreatment(ulong seed) => CounterNoise.Key(seed, NoiseStreams.Bootstrap, "hybrid-treatment", 0);
    /// <summary>The hybrid data's outcome draws.</summary>
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

    /// <summary>The draws that choose the causal questions of <c>hybridsynth questions</c> (variables, states, rungs).</summary>
    public static ulong Questions(ulong seed) => CounterNoise.Key(seed, NoiseStreams.Bootstrap, "questions", 0);

    /// <summary>The sampler seed of a suite's dataset, from the suite seed and the dataset's key (never its position in the suite).</summary>
    public static ulong SuiteDataset(ulong seed, string key) => CounterNoise.Mix(CounterNoise.Key(seed, NoiseStreams.Bootstrap, "suite-dataset/" + key, 0));

    /// <summary>The sampling seed of replicate r of a replicated audit (<c>verify --replicates K</c>).</summary>
    public static ulong AuditReplicate(ulong seed, int replicate) => CounterNoise.Mix(CounterNoise.Key(seed, NoiseStreams.Bootstrap, "audit-replicate", replicate));

    /// <summary>The Monte Carlo seed of a suite's simulated truths for one model and regime (shared by its sizes and replicates).</summary>
    public static ulong SuiteTruth(ulong seed, string modelAndRegime) => CounterNoise.Mix(CounterNoise.Key(seed, NoiseStreams.MonteCarlo, "suite-truth/" + modelAndRegime, 0));

    // Stream 4, the realizers: keyed by (variable or "lm", purpose code).
    /// <summary>A realizer's draws for <paramref name="label"/> (a variable, or "lm") and purpose code <paramref name="purpose"/>.</summary>
    public static ulong Realizer(ulong seed, string label, int purpose) => CounterNoise.Key(seed, NoiseStreams.Realizer, label, purpose);

    // Stream 5, cross-fitting folds.
    /// <summary>The cross-fitting fold assignment.</summary>
    public static ulong Folds(ulong seed) => CounterNoise.Key(seed, NoiseStreams.Folds, "folds", 0);

    // Stream 6, permutation tests: keyed by the tested pair and the conditioning set's size.
    /// <summary>A permutation test's shuffles for a pair and conditioning-set size.</summary>
    public static ulong Permutation(ulong seed, string pair, int conditioningSize) => CounterNoise.Key(seed, NoiseStreams.Permutation, pair, conditioningSize);

    // Stream 7, an SD-SCM's phrasing choice per variable.
    /// <summary>An SD-SCM's phrasing choice for <paramref name="variable"/>.</summary>
    public static ulong Phrasing(ulong seed, string variable) => CounterNoise.Key(seed, NoiseStreams.Phrasing, variable, 0);
}
