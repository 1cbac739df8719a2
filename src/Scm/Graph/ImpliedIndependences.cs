namespace HybridSynth.Scm.Graph;

/// <summary>
/// The conditional independences a DAG implies, in the two forms the verifier tests:
/// the local Markov statements and one minimal separating set per non-adjacent pair.
/// </summary>
public static class ImpliedIndependences
{
    /// <summary>
    /// For each node V (in topological order) and each non-descendant W of V that is not a parent of V:
    /// V ⟂ W | Pa(V). One statement per pair, W taken in topological order, so the count is
    /// Σ_V (|non-descendants(V)| − |Pa(V)|).
    /// </summary>
    public static IReadOnlyList<IndependenceStatement> LocalMarkov(CausalGraph graph) => EnumerateLocalMarkov(graph).ToList();

    /// <summary>The statements of <see cref="LocalMarkov"/>, one at a time (they share one parent array per node).</summary>
    public static IEnumerable<IndependenceStatement> EnumerateLocalMarkov(CausalGraph graph)
    {
        foreach (var v in graph.TopologicalOrder)
        {
            var desc = graph.Descendants(v);
            var parents = graph.Parents(v).ToArray();
            foreach (var w in graph.TopologicalOrder)
            {
                if (w == v || desc.Contains(w) || graph.HasEdge(w, v)) continue;
                yield return new IndependenceStatement(v, w, parents, IndependenceKind.LocalMarkov);
            }
        }
    }

    /// <summary>The default largest number of statements a verb lists or tests.</summary>
    public const long DefaultMaxStatements = 1_000_000;

    /// <summary>
    /// How many local Markov statements the graph implies, counted without building them; the count stops
    /// once it passes <paramref name="stopAbove"/> (nodes are taken from the sinks up, where the statements are).
    /// </summary>
    public static long CountLocalMarkov(CausalGraph graph, long stopAbove = long.MaxValue)
    {
        long count = 0;
        var order = graph.TopologicalOrder;
        for (var k = order.Count - 1; k >= 0 && count <= stopAbove; k--)
        {
            var v = order[k];
            count += graph.Count - 1 - graph.Descendants(v).Count(d => d != v) - graph.Parents(v).Count;
        }
        return count;
    }

    /// <summary>How many non-adjacent pairs (one minimal-separator statement each) the graph has.</summary>
    public static long CountPairwise(CausalGraph graph) => (long)graph.Count * (graph.Count - 1) / 2 - graph.Edges().LongCount();

    /// <summary>
    /// The number of statements of a set, or a <see cref="Errors.ModelException"/> with the count when it exceeds
    /// <paramref name="limit"/>: on a 100,000-node chain the local set has about 5·10⁹ statements.
    /// </summary>
    public static long EnsureCountAtMost(CausalGraph graph, bool local, long limit, string raise)
    {
        var count = local ? CountLocalMarkov(graph, limit) : CountPairwise(graph);
        if (count > limit)
            throw new Errors.ModelException($"the {(local ? "local Markov" : "pairwise")} independences of this {graph.Count}-node graph number "
                + $"{(local ? "more than " + limit.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture))} "
                + $"(limit {limit.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)}); {raise}");
        return count;
    }

    /// <summary>
    /// For each non-adjacent pair (a &lt; b), a minimal set Z with a ⟂ b | Z. Start from the
    /// ancestors of {a, b} (which always separate a non-adjacent pair in a DAG), then drop members
    /// one by one while separation holds; for d-separation a set from which no single member can be
    /// dropped is minimal under inclusion (Tian, Paz &amp; Pearl 1998; checked by brute force in the tests).
    /// </summary>
    public static IReadOnlyList<IndependenceStatement> PairwiseMinimal(CausalGraph graph)
    {
        var result = new List<IndependenceStatement>();
        for (var a = 0; a < graph.Count; a++)
            for (var b = a + 1; b < graph.Count; b++)
            {
                if (graph.Adjacent(a, b)) continue;
                var z = MinimalSeparator(graph, a, b);
                result.Add(new IndependenceStatement(a, b, z, IndependenceKind.MinimalSeparator));
            }
        return result;
    }

    /// <summary>A minimal d-separator of two non-adjacent nodes, sorted by index.</summary>
    public static int[] MinimalSeparator(CausalGraph graph, int a, int b)
    {
        if (graph.Adjacent(a, b)) throw new ArgumentException($"{graph.Name(a)} and {graph.Name(b)} are adjacent: no set separates them");
        var z = graph.Ancestors(new[] { a, b });
        z.Remove(a);
        z.Remove(b);
        var candidate = z.OrderBy(i => i).ToList();
        // Greedy removal, from the last index down so that early (upstream) nodes are preferred.
        for (var k = candidate.Count - 1; k >= 0; k--)
        {
            var trial = candidate.Where((_, j) => j != k).ToArray();
            if (DSeparation.AreDSeparated(graph, a, b, trial)) candidate.RemoveAt(k);
        }
        return candidate.ToArray();
    }
}
