using HybridSynth.Scm.Tables;

namespace HybridSynth.Verifier.CiTests;

/// <summary>
/// Pearson's χ² test (<c>chi2</c>) or the G-test (<c>g2</c>) of X ⟂ Y | Z for categorical X, Y, Z:
/// the stratified statistic of <see cref="ContingencyStatistic"/> against χ² with the adjusted degrees
/// of freedom. Untestable when no stratum has two non-empty rows and two non-empty columns.
/// </summary>
public sealed class StratifiedContingencyTest : IConditionalIndependenceTest
{
    /// <summary>The stratified contingency test with the given divergence (Pearson χ² or likelihood-ratio G²).</summary>
    public StratifiedContingencyTest(ContingencyDivergence divergence)
    {
        Divergence = divergence;
    }

    /// <summary>The divergence: Pearson's X² or the likelihood-ratio G².</summary>
    public ContingencyDivergence Divergence { get; }

    /// <inheritdoc />
    public string Name => Divergence == ContingencyDivergence.PearsonChiSquare ? "chi2" : "g2";

    /// <inheritdoc />
    public bool Supports(DataTable data, int x, int y, IReadOnlyList<int> z) =>
        data.Variables[x].IsCategorical && data.Variables[y].IsCategorical && z.All(c => data.Variables[c].IsCategorical);

    /// <inheritdoc />
    public CiTestResult Test(DataTable data, int x, int y, IReadOnlyList<int> z)
    {
        var counts = StratifiedCounts.Count(data, x, y, z);
        return FromCounts(counts, data.RowCount);
    }

    /// <summary>The test from already counted tables.</summary>
    public CiTestResult FromCounts(StratifiedCounts counts, long n)
    {
        var (stat, dof) = ContingencyStatistic.Compute(counts.Counts, counts.Strata, counts.Kx, counts.Ky, Divergence);
        if (dof <= 0) return CiTestResult.NotTestable(Name, n, "no stratum has two non-empty rows and columns");
        return new CiTestResult(Name, stat, dof, TailProbabilities.ChiSquare(stat, dof), n);
    }
}
