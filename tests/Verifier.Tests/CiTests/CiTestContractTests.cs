using HybridSynth.Scm.Tables;
using HybridSynth.Verifier.CiTests;
using NUnit.Framework;

namespace HybridSynth.Verifier.Tests.CiTests;

/// <summary>
/// The contract of every conditional-independence test in the registry, on each kind of data it supports (categorical,
/// continuous, mixed): a result with a finite statistic and a p-value in [0, 1], deterministic, unchanged by the order of
/// the rows, calibrated under H0 across independent datasets (rejections at α = 0.05 within the binomial band), and
/// powerful against a strong dependence.
/// </summary>
public class CiTestContractTests
{
    public enum DataKind { Categorical, Continuous, Mixed }

    /// <summary>X and Y given Z: independent given Z when <paramref name="dependence"/> is 0.</summary>
    private static DataTable Data(DataKind kind, int n, int seed, double dependence)
    {
        var rng = new Random(seed);
        double N() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var t = new DataTable(n);
        var z = new int[n];
        var zc = new double[n];
        var x = new double[n];
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            z[i] = rng.Next(2);
            zc[i] = N();
            var zv = kind == DataKind.Categorical ? z[i] : zc[i];
            x[i] = 0.8 * zv + N();
            y[i] = 0.8 * zv + dependence * x[i] + N();
        }
        switch (kind)
        {
            case DataKind.Categorical:
                t.AddCategorical(Tables.Cat("X", 3), x.Select(v => v < -0.3 ? 0 : v < 0.7 ? 1 : 2).ToArray());
                t.AddCategorical(Tables.Cat("Y", 3), y.Select(v => v < -0.3 ? 0 : v < 0.9 ? 1 : 2).ToArray());
                t.AddCategorical(Tables.Cat("Z", 2), z);
                break;
            case DataKind.Continuous:
                t.AddContinuous(Tables.Num("X"), x);
                t.AddContinuous(Tables.Num("Y"), y);
                t.AddContinuous(Tables.Num("Z"), zc);
                break;
            default:
                t.AddContinuous(Tables.Num("X"), x);
                t.AddCategorical(Tables.Cat("Y", 2), y.Select(v => v > 0 ? 1 : 0).ToArray());
                t.AddContinuous(Tables.Num("Z"), zc);
                break;
        }
        return t;
    }

    private static IConditionalIndependenceTest Create(string name) => CiTestRegistry.Create(name, permutations: 199, seed: 5);

    public static IEnumerable<TestCaseData> Cases() =>
        from name in CiTestRegistry.Names
        from kind in Enum.GetValues<DataKind>()
        where Create(name).Supports(Data(kind, 20, 1, 0), 0, 1, [2])
        select new TestCaseData(name, kind).SetName($"{name} on {kind} data");

    [TestCaseSource(nameof(Cases))]
    public void KeepsTheContract(string name, DataKind kind)
    {
        var test = Create(name);
        Assert.That(test.Name, Is.EqualTo(name));
        var data = Data(kind, 500, 11, 0);
        var r = test.Test(data, 0, 1, [2]);
        Assert.That(r.IsTestable, r.Untestable);
        Assert.That(r.PValue, Is.InRange(0.0, 1.0));
        Assert.That(double.IsFinite(r.Statistic) && r.Statistic >= 0, $"statistic {r.Statistic}");
        Assert.That(r.DegreesOfFreedom, Is.GreaterThan(0));
        Assert.That(r.SampleSize, Is.EqualTo(500));
        Assert.That(test.Test(data, 0, 1, [2]), Is.EqualTo(r), "deterministic");

        // The order of the rows does not matter (the statistic; a permutation test's draws are keyed to row positions).
        var order = Enumerable.Range(0, 500).OrderBy(i => (i * 7919) % 500).ToArray();
        var shuffled = new DataTable(500);
        foreach (var c in Enumerable.Range(0, 3))
        {
            var v = data.Variables[c];
            if (v.IsCategorical) shuffled.AddCategorical(v, order.Select(i => data.Codes(c)[i]).ToArray());
            else shuffled.AddContinuous(v, order.Select(i => data.Values(c)[i]).ToArray());
        }
        Assert.That(test.Test(shuffled, 0, 1, [2]).Statistic, Is.EqualTo(r.Statistic).Within(1e-9 * (1 + r.Statistic)));

        // Power: a strong dependence is found (199 permutations cannot give less than 1/200).
        Assert.That(test.Test(Data(kind, 500, 12, 1.5), 0, 1, [2]).PValue, Is.LessThanOrEqualTo(name.EndsWith("-perm", StringComparison.Ordinal) ? 1.0 / 200 : 1e-4));
    }

    [TestCaseSource(nameof(Cases))]
    public void IsCalibratedUnderTheNull_AcrossIndependentDatasets(string name, DataKind kind)
    {
        // 60 datasets with X ⟂ Y | Z; at α = 0.05 the rejections are Binomial(60, 0.05) for a calibrated test:
        // P(≥ 9) ≈ 0.003, so 9 or more means over-rejection.
        var test = Create(name);
        var rejections = Enumerable.Range(0, 60).Count(s => test.Test(Data(kind, 400, 100 + s, 0), 0, 1, [2]).PValue < 0.05);
        Assert.That(rejections, Is.LessThan(9), $"{rejections} of 60 rejected at α = 0.05");
    }

    [Test]
    public void EveryTest_RunsOnSomeKindOfData_AndUntestableResultsNeverReject()
    {
        foreach (var name in CiTestRegistry.Names)
            Assert.That(Cases().Any(c => (string)c.Arguments[0]! == name), name);
        var r = CiTestResult.NotTestable("g2", 10, "every stratum is degenerate");
        Assert.That(r.IsTestable, Is.False);
        Assert.That(r.PValue, Is.EqualTo(1.0));
        Assert.That(r.RejectsAt(0.5), Is.False);
    }
}
