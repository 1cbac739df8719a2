using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HybridSynth.Scm.Numerics;

/// <summary>
/// The widths of the vector paths in the sampler's hot loops (<see cref="Randomness.CounterNoise"/>'s uniforms, a
/// <see cref="Mechanisms.CptMechanism"/>'s batch): every path gives the scalar path's bits, and a loop takes its width
/// as an argument so that the tests compare every path this processor runs, not only the widest.
/// </summary>
internal static class VectorPaths
{
    /// <summary>8 (AVX-512F and DQ, with 512-bit vectors accelerated), 4 (AVX2) or 1 (scalar).</summary>
    public static int Widest { get; } =
        Avx512F.IsSupported && Avx512DQ.IsSupported && Vector512.IsHardwareAccelerated ? 8
        : Avx2.IsSupported && Vector256.IsHardwareAccelerated ? 4
        : 1;

    /// <summary>The widths this processor runs, narrowest first.</summary>
    public static IReadOnlyList<int> Supported { get; } = new[] { 1, 4, 8 }.Where(l => l <= Widest).ToArray();

    /// <summary>Throws unless <paramref name="lanes"/> is a width this processor runs.</summary>
    public static void Check(int lanes)
    {
        if (lanes is not (1 or 4 or 8) || lanes > Widest)
            throw new ArgumentOutOfRangeException(nameof(lanes), lanes, $"a vector path of 1, 4 or 8 lanes, at most {Widest} here");
    }
}
