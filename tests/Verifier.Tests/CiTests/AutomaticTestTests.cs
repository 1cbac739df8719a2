using HybridSynth.Verifier.CiTests;
using NUnit.Framework;

namespace HybridSynth.Verifier.Tests.CiTests;

/// <summary>
/// auto's rule (Cochran's, on the expected counts of the cells the statistic sums) and the sequential
/// permutation test it falls back to. The calibration across the bnlearn networks is measured by
/// <c>verify --replicates</c> (figures in the README); here the rule's pieces are checked exactly.
/// </summary>
public class AutomaticTestTests
{
    private static long[] Counts(params int[][][] strata) => strata.SelectMany(s => s.SelectMany(r => r.Select(c => (long)c))).ToArray();

    [Test]
    public void CochransRule_NoExpectedCountBelowOne_AndAtMostOneInFiveBelowFive()
    {
        // [[10,20],[30,40]]: expected [[12,18],[28,42]], all ≥ 5.
        Assert.That(ContingencyStatistic.ExpectedCountsAdequate(Counts([[10, 20], [30, 40]]), 1, 2, 2), Is.True);
        // [[1,1],[1,1]]: every expected count is 1 (≥ 1) but all four are below 5.
        Assert.That(ContingencyStatistic.ExpectedCountsAdequate(Counts([[1, 1], [1, 1]]), 1, 2, 2), Is.False);
        // One expected count below 1 is enough to refuse: [[0,10],[1,30]] has E(0,0) = 1·11/41 < 1.
        Assert.That(ContingencyStatistic.ExpectedCountsAdequate(Counts([[0, 10], [1, 30]]), 1, 2, 2), Is.False);
        // Pooled over strata: a big adequate stratum and a tiny one (two of eight cells below 5, 25% > 20%).
        Assert.That(ContingencyStatistic.ExpectedCountsAdequate(Counts([[50, 50], [50, 50]], [[3, 3], [3, 3]]), 2, 2, 2), Is.False);
        // Strata that contribute nothing (one non-empty row) are not counted: only the adequate stratum is.
        Assert.That(ContingencyStatistic.ExpectedCountsAdequate(Counts([[50, 50], [50, 50]], [[2, 3], [0, 0]]), 2, 2, 2), Is.True);
    }

    [Test]
    public void TheSequentialPermutationTest_StopsAtHExceedances_WithPEqualToHOverL()
    {
        // X ⟂ Y exactly in the table (all cells 4): every permuted statistic reaches the observed 0, so the test stops
        // after h permutations with p = h / h = 1; without stopping it runs all B and p = (1 + B)/(1 + B) = 1.
        var (x, y, z) = Tables.Expand([[4, 4], [4, 4]], 0);
        var t = Tables.Categorical(2, 2, 1, x, y, z);
        var sequential = new PermutationContingencyTest(ContingencyDivergence.LikelihoodRatio, 999, 3, stopAfter: 20);
        Assert.That(sequential.Test(t, 0, 1, []).PValue, Is.EqualTo(1.0));
        // A strong association: no permutation reaches it, so all B run and p = 1/(B + 1), as without stopping.
        var (x2, y2, z2) = Tables.Expand([[30, 2], [2, 30]], 0);
        var strong = Tables.Categorical(2, 2, 1, x2, y2, z2);
        var full = new PermutationContingencyTest(ContingencyDivergence.LikelihoodRatio, 199, 3);
        var seq = new PermutationContingencyTest(ContingencyDivergence.LikelihoodRatio, 199, 3, stopAfter: 20);
        Assert.That(seq.Test(strong, 0, 1, []).PValue, Is.EqualTo(full.Test(strong, 0, 1, []).PValue));
        Assert.That(full.Test(strong, 0, 1, []).PValue, Is.EqualTo(1.0 / 200));
        // A moderate association: the sequential p is h/L for the L at which the h-th exceedance came, so it is at least
        // h/B' and close to the full test's p.
        var (x3, y3, z3) = Tables.Expand([[12, 8], [8, 12]], 0);
        var moderate = Tables.Categorical(2, 2, 1, x3, y3, z3);
        var pFull = new PermutationContingencyTest(ContingencyDivergence.LikelihoodRatio, 999, 3).Test(moderate, 0, 1, []).PValue;
        var pSeq = sequential.Test(moderate, 0, 1, []).PValue;
        Assert.That(pSeq, Is.EqualTo(pFull).Within(0.12), "both estimate the same permutation p-value (about 0.2 here)");
        Assert.Throws<ArgumentOutOfRangeException>(() => new PermutationContingencyTest(ContingencyDivergence.LikelihoodRatio, 99, 1, stopAfter: 0));
    }

    [Test]
    public void Auto_UsesTheChiSquareReferenceOnAdequateTables_AndThePermutationTestOnSparseOnes()
    {
        var auto = new AutomaticTest(999, 5);
        Assert.That(auto.Name, Is.EqualTo("auto"));
        var (x, y, z) = Tables.Expand([[10, 20], [30, 40]], 0);
        Assert.That(auto.Test(Tables.Categorical(2, 2, 1, x, y, z), 0, 1, []).Method, Is.EqualTo("g2"));
        var (x2, y2, z2) = Tables.Expand([[1, 2], [2, 1]], 0);
        Assert.That(auto.Test(Tables.Categorical(2, 2, 1, x2, y2, z2), 0, 1, []).Method, Is.EqualTo("g2-perm"));
    }
}
