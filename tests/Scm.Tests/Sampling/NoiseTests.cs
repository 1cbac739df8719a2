using HybridSynth.Scm.Randomness;
using HybridSynth.Scm.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.Scm.Tests.Sampling;

public class NoiseTests
{
    [Test]
    public void Uniforms_AreInTheOpenUnitInterval_AndUniform()
    {
        var key = CounterNoise.Key(42, NoiseStreams.Exogenous, "x", 0);
        const int n = 200_000;
        var u = new double[n];
        CounterNoise.Uniforms(key, 0, u);
        Assert.That(u.Min(), Is.GreaterThan(0));
        Assert.That(u.Max(), Is.LessThan(1));
        var bins = new long[20];
        foreach (var x in u) bins[(int)(x * 20)]++;
        Assert.That(Stats.GoodnessOfFitPValue(bins, Enumerable.Repeat(0.05, 20).ToArray()), Is.GreaterThan(1e-4));
    }

    [Test]
    public void ExtremeBits_StayStrictlyInsideTheUnitInterval()
    {
        Assert.That(CounterNoise.ToOpenUnit(ulong.MaxValue), Is.LessThan(1.0));
        Assert.That(CounterNoise.ToOpenUnit(0), Is.GreaterThan(0.0));
        Assert.That(double.IsFinite(CounterNoise.StandardNormal(CounterNoise.ToOpenUnit(ulong.MaxValue))));
        Assert.That(double.IsFinite(CounterNoise.StandardNormal(CounterNoise.ToOpenUnit(0))));
    }

    [Test]
    public void BulkAndSingleUnitNoise_AreIdentical_FromAnyStartingUnit()
    {
        var key = CounterNoise.Key(3, 1, "dysp", 0);
        var bulk = new double[100];
        CounterNoise.Uniforms(key, 1000, bulk);
        for (var i = 0; i < 100; i++) Assert.That(bulk[i], Is.EqualTo(CounterNoise.Uniform(key, 1000 + i)));
    }

    [Test]
    public void BulkNoise_OfAnyLengthAndStart_EqualsTheScalarFormula_BitForBit_OnEveryVectorPath()
    {
        // The bulk path runs eight (AVX-512DQ) or four (256-bit vectors) units at a time where the processor allows it:
        // on every path it runs, every length (its scalar tail included), start and key must give the scalar formula's bits.
        var paths = HybridSynth.Scm.Numerics.VectorPaths.Supported;
        TestContext.Out.WriteLine($"vector paths run here: {string.Join(", ", paths)} units at a time");
        Assert.Throws<ArgumentOutOfRangeException>(() => CounterNoise.Uniforms(1, 0, new double[8], 2));
        foreach (var lanes in paths)
        {
            var rng = new Random(34);
            for (var trial = 0; trial < 400; trial++)
            {
                var key = (ulong)rng.NextInt64() * 2 + (ulong)rng.Next(2);
                var first = trial % 3 == 0 ? rng.NextInt64(0, long.MaxValue / 2) : rng.Next(0, 1000);
                var bulk = new double[rng.Next(0, 70)];
                CounterNoise.Uniforms(key, first, bulk, lanes);
                for (var i = 0; i < bulk.Length; i++)
                {
                    var expected = ((CounterNoise.Mix(key + (ulong)(first + i + 1) * 0x9E3779B97F4A7C15UL) >> 12) + 0.5) / 4503599627370496.0;
                    Assert.That(BitConverter.DoubleToInt64Bits(bulk[i]), Is.EqualTo(BitConverter.DoubleToInt64Bits(expected)), $"{lanes} lanes, key {key}, unit {first + i}");
                }
            }
        }
        // The scalar map's signed conversion at the extremes of the 52 bits and at the top bit of the 64.
        foreach (var bits in new[] { 0UL, ulong.MaxValue, 1UL << 63, (1UL << 63) - 1, 0xFFFUL, 0x1000UL })
            Assert.That(CounterNoise.ToOpenUnit(bits), Is.EqualTo(((bits >> 12) + 0.5) / 4503599627370496.0));
    }

    [Test]
    public void DifferentVariablesSeedsAndStreams_GetUncorrelatedNoise()
    {
        const int n = 100_000;
        double Corr(ulong k1, ulong k2)
        {
            var a = new double[n]; var b = new double[n];
            CounterNoise.Uniforms(k1, 0, a); CounterNoise.Uniforms(k2, 0, b);
            double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
            for (var i = 0; i < n; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) * (a[i] - ma); sbb += (b[i] - mb) * (b[i] - mb); }
            return sab / Math.Sqrt(saa * sbb);
        }
        // Under independence the correlation is ~N(0, 1/n): 5/√n bounds it.
        var bound = 5 / Math.Sqrt(n);
        Assert.That(Math.Abs(Corr(CounterNoise.Key(1, 1, "a", 0), CounterNoise.Key(1, 1, "b", 0))), Is.LessThan(bound));
        Assert.That(Math.Abs(Corr(CounterNoise.Key(1, 1, "a", 0), CounterNoise.Key(2, 1, "a", 0))), Is.LessThan(bound));
        Assert.That(Math.Abs(Corr(CounterNoise.Key(1, 1, "a", 0), CounterNoise.Key(1, 2, "a", 0))), Is.LessThan(bound));
        Assert.That(Math.Abs(Corr(CounterNoise.Key(1, 1, "a", 0), CounterNoise.Key(1, 1, "a", 1))), Is.LessThan(bound));
    }

    [Test]
    public void StandardNormal_HasTheRightQuantilesAndMoments()
    {
        Assert.That(CounterNoise.StandardNormal(0.5), Is.EqualTo(0).Within(1e-15));
        Assert.That(CounterNoise.StandardNormal(0.975), Is.EqualTo(1.959963984540054).Within(1e-12));
        Assert.That(CounterNoise.StandardNormal(0.001), Is.EqualTo(-3.090232306167813).Within(1e-10));
        var key = CounterNoise.Key(8, 1, "z", 0);
        const int n = 200_000;
        var u = new double[n];
        CounterNoise.Uniforms(key, 0, u);
        var z = u.Select(CounterNoise.StandardNormal).ToArray();
        Assert.That(Math.Abs(z.Average()), Is.LessThan(5 / Math.Sqrt(n)));
        var variance = z.Select(x => x * x).Average();
        Assert.That(Math.Abs(variance - 1), Is.LessThan(5 * Math.Sqrt(2.0 / n)));
    }
}
