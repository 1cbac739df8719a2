namespace HybridSynth.Scm.Mechanisms;

/// <summary>
/// Inverse-CDF sampling over a finite domain, the one rule every categorical mechanism uses:
/// V = min{ k : U &lt; p_0 + … + p_k }, with the cumulative sum pinned to 1 from the last state of
/// positive probability on, so rounding can never select a state of probability zero.
/// </summary>
public static class InverseCdf
{
    /// <summary>The state chosen by uniform <paramref name="u"/> ∈ (0, 1) (see the class summary).</summary>
    public static int Sample(ReadOnlySpan<double> probabilities, double u)
    {
        var last = LastPositive(probabilities);
        var cumulative = 0.0;
        for (var k = 0; k < last; k++)
        {
            cumulative += probabilities[k];
            if (u < cumulative) return k;
        }
        return last;
    }

    /// <summary>Writes the pinned cumulative sums of <paramref name="probabilities"/> into <paramref name="cumulative"/>.</summary>
    public static void Cumulative(ReadOnlySpan<double> probabilities, Span<double> cumulative)
    {
        var last = LastPositive(probabilities);
        var c = 0.0;
        for (var k = 0; k < probabilities.Length; k++)
        {
            c += probabilities[k];
            cumulative[k] = k >= last ? 1.0 : c;
        }
    }

    /// <summary>Sampling from pinned cumulative sums (see <see cref="Cumulative"/>); U in [0,1).</summary>
    public static int SampleCumulative(ReadOnlySpan<double> cumulative, double u)
    {
        var k = 0;
        while (u >= cumulative[k]) k++;
        return k;
    }

    private static int LastPositive(ReadOnlySpan<double> p)
    {
        for (var k = p.Length - 1; k >= 0; k--) if (p[k] > 0) return k;
        throw new ArgumentException("a probability row has no positive entry");
    }
}
