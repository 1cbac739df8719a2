using System.Runtime.Intrinsics;
using System.Text;

namespace HybridSynth.Scm.Randomness;

/// <summary>
/// Counter-based exogenous noise: the uniform U for (seed, stream, variable, coordinate, unit) is a
/// pure function of those five values, never drawn from a shared sequential generator. A key is
/// derived from (seed, stream, variable name, coordinate) by SplitMix64 finalisers; the unit's
/// uniform is the SplitMix64 output at counter = unit. So any unit's noise can be recomputed alone:
/// output is the same for every thread count and chunk size, and counterfactuals replay it.
/// Keyed by the variable's NAME, so adding or reordering other variables leaves a variable's noise unchanged.
/// </summary>
public static class CounterNoise
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;
    // 2^-52: multiplying by it is exact, and cheaper than dividing.
    private const double InvTwoPow52 = 1.0 / 4503599627370496.0;

    /// <summary>The key of one noise coordinate of one variable.</summary>
    public static ulong Key(ulong seed, ulong stream, string variable, int coordinate)
    {
        var h = Mix(seed ^ 0x6A09E667F3BCC908UL);
        h = Mix(h ^ (stream * Golden));
        h = Mix(h ^ Fnv1a(variable));
        h = Mix(h ^ ((ulong)(uint)coordinate * 0xD1B54A32D192ED03UL));
        return h;
    }

    /// <summary>U on the open interval (0, 1): (m + ½)/2⁵² for the top 52 bits m of the mix (m + ½ is exact in a double, so U is never 0 or 1).</summary>
    public static double Uniform(ulong key, long unit) =>
        ToOpenUnit(Mix(key + (ulong)(unit + 1) * Golden));

    /// <summary>Fills <paramref name="output"/> with the uniforms of units first, first+1, ….</summary>
    /// <remarks>
    /// Eight units at a time where the processor has AVX-512DQ (64-bit multiplies and unsigned conversions in vectors),
    /// four where it has 256-bit vectors (AVX2): every step is exact integer arithmetic, then an exact conversion of a
    /// 52-bit integer and the same two rounding-free double operations, so the bits equal <see cref="Uniform"/>'s.
    /// </remarks>
    public static void Uniforms(ulong key, long first, Span<double> output) => Uniforms(key, first, output, Numerics.VectorPaths.Widest);

    /// <summary><see cref="Uniforms(ulong, long, Span{double})"/> on the path of <paramref name="lanes"/> units at a time
    /// (one of <see cref="Numerics.VectorPaths.Supported"/>).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal static void Uniforms(ulong key, long first, Span<double> output, int lanes)
    {
        Numerics.VectorPaths.Check(lanes);
        var state = key + (ulong)(first + 1) * Golden;
        var i = 0;
        if (lanes == 8 && output.Length >= 8)
        {
            var lanes8 = Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7) * Golden + Vector512.Create(state);
            var step = Vector512.Create(unchecked(8 * Golden));
            var c1 = Vector512.Create(0xBF58476D1CE4E5B9UL);
            var c2 = Vector512.Create(0x94D049BB133111EBUL);
            var half = Vector512.Create(0.5);
            var scale = Vector512.Create(InvTwoPow52);
            for (; i <= output.Length - 8; i += 8)
            {
                var z = lanes8;
                z = (z ^ Vector512.ShiftRightLogical(z, 30)) * c1;
                z = (z ^ Vector512.ShiftRightLogical(z, 27)) * c2;
                z ^= Vector512.ShiftRightLogical(z, 31);
                var u = (Vector512.ConvertToDouble(Vector512.ShiftRightLogical(z, 12)) + half) * scale;
                u.CopyTo(output[i..]);
                lanes8 += step;
            }
            state += (ulong)i * Golden;
        }
        else if (lanes == 4 && output.Length >= 4)
        {
            // Without AVX-512DQ the JIT does the 64-bit multiplies with 32-bit ones (exact), and the 52-bit integer m becomes a
            // double as (2⁵² + m) − 2⁵², m's bits under 2⁵²'s exponent (exact: 2⁵² + m < 2⁵³).
            var lanes4 = Vector256.Create(0UL, 1, 2, 3) * Golden + Vector256.Create(state);
            var step = Vector256.Create(unchecked(4 * Golden));
            var c1 = Vector256.Create(0xBF58476D1CE4E5B9UL);
            var c2 = Vector256.Create(0x94D049BB133111EBUL);
            var exponent = Vector256.Create(0x4330000000000000UL);
            var two52 = Vector256.Create(4503599627370496.0);
            var half = Vector256.Create(0.5);
            var scale = Vector256.Create(InvTwoPow52);
            for (; i <= output.Length - 4; i += 4)
            {
                var z = lanes4;
                z = (z ^ Vector256.ShiftRightLogical(z, 30)) * c1;
                z = (z ^ Vector256.ShiftRightLogical(z, 27)) * c2;
                z ^= Vector256.ShiftRightLogical(z, 31);
                var m = (Vector256.ShiftRightLogical(z, 12) | exponent).AsDouble() - two52;
                ((m + half) * scale).CopyTo(output[i..]);
                lanes4 += step;
            }
            state += (ulong)i * Golden;
        }
        for (; i < output.Length; i++)
        {
            output[i] = ToOpenUnit(Mix(state));
            state += Golden;
        }
    }

    /// <summary>Maps 64 random bits to (0, 1): (top 52 bits + ½)·2⁻⁵², exact, never 0 or 1.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static double ToOpenUnit(ulong bits) => ((long)(bits >> 12) + 0.5) * InvTwoPow52; // a signed conversion: the same value (< 2⁵²), one instruction

    /// <summary>Z = Φ⁻¹(U) ~ N(0, 1).</summary>
    public static double StandardNormal(double u) => -Math.Sqrt(2.0) * MathNet.Numerics.SpecialFunctions.ErfcInv(2.0 * u);

    /// <summary>The SplitMix64 finaliser (Steele, Lea &amp; Flood 2014).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong Fnv1a(string s)
    {
        var h = 0xCBF29CE484222325UL;
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            h ^= b;
            h *= 0x100000001B3UL;
        }
        return h;
    }
}
