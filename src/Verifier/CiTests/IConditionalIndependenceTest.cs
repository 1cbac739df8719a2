using HybridSynth.Scm.Tables;

namespace HybridSynth.Verifier.CiTests;

/// <summary>A test of H0: X ⟂ Y | Z on a data table (columns by index).</summary>
public interface IConditionalIndependenceTest
{
    /// <summary>The registry name (chi2, g2, chi2-perm, g2-perm, fisher-z, regression).</summary>
    string Name { get; }

    /// <summary>Whether the test applies to these columns' types.</summary>
    bool Supports(DataTable data, int x, int y, IReadOnlyList<int> z);

    /// <summary>Tests X ⟂ Y | Z on the columns <paramref name="x"/>, <paramref name="y"/> and <paramref name="z"/> of <paramref name="data"/>.</summary>
    CiTestResult Test(DataTable data, int x, int y, IReadOnlyList<int> z);
}
