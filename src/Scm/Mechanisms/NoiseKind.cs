namespace HybridSynth.Scm.Mechanisms;

/// <summary>
/// The law of one coordinate of a mechanism's exogenous noise. Every coordinate is generated as a
/// uniform U on (0,1) from the counter-based generator; a standard-normal coordinate is Φ⁻¹(U).
/// </summary>
public enum NoiseKind
{
    /// <summary>U ~ Uniform(0, 1), used by inverse-CDF sampling of categorical mechanisms.</summary>
    Uniform,
    /// <summary>Z = Φ⁻¹(U) ~ N(0, 1), used by Gaussian mechanisms.</summary>
    StandardNormal,
}
