namespace HybridSynth.Scm.Inference;

/// <summary>
/// A causal effect and the two interventional means it contrasts. <see cref="StandardError"/> is 0
/// for an exact value and the Monte Carlo standard error otherwise (with <see cref="Draws"/> units).
/// </summary>
public sealed record EffectEstimate(double Effect, double MeanTreated, double MeanControl, double StandardError, bool Exact, long Draws, long Accepted)
{
    /// <summary>The 95% normal interval, effect ∓ z₀.₉₇₅·SE (a point when SE is 0: an exact effect).</summary>
    public (double Lower, double Upper) Interval95 => (Effect - Numerics.SpecialFunctions.Z975 * StandardError, Effect + Numerics.SpecialFunctions.Z975 * StandardError);
}
