using HybridSynth.Scm.Randomness;
using HybridSynth.Verifier.CiTests;
using NUnit.Framework;

namespace HybridSynth.Verifier.Tests.CiTests;

/// <summary>The permutation tests draw tables from the multivariate hypergeometric law; checked against exact enumeration.</summary>
public class ConditionalTablesTests
{
    private static double LogChoose(long n, long k) => MathNet.Numerics.SpecialFunctions.FactorialLn((int)n)
        - MathNet.Numerics.SpecialFunctions.FactorialLn((int)k) - MathNet.Numerics.SpecialFunctions.FactorialLn((int)(n - k));

    private static double Choose(long n, long k) => Math.Exp(LogChoose(n, k));

    [TestCase(20, 7, 9)]
    [TestCase(2000, 900, 1200)]
    [TestCase(50, 1, 49)]
    public void Hypergeometric_MapsUniformsToTheExactLaw(long population, long successes, long draws)
    {
        // One stratum so the log-factorial table reaches the population.
        var tables = new ConditionalTables(new long[] { population - 1, 0, 0, 1 }, 1, 2, 2, ContingencyDivergence.LikelihoodRatio);
        const int n = 40_000;
        var lo = Math.Max(0, draws - (population - successes));
        var hi = Math.Min(draws, successes);
        var seen = new double[hi - lo + 1];
        var key = CounterNoise.Key(5, 1, "hyper", 0);
        for (var i = 0; i < n; i++)
        {
            var k = tables.Hypergeometric(population, successes, draws, CounterNoise.Uniform(key, i));
            Assert.That(k, Is.InRange(lo, hi));
            seen[k - lo]++;
        }
        // Every cell's frequency within 4.5 binomial SEs of its exact probability.
        for (var k = lo; k <= hi; k++)
        {
            var p = Math.Exp(LogChoose(successes, k) + LogChoose(population - successes, draws - k) - LogChoose(population, draws));
            var se = Math.Sqrt(Math.Max(0, p * (1 - p)) / n);
            Assert.That(seen[k - lo] / n, Is.EqualTo(p).Within(4.5 * se + 1e-12), $"k = {k}");
        }
    }

    [Test]
    public void PermutationPValue_OfA2x3Table_MatchesTheExactConditionalTest()
    {
        // X: 2 states, Y: 3; margins rows (6, 8), columns (4, 5, 5). Enumerate every table with these margins.
        int[][] observed = { new[] { 4, 1, 1 }, new[] { 0, 4, 4 } };
        var (xs, ys, zs) = Tables.Expand(observed, 0);
        var data = Tables.Categorical(2, 3, 1, xs, ys, zs);
        var g2 = new StratifiedContingencyTest(ContingencyDivergence.LikelihoodRatio);
        var tObs = g2.Test(data, 0, 1, Array.Empty<int>()).Statistic;
        double exact = 0;
        long[] rows = { 6, 8 }, cols = { 4, 5, 5 };
        for (var a = 0; a <= 4; a++)
            for (var b = 0; b <= 5; b++)
            {
                var c = 6 - a - b;
                if (c < 0 || c > 5) continue;
                int[][] t = { new[] { a, b, c }, new[] { 4 - a, 5 - b, 5 - c } };
                var p = Choose(4, a) * Choose(5, b) * Choose(5, c) / Choose(14, 6);
                var (tx, ty, tz) = Tables.Expand(t, 0);
                if (g2.Test(Tables.Categorical(2, 3, 1, tx, ty, tz), 0, 1, Array.Empty<int>()).Statistic >= tObs - 1e-9) exact += p;
            }
        Assert.That(rows.Sum(), Is.EqualTo(cols.Sum()));
        const int b0 = 19_999;
        var perm = new PermutationContingencyTest(ContingencyDivergence.LikelihoodRatio, b0, seed: 7).Test(data, 0, 1, Array.Empty<int>());
        var se = Math.Sqrt(exact * (1 - exact) / b0);
        Assert.That(exact, Is.InRange(0.005, 0.2), "the case should be neither trivial nor extreme");
        Assert.That(perm.PValue, Is.EqualTo(exact).Within(4 * se + 1.0 / b0));
    }

    [Test]
    public void DrawnTables_KeepEveryStratumsMargins_AndAreReproducible()
    {
        // Two strata, 3 × 4, one stratum with an empty column; the statistic of a draw depends only on (key, draw).
        long[] counts = { 3, 0, 2, 5, 1, 0, 4, 2, 0, 0, 7, 1, /* stratum 2 */ 9, 3, 0, 2, 4, 6, 0, 1, 2, 2, 0, 8 };
        var tables = new ConditionalTables(counts, 2, 3, 4, ContingencyDivergence.PearsonChiSquare);
        var buffer = new long[tables.BufferLength];
        var key = CounterNoise.Key(9, 2, "margins", 1);
        var first = tables.DrawStatistic(key, 17L << 32, buffer);
        Assert.That(tables.DrawStatistic(key, 17L << 32, buffer), Is.EqualTo(first));
        // The last stratum drawn (stratum 2, columns 0, 1, 3 non-empty) keeps its margins.
        var rows = new long[3];
        var cols = new long[3];
        for (var i = 0; i < 3; i++)
            for (var j = 0; j < 3; j++) { rows[i] += buffer[i * 3 + j]; cols[j] += buffer[i * 3 + j]; }
        Assert.That(rows, Is.EqualTo(new long[] { 14, 11, 12 }));
        Assert.That(cols, Is.EqualTo(new long[] { 15, 11, 11 }));
        // The observed table's statistic, computed the draws' way, equals the asymptotic test's.
        var (stat, _) = ContingencyStatistic.Compute(counts, 2, 3, 4, ContingencyDivergence.PearsonChiSquare);
        Assert.That(tables.Statistic(counts, 3, 4), Is.EqualTo(stat).Within(1e-9 * stat));
    }
}
