using HybridSynth.Scm.Tables;
using HybridSynth.Verifier.Audit;
using HybridSynth.Verifier.CiTests;
using MathNet.Numerics.Distributions;
using NUnit.Framework;

namespace HybridSynth.Verifier.Tests;

/// <summary>Statistics, degrees of freedom and p-values against values computed by hand (closed forms in the comments).</summary>
public class CiTestGoldenTests
{
    private static readonly StratifiedContingencyTest Chi2 = new(ContingencyDivergence.PearsonChiSquare);
    private static readonly StratifiedContingencyTest G2 = new(ContingencyDivergence.LikelihoodRatio);

    [Test]
    public void TwoByTwo_PearsonAndG()
    {
        // [[10,20],[30,40]]: E = [[12,18],[28,42]]; X² = 4/12 + 4/18 + 4/28 + 4/42; p = erfc(√(X²/2)) for 1 dof.
        var (x, y, z) = Tables.Expand(new[] { new[] { 10, 20 }, new[] { 30, 40 } }, 0);
        var t = Tables.Categorical(2, 2, 1, x, y, z);
        var c = Chi2.Test(t, 0, 1, Array.Empty<int>());
        Assert.That(c.Statistic, Is.EqualTo(0.7936507936507936).Within(1e-12));
        Assert.That(c.DegreesOfFreedom, Is.EqualTo(1));
        Assert.That(c.PValue, Is.EqualTo(0.37299848361348714).Within(1e-12));
        var g = G2.Test(t, 0, 1, Array.Empty<int>());
        Assert.That(g.Statistic, Is.EqualTo(0.8043486460964835).Within(1e-12));
        Assert.That(g.PValue, Is.EqualTo(0.36979636792989634).Within(1e-12));
    }

    [Test]
    public void ThreeByThree_FourDegreesOfFreedom()
    {
        // For 4 dof the χ² survival function is e^{−x/2}(1 + x/2).
        var (x, y, z) = Tables.Expand(new[] { new[] { 12, 5, 3 }, new[] { 4, 10, 6 }, new[] { 2, 7, 15 } }, 0);
        var t = Tables.Categorical(3, 3, 1, x, y, z);
        var c = Chi2.Test(t, 0, 1, Array.Empty<int>());
        Assert.That(c.Statistic, Is.EqualTo(20.15824915824916).Within(1e-10));
        Assert.That(c.DegreesOfFreedom, Is.EqualTo(4));
        Assert.That(c.PValue, Is.EqualTo(0.00046472630826775984).Within(1e-15));
        var g = G2.Test(t, 0, 1, Array.Empty<int>());
        Assert.That(g.Statistic, Is.EqualTo(19.749853513206954).Within(1e-10));
        Assert.That(g.PValue, Is.EqualTo(0.0005595000646423492).Within(1e-15));
    }

    [Test]
    public void EmptyRowsAndColumns_AreDroppedPerStratum()
    {
        // Stratum 0: 3×2 with an empty middle row → a 2×2 table [[5,5],[10,2]], 1 dof.
        // Stratum 1: [[3,0],[4,0]] has one non-empty column → contributes no statistic and no dof.
        var rows = Tables.Expand(new[] { new[] { 5, 5 }, new[] { 0, 0 }, new[] { 10, 2 } }, 0);
        rows = Tables.Expand(new[] { new[] { 3, 0 }, new[] { 4, 0 }, new[] { 0, 0 } }, 1, rows);
        var t = Tables.Categorical(3, 2, 2, rows.X, rows.Y, rows.Z);
        var c = Chi2.Test(t, 0, 1, new[] { 2 });
        Assert.That(c.DegreesOfFreedom, Is.EqualTo(1));
        Assert.That(c.Statistic, Is.EqualTo(2.793650793650794).Within(1e-12));
        Assert.That(c.PValue, Is.EqualTo(0.09463839528709553).Within(1e-12));
        Assert.That(G2.Test(t, 0, 1, new[] { 2 }).Statistic, Is.EqualTo(2.845207203934993).Within(1e-12));
    }

    [Test]
    public void NothingTestable_IsUntestable_NeverNaN()
    {
        var (x, y, z) = Tables.Expand(new[] { new[] { 7, 3 }, new[] { 0, 0 } }, 0); // X constant
        var t = Tables.Categorical(2, 2, 1, x, y, z);
        foreach (var test in new IConditionalIndependenceTest[] { Chi2, G2, new PermutationContingencyTest(ContingencyDivergence.LikelihoodRatio, 99), new AutomaticTest() })
        {
            var r = test.Test(t, 0, 1, Array.Empty<int>());
            Assert.That(r.IsTestable, Is.False, test.Name);
            Assert.That(r.Untestable, Is.Not.Empty);
            Assert.That(double.IsNaN(r.PValue), Is.False);
            Assert.That(r.RejectsAt(0.05), Is.False);
        }
    }

