namespace HybridSynth.Scm.Graph;

/// <summary>Which rule of the graph produced an independence statement.</summary>
public enum IndependenceKind
{
    /// <summary>Local Markov: a node is independent of a non-descendant given its parents.</summary>
    LocalMarkov,
    /// <summary>A non-adjacent pair with a minimal separating set.</summary>
    MinimalSeparator,
}

/// <summary>The statement X ⟂ Y | Z, implied by the graph (every node an index of the graph).</summary>
public sealed record IndependenceStatement(int X, int Y, IReadOnlyList<int> Z, IndependenceKind Kind)
{
    /// <summary>The statement as text with node names, e.g. "lung ⟂ asia | smoke".</summary>
    public string Format(CausalGraph graph) =>
        Z.Count == 0
            ? $"{graph.Name(X)} ⟂ {graph.Name(Y)}"
            : $"{graph.Name(X)} ⟂ {graph.Name(Y)} | {string.Join(", ", Z.Select(graph.Name))}";
}
