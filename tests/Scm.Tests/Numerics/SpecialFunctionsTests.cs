using HybridSynth.Scm.Numerics;
using NUnit.Framework;

namespace HybridSynth.Scm.Tests.Numerics;

public class SpecialFunctionsTests
{
    [Test]
    public void Z975_IsTheNormalQuantile()
    {
        Assert.That(SpecialFunctions.Z975, Is.EqualTo(MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 0.975)).Within(1e-14));
        Assert.That(MathNet.Numerics.Distributions.Normal.CDF(0, 1, SpecialFunctions.Z975), Is.EqualTo(0.975).Within(1e-15));
    }

    [TestCase(0.0, 0.5)]
    [TestCase(2.0, 0.8807970779778823)]
    [TestCase(-2.0, 0.11920292202211755)]
    [TestCase(-800.0, 0.0)]
    [TestCase(800.0, 1.0)]
    public void Expit_IsTheLogisticFunction(double x, double expected) => Assert.That(SpecialFunctions.Expit(x), Is.EqualTo(expected).Within(1e-16));

    [Test]
    public void Logit_InvertsExpit()
    {
        foreach (var p in new[] { 1e-9, 0.1, 0.5, 0.73, 0.999 })
            Assert.That(SpecialFunctions.Expit(SpecialFunctions.Logit(p)), Is.EqualTo(p).Within(1e-15 + 1e-12 * p));
        Assert.That(SpecialFunctions.Logit(1), Is.EqualTo(double.PositiveInfinity));
        Assert.That(double.IsNaN(SpecialFunctions.Logit(1.5)));
    }

    [Test]
    public void ExpitAndLogit_AreBitForBitTheExpressionsTheOutputsWereRecordedWith()
    {
        // Delegating expit to MathNet changed no output: its Logistic is 1/(1 + e^(−x)) to the bit.
        var rng = new Random(3);
        for (var i = 0; i < 200_000; i++)
        {
            var x = (rng.NextDouble() - 0.5) * 80;
            Assert.That(BitConverter.DoubleToInt64Bits(SpecialFunctions.Expit(x)), Is.EqualTo(BitConverter.DoubleToInt64Bits(1 / (1 + Math.Exp(-x)))), $"expit({x:R})");
            var p = rng.NextDouble();
            Assert.That(BitConverter.DoubleToInt64Bits(SpecialFunctions.Logit(p)), Is.EqualTo(BitConverter.DoubleToInt64Bits(Math.Log(p / (1 - p)))), $"logit({p:R})");
        }
    }
}
