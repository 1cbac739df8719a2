using HybridSynth.Scm.Tables;
using HybridSynth.Verifier.CiTests;
using NUnit.Framework;

namespace HybridSynth.Verifier.Tests;

/// <summary>
/// Each test's rejection rate under H0 over R independent simulated datasets (fixed seeds) lies in
/// α ± 4·√(α(1−α)/R) (conservative tests may fall below: only the upper bound binds for them), and
/// under a clear alternative it rejects almost always.
/// </summary>
public class CalibrationTests
{
    private const double Alpha = 0.05;
    private const int R = 400;
    private static readonly double Band = 4 * Math.Sqrt(Alpha * (1 - Alpha) / R);

    /// <summary>X binary, Y continuous, Z = (3-state C, continuous W); Y depends on X only when <paramref name="effect"/> ≠ 0.</summary>
    private static DataTable Mixed(Random rng, int n, double effect, bool binaryY)
    {
        var c = new int[n];
        var w = new double[n];
        var x = new int[n];
        var y = new double[n];
        var yb = new int[n];
        for (var i = 0; i < n; i++)
        {
            c[i] = rng.Next(3);
            w[i] = Normal(rng);
            x[i] = rng.NextDouble() < 1 / (1 + Math.Exp(-(0.8 * c[i] - 1 + 0.7 * w[i]))) ? 1 : 0;
            y[i] = 0.5 * c[i] - 0.8 * w[i] + effect * x[i] + Normal(rng);
            yb[i] = rng.NextDouble() < 1 / (1 + Math.Exp(-(0.5 * c[i] - 0.8 * w[i] + effect * x[i]))) ? 1 : 0;
        }
        var t = new DataTable(n);
        t.AddCategorical(Tables.Cat("X", 2), x);
        if (binaryY) t.AddCategorical(Tables.Cat("Y", 2), yb);
        else t.AddContinuous(Tables.Num("Y"), y);
        t.AddCategorical(Tables.Cat("C", 3), c);
        t.AddContinuous(Tables.Num("W"), w);
        return t;
    }

    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static double RejectionRate(Func<Random, DataTable> make, IConditionalIndependenceTest test, int seed)
    {
        var rng = new Random(seed);
        var rejected = 0;
        for (var r = 0; r < R; r++)
            if (test.Test(make(rng), 0, 1, new[] { 2, 3 }).RejectsAt(Alpha)) rejected++;
        return rejected / (double)R;
    }

    [TestCase(false, "regression-f")]
    [TestCase(true, "regression-logit")]
    public void MixedRegressionTest_IsCalibratedUnderH0_AndPowerfulUnderH1(bool binaryY, string method)
    {
        var test = new RegressionTest();
        Assert.That(test.Test(Mixed(new Random(1), 200, 0, binaryY), 0, 1, new[] { 2, 3 }).Method, Is.EqualTo(method));
        Assert.That(RejectionRate(rng => Mixed(rng, 300, 0, binaryY), test, 11), Is.InRange(Alpha - Band, Alpha + Band));
        Assert.That(RejectionRate(rng => Mixed(rng, 300, 1.5, binaryY), test, 12), Is.GreaterThan(0.9));
    }

    [Test]
    public void PermutationTest_OnSparseTables_DoesNotRejectMoreThanAlpha()
    {
        // 3×3×2 tables from 24 rows: about one row per cell, far too sparse for the χ² approximation.
        var test = new PermutationContingencyTest(ContingencyDivergence.PearsonChiSquare, 199, seed: 4);
        var rng = new Random(13);
        var rejected = 0;
        const int reps = 200;
        for (var r = 0; r < reps; r++)
        {
            var t = new DataTable(24);
            t.AddCategorical(Tables.Cat("X", 3), Enumerable.Range(0, 24).Select(_ => rng.Next(3)).ToArray());
            t.AddCategorical(Tables.Cat("Y", 3), Enumerable.Range(0, 24).Select(_ => rng.Next(3)).ToArray());
            t.AddCategorical(Tables.Cat("Z", 2), Enumerable.Range(0, 24).Select(_ => rng.Next(2)).ToArray());
            if (test.Test(t, 0, 1, new[] { 2 }).RejectsAt(Alpha)) rejected++;
        }
        Assert.That(rejected / (double)reps, Is.LessThan(Alpha + 4 * Math.Sqrt(Alpha * (1 - Alpha) / reps)));
    }
}
