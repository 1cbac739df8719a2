using HybridSynth.Scm.Graph;

namespace HybridSynth.Verifier.Audit;

/// <summary>
/// An implied independence X ⟂ Y | Z as the audit sees it: either testable on the observed columns,
/// or untestable because separating X and Y needs a variable that is hidden or absent from the data.
/// </summary>
public sealed record ObservedStatement(int X, int Y, IReadOnlyList<int> Z, string Text, string? Untestable)
{
    /// <summary>The statement x ⟂ y | z of graph <paramref name="g"/>, with its text, or untestable for the reason given.</summary>
    public static ObservedStatement From(CausalGraph g, int x, int y, IReadOnlyList<int> z, string? untestable) =>
        new(x, y, z, new IndependenceStatement(x, y, z, IndependenceKind.LocalMarkov).Format(g), untestable);
}
