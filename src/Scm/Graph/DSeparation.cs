namespace HybridSynth.Scm.Graph;

/// <summary>
/// d-separation by the reachable-nodes ("Bayes ball") algorithm of Koller &amp; Friedman (2009,
/// Algorithm 3.1): X ⟂ Y | Z in every distribution Markov to the DAG iff no node of Y is reachable
/// from X along a trail that is active given Z. Linear in the number of edges.
/// </summary>
public static class DSeparation
{
    /// <summary>True when every trail between X and Y is blocked by Z. The three sets must be disjoint.</summary>
    public static bool AreDSeparated(CausalGraph graph, IReadOnlyCollection<int> x, IReadOnlyCollection<int> y, IReadOnlyCollection<int> z)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var zs = new HashSet<int>(z);
        if (x.Any(zs.Contains) || y.Any(zs.Contains) || x.Intersect(y).Any())
            throw new ArgumentException("X, Y and Z must be disjoint");
        var reachable = ReachableNodes(graph, x, zs);
        return !y.Any(reachable.Contains);
    }

    /// <summary>True when <paramref name="x"/> ⟂ <paramref name="y"/> | <paramref name="z"/> holds by d-separation (x, y not in z).</summary>
    public static bool AreDSeparated(CausalGraph graph, int x, int y, IReadOnlyCollection<int> z) =>
        AreDSeparated(graph, new[] { x }, new[] { y }, z);

    /// <summary>The nodes connected to some node of <paramref name="x"/> by a trail active given <paramref name="z"/> (nodes of Z excluded).</summary>
    public static HashSet<int> ReachableNodes(CausalGraph graph, IEnumerable<int> x, ISet<int> z)
    {
        // Ancestors of Z (with Z): a collider is active iff it is in this set.
        var zAncestors = graph.Ancestors(z);
        zAncestors.UnionWith(z);

        var visitedUp = new bool[graph.Count];   // reached from a child (moving up)
        var visitedDown = new bool[graph.Count]; // reached from a parent (moving down)
        var reachable = new HashSet<int>();
        var stack = new Stack<(int Node, bool Up)>();
        foreach (var s in x) stack.Push((s, true));
        while (stack.Count > 0)
        {
            var (v, up) = stack.Pop();
            if (up) { if (visitedUp[v]) continue; visitedUp[v] = true; }
            else { if (visitedDown[v]) continue; visitedDown[v] = true; }
            var inZ = z.Contains(v);
            if (!inZ) reachable.Add(v);
            if (up && !inZ)
            {
                foreach (var p in graph.Parents(v)) stack.Push((p, true));
                foreach (var c in graph.Children(v)) stack.Push((c, false));
            }
            else if (!up)
            {
                if (!inZ)
                    foreach (var c in graph.Children(v)) stack.Push((c, false));
                if (zAncestors.Contains(v))
                    foreach (var p in graph.Parents(v)) stack.Push((p, true));
            }
        }
        return reachable;
    }
}