    [Test]
    public void FisherZ_MatchesTheTextbookPartialCorrelation()
    {
        // r_xy·z = (r_xy − r_xz r_yz)/√((1 − r_xz²)(1 − r_yz²)); z = atanh(r)·√(n − 1 − 3); p = erfc(|z|/√2).
        double[] xs = { 1.2, 2.3, 0.7, 3.1, 2.2, 1.9, 0.4, 2.8 }, ys = { 2.0, 2.9, 1.1, 3.9, 2.1, 2.6, 1.5, 3.0 }, zs = { 0.5, 1.1, 0.2, 1.6, 1.3, 0.8, 0.1, 1.4 };
        var t = new DataTable(8);
        t.AddContinuous(Tables.Num("X"), xs);
        t.AddContinuous(Tables.Num("Y"), ys);
        t.AddContinuous(Tables.Num("Z"), zs);
        Assert.That(FisherZTest.PartialCorrelation(t, 0, 1, new[] { 2 }), Is.EqualTo(0.7326584232256479).Within(1e-12));
        var r = new FisherZTest().Test(t, 0, 1, new[] { 2 });
        Assert.That(r.Statistic, Is.EqualTo(1.868885014323506).Within(1e-11));
        Assert.That(r.PValue, Is.EqualTo(0.061638813651280475).Within(1e-11));
    }

    [Test]
    public void RegressionF_WithABinaryRegressor_IsTheSquaredPooledTStatistic()
    {
        var y = new[] { 1.1, 0.9, 1.4, 1.0, 1.3, 1.6, 1.8, 1.2, 2.0 };
        var x = new[] { 0, 0, 0, 0, 0, 1, 1, 1, 1 };
        var t = new DataTable(9);
        t.AddCategorical(Tables.Cat("X", 2), x);
        t.AddContinuous(Tables.Num("Y"), y);
        var r = new RegressionTest().Test(t, 0, 1, Array.Empty<int>());
        Assert.That(r.Method, Is.EqualTo("regression-f"));
        Assert.That(r.Statistic, Is.EqualTo(7.7509578544061295).Within(1e-10));
        Assert.That(r.DegreesOfFreedom, Is.EqualTo(1));
        Assert.That(r.PValue, Is.EqualTo(1 - FisherSnedecor.CDF(1, 7, 7.7509578544061295)).Within(1e-12));
    }

    [Test]
    public void LogisticLikelihoodRatio_OnATwoByTwo_EqualsTheGStatistic()
    {
        // The saturated logistic model reproduces the table, so its LR statistic is G.
        var (x, y, z) = Tables.Expand(new[] { new[] { 10, 20 }, new[] { 30, 40 } }, 0);
        var t = Tables.Categorical(2, 2, 1, x, y, z);
        var r = new RegressionTest().Test(t, 0, 1, Array.Empty<int>());
        Assert.That(r.Method, Is.EqualTo("regression-logit"));
        Assert.That(r.Statistic, Is.EqualTo(0.8043486460964835).Within(1e-7));
    }

    [Test]
    public void Permutation_PValueIsReproducible_AndCloseToTheAsymptoticOne()
    {
        var (x, y, z) = Tables.Expand(new[] { new[] { 30, 20 }, new[] { 20, 30 } }, 0);
        var t = Tables.Categorical(2, 2, 1, x, y, z);
        var a = new PermutationContingencyTest(ContingencyDivergence.PearsonChiSquare, 1999, seed: 3).Test(t, 0, 1, Array.Empty<int>());
        var b = new PermutationContingencyTest(ContingencyDivergence.PearsonChiSquare, 1999, seed: 3).Test(t, 0, 1, Array.Empty<int>());
        Assert.That(a.PValue, Is.EqualTo(b.PValue));
        var asymptotic = Chi2.Test(t, 0, 1, Array.Empty<int>()).PValue; // X² = 4, p ≈ 0.0455
        Assert.That(a.PValue, Is.EqualTo(asymptotic).Within(4 * Math.Sqrt(asymptotic * (1 - asymptotic) / 1999) + 0.02));
    }

    [Test]
    public void HolmAndBenjaminiHochberg_GoldenValues()
    {
        var p = new[] { 0.01, 0.04, 0.03, 0.005 };
        Assert.That(MultipleTesting.Holm(p), Is.EqualTo(new[] { 0.03, 0.06, 0.06, 0.02 }).Within(1e-15));
        Assert.That(MultipleTesting.BenjaminiHochberg(p), Is.EqualTo(new[] { 0.02, 0.04, 0.04, 0.02 }).Within(1e-15));
    }

    [Test]
    public void WilsonInterval_GoldenValues()
    {
        var b = BinomialInterval.Of(5, 100);
        Assert.That(b.Rate, Is.EqualTo(0.05));
        Assert.That(b.StandardError, Is.EqualTo(Math.Sqrt(0.05 * 0.95 / 100)).Within(1e-15));
        Assert.That(b.Lower, Is.EqualTo(0.02154367915436796).Within(1e-12));
        Assert.That(b.Upper, Is.EqualTo(0.11175046923191913).Within(1e-12));
    }
}
