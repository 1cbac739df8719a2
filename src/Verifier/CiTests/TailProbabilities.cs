using MathNet.Numerics;

namespace HybridSynth.Verifier.CiTests;

/// <summary>Upper-tail probabilities computed from regularised special functions, accurate far into the tail.</summary>
public static class TailProbabilities
{
    /// <summary>P(χ²_k ≥ x) = Q(k/2, x/2).</summary>
    public static double ChiSquare(double x, double dof)
    {
        if (dof <= 0) throw new ArgumentOutOfRangeException(nameof(dof));
        if (x <= 0) return 1;
        return SpecialFunctions.GammaUpperRegularized(dof / 2, x / 2);
    }

    /// <summary>P(|N(0,1)| ≥ |z|) = erfc(|z|/√2).</summary>
    public static double NormalTwoSided(double z) => SpecialFunctions.Erfc(Math.Abs(z) / Math.Sqrt(2));

    /// <summary>P(F_{d1,d2} ≥ f) = I_{d2/(d2 + d1 f)}(d2/2, d1/2).</summary>
    public static double FisherF(double f, double d1, double d2)
    {
        if (f <= 0) return 1;
        return SpecialFunctions.BetaRegularized(d2 / 2, d1 / 2, d2 / (d2 + d1 * f));
    }
}
