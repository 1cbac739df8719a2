using HybridSynth.Scm.Tables;

namespace HybridSynth.Verifier.CiTests;

/// <summary>
/// The default (<c>auto</c>): all categorical → the G-test, or its permutation variant when the table
/// is sparse (fewer than 5 rows per degree of freedom); all continuous → Fisher's z; mixed → the
/// nested-regression test.
/// </summary>
public sealed class AutomaticTest : IConditionalIndependenceTest
{
    /// <summary>Below this many rows per degree of freedom the contingency test is the permutation test (the asymptotic χ² is not trusted).</summary>
    public const double SparseRowsPerDof = 5;

    private readonly StratifiedContingencyTest _g2 = new(ContingencyDivergence.LikelihoodRatio);
    private readonly PermutationContingencyTest _g2Perm;
    private readonly FisherZTest _fisher = new();
    private readonly RegressionTest _regression = new();

    /// <summary>The automatic test: contingency tests for categorical data, Fisher z for continuous data, regression tests for mixtures.</summary>
    /// <param name="permutations">Permutations of the permutation test used on sparse tables.</param>
    /// <param name="seed">Its seed.</param>
    public AutomaticTest(int permutations = 999, ulong seed = 1)
    {
        _g2Perm = new PermutationContingencyTest(ContingencyDivergence.LikelihoodRatio, permutations, seed);
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
            if (asymptotic.IsTestable && data.RowCount < SparseRowsPerDof * asymptotic.DegreesOfFreedom)
                return _g2Perm.Test(data, x, y, z);
            return asymptotic;
        }
        if (_fisher.Supports(data, x, y, z)) return _fisher.Test(data, x, y, z);
        return _regression.Test(data, x, y, z);
    }
}
