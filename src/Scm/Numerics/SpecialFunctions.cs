namespace HybridSynth.Scm.Numerics;

/// <summary>
/// The special functions and constants the libraries share, defined once (the logistic link of the
/// mechanisms, formulas, GLM, TMLE and the regression CI test; the normal quantile of every 95% interval).
/// Expit is MathNet.Numerics' <c>Logistic</c>; the constant is Φ⁻¹(0.975) written out, checked against MathNet's inverse CDF.
/// </summary>
public static class SpecialFunctions
{
    /// <summary>z₀.₉₇₅ = Φ⁻¹(0.975), the half-width of a 95% normal interval in standard errors.</summary>
    public const double Z975 = 1.959963984540054;

    /// <summary>expit(x) = 1 / (1 + e^(−x)), the logistic function (MathNet.Numerics' <c>Logistic</c>); 0 below about −745 and 1 above about 37.</summary>
    public static double Expit(double x) => MathNet.Numerics.SpecialFunctions.Logistic(x);

    /// <summary>
    /// logit(p) = ln(p / (1 − p)) for p in (0, 1); ±∞ at 1 and 0, NaN outside [0, 1]. Not MathNet's <c>Logit</c>, which
    /// throws outside [0, 1]: a formula's <c>logit(x)</c> must give NaN there, which the formula mechanism reports as a
    /// located value error for the unit.
    /// </summary>
    public static double Logit(double p) => Math.Log(p / (1 - p));
}
