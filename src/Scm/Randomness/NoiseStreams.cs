namespace HybridSynth.Scm.Randomness;

/// <summary>Stream numbers that keep separate purposes of randomness apart under one seed.</summary>
public static class NoiseStreams
{
    /// <summary>The exogenous noise of the structural equations.</summary>
    public const ulong Exogenous = 1;
    /// <summary>Monte Carlo estimation of effects and queries.</summary>
    public const ulong MonteCarlo = 2;
    /// <summary>Bootstrap resampling.</summary>
    public const ulong Bootstrap = 3;
    /// <summary>Realizer choices (templates, sentence order).</summary>
    public const ulong Realizer = 4;
    /// <summary>Cross-fitting folds of estimators.</summary>
    public const ulong Folds = 5;
    /// <summary>Within-stratum permutations of the permutation CI tests.</summary>
    public const ulong Permutation = 6;
    /// <summary>The choice of phrasing family of an SD-SCM (a config seed).</summary>
    public const ulong Phrasing = 7;
    /// <summary>Synthetic GGUF weights for tests and benchmarks.</summary>
    public const ulong SyntheticWeights = 9;
    /// <summary>The deterministic fake language model's scores.</summary>
    public const ulong FakeModel = 97;
    /// <summary>The deterministic fake language model's generations.</summary>
    public const ulong FakeGeneration = 98;
}
