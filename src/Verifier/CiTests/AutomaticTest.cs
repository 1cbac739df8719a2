using HybridSynth.Scm.Tables;

namespace HybridSynth.Verifier.CiTests;

/// <summary>
/// The default (<c>auto</c>). All categorical: the G-test when Cochran's rule trusts its χ² reference (over the cells it
/// sums, no expected count below 1 and at most 20% below 5), else the permutation test within the strata, sequential
/// (it stops once <see cref="Exceedances"/> permuted statistics reach the observed one; Besag and Clifford's p = h/L).
/// All continuous: Fisher's z. Mixed: the nested-regression test. The rule depends only on the strata's margins, which
/// the permutation test holds fixed, so choosing by it keeps the level. A rows-per-degree-of-freedom switch does not:
/// it let sparse strata through (hailfinder at n = 10,000: 10.3% false positives at α = 0.05; 5.1% with Cochran's rule).
/// </summary>
public sealed class AutomaticTest : IConditionalIndependenceTest
{
    /// <summary>The sequential permutation test stops once this many permuted statistics reach the observed one.</summary>
    public const int Exceedances = 10;

    private readonly StratifiedContingencyTest _g2 = new(ContingencyDivergence.LikelihoodRatio);
    private readonly PermutationContingencyTest _g2Perm;
    private readonly FisherZTest _fisher = new();
    private readonly RegressionTest _regression = new();

    /// <summary>The automatic test: contingency tests for categorical data, Fisher z for continuous data, regression tests for mixtures.</summary>
    /// <param name="permutations">The most permutations of the permutation test used on sparse tables.</param>
    /// <param name="seed">Its seed.</param>
    public AutomaticTest(int permutations = 999, ulong seed = 1)
    {
        _g2Perm = new PermutationContingencyTest(ContingencyDivergence.LikelihoodRatio, permutations, seed, Exceedances);
    }

    /// <inheritdoc />
    public string Name => "auto";

    /// <inheritdoc />
    public bool Supports(DataTable data, int x, int y, IReadOnlyList<int> z) => true;

    /// <inheritdoc />
    public CiTestResult Test(DataTable data, int x, int y, IReadOnlyList<int> z)
    {
        if (_g2.Supports(data, x, y, z))
        {
            var counts = StratifiedCounts.Count(data, x, y, z);
            var asymptotic = _g2.FromCounts(counts, data.RowCount);
            if (asymptotic.IsTestable && !ContingencyStatistic.ExpectedCountsAdequate(counts.Counts, counts.Strata, counts.Kx, counts.Ky))
                return _g2Perm.Test(data, x, y, z);
            return asymptotic;
        }
        if (_fisher.Supports(data, x, y, z)) return _fisher.Test(data, x, y, z);
        return _regression.Test(data, x, y, z);
    }
}
