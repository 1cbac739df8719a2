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
}
