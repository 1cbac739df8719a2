namespace HybridSynth.HybridBridge.Estimators;

/// <summary>An ATE estimate with its influence-curve standard error and 95% interval.</summary>
public sealed record AteEstimate(string Estimator, double Estimate, double StandardError)
{
    /// <summary>z₀.₉₇₅ ≈ 1.959964, the normal quantile of the 95% interval.</summary>
    public const double Z975 = Scm.Numerics.SpecialFunctions.Z975;
    /// <summary>The lower end of the 95% Wald interval, ψ − z₀.₉₇₅·SE.</summary>
    public double Lower => Estimate - Z975 * StandardError;
    /// <summary>The upper end of the 95% Wald interval, ψ + z₀.₉₇₅·SE.</summary>
    public double Upper => Estimate + Z975 * StandardError;
    /// <summary>True when <paramref name="truth"/> lies in the 95% interval (ends included).</summary>
    public bool Covers(double truth) => Lower <= truth && truth <= Upper;

    /// <summary>ψ and SE = sd(IC)/√n from per-unit influence-curve values.</summary>
    public static AteEstimate FromInfluence(string estimator, double estimate, double[] influence)
    {
        var n = influence.Length;
        var mean = influence.Average();
        var variance = influence.Sum(x => (x - mean) * (x - mean)) / Math.Max(1, n - 1);
        return new AteEstimate(estimator, estimate, Math.Sqrt(variance / n));
    }
}
