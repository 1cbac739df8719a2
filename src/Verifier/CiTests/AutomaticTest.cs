using HybridSynth.Scm.Tables;

namespace HybridSynth.Verifier.CiTests;

/// <summary>
/// The default (<c>auto</c>): all categorical → the G-test, or its permutation variant when the table
/// is sparse (fewer than 5 rows per degree of freedom); all continuous → Fisher's z; mixed → the
/// nested-regression test.
/// </summary>
public sealed class AutomaticTest : IConditionalIndependenceTest
{
    public const double SparseRowsPerDof = 5;

    private readonly StratifiedContingencyTest _g2 = new(ContingencyDivergence.LikelihoodRatio);
    private readonly PermutationContingencyTest _g2Perm;
    private readonly FisherZTest _fisher = new();
    private readonly RegressionTest _regression = new();

    public AutomaticTest(int permutations = 999, ulong seed = 1)
    {
        _g2Perm = new PermutationContingencyTest(ContingencyDivergence.LikelihoodRatio, permutations, seed);
    }

    public string Name => "auto";

    public bool Supports(DataTable data, int x, int y, IReadOnlyList<int> z) => true;

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
