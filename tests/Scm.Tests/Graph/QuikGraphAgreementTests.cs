using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Graph;
using NUnit.Framework;
using QuikGraph;
using QuikGraph.Algorithms;
using QuikGraph.Algorithms.Search;

namespace HybridSynth.Scm.Tests.Graph;

/// <summary>
/// <see cref="CausalGraph"/> against QuikGraph's own algorithms on random graphs: acyclicity (QuikGraph's
/// IsDirectedAcyclicGraph), topological order, ancestors and descendants (QuikGraph depth-first search on the graph
/// and on its reverse), and the conversions both ways.
/// </summary>
public class QuikGraphAgreementTests
{
    private static BidirectionalGraph<string, SEdge<string>> RandomDigraph(Random rng, int n, double p, bool acyclic)
    {
        var g = new BidirectionalGraph<string, SEdge<string>>(false);
        // Vertices in a shuffled order, so that the index order is not the causal order.
        var names = Enumerable.Range(0, n).Select(i => $"v{i}").OrderBy(_ => rng.Next()).ToArray();
        g.AddVertexRange(names);
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                if (i != j && (!acyclic || string.CompareOrdinal(names[i], names[j]) < 0) && rng.NextDouble() < p)
                    g.AddEdge(new SEdge<string>(names[i], names[j]));
        return g;
    }

    private static HashSet<string> QuikReach(IVertexListGraph<string, SEdge<string>> g, string root)
    {
        var seen = new HashSet<string>();
        var dfs = new DepthFirstSearchAlgorithm<string, SEdge<string>>(g) { ProcessAllComponents = false };
        dfs.DiscoverVertex += v => seen.Add(v);
        dfs.Compute(root);
        seen.Remove(root);
        return seen;
    }

    [Test]
    public void RandomDags_AgreeWithQuikGraph([Values(1, 2, 3, 4, 5, 6, 7, 8)] int seed)
    {
        var rng = new Random(seed);
        var quik = RandomDigraph(rng, 12 + 6 * seed, 0.12, acyclic: true);
        Assert.That(quik.IsDirectedAcyclicGraph(), Is.True);
        var g = CausalGraph.FromQuikGraph(quik);
        Assert.That(g.Names, Is.EqualTo(quik.Vertices.ToArray()));
        Assert.That(g.Edges().Count(), Is.EqualTo(quik.EdgeCount));

        var position = new int[g.Count];
        for (var k = 0; k < g.Count; k++) position[g.TopologicalOrder[k]] = k;
        foreach (var e in quik.Edges)
            Assert.That(position[g.IndexOf(e.Source)], Is.LessThan(position[g.IndexOf(e.Target)]), $"{e.Source} → {e.Target}");
        // QuikGraph's own sort is also an order of our graph: both are linear extensions of the same edge set.
        var quikPosition = quik.TopologicalSort().Select((v, k) => (v, k)).ToDictionary(t => t.v, t => t.k);
        foreach (var (p, c) in g.Edges()) Assert.That(quikPosition[g.Name(p)], Is.LessThan(quikPosition[g.Name(c)]));

        var reversedAsList = new BidirectionalGraph<string, SEdge<string>>(false);
        reversedAsList.AddVertexRange(quik.Vertices);
        reversedAsList.AddEdgeRange(quik.Edges.Select(e => new SEdge<string>(e.Target, e.Source)));
        for (var v = 0; v < g.Count; v++)
        {
            var name = g.Name(v);
            Assert.That(g.Descendants(v).Select(g.Name), Is.EquivalentTo(QuikReach(quik, name)), $"descendants of {name}");
            Assert.That(g.Ancestors(v).Select(g.Name), Is.EquivalentTo(QuikReach(reversedAsList, name)), $"ancestors of {name}");
            Assert.That(g.Parents(v).Select(g.Name), Is.EquivalentTo(quik.InEdges(name).Select(e => e.Source)));
            Assert.That(g.Children(v).Select(g.Name), Is.EquivalentTo(quik.OutEdges(name).Select(e => e.Target)));
            Assert.That(g.Parents(v), Is.Ordered, "parents are sorted by index");
        }
        Assert.That(g.Structure.VertexCount, Is.EqualTo(g.Count));
        Assert.That(g.Structure.Edges.Select(e => (e.Source, e.Target)).OrderBy(e => e), Is.EqualTo(g.Edges().OrderBy(e => e)));
    }

    [Test]
    public void RandomDigraphs_AreRejectedExactlyWhenQuikGraphFindsACycle([Range(1, 40)] int seed)
    {
        var rng = new Random(1000 + seed);
        var quik = RandomDigraph(rng, 8 + seed % 9, 0.08 + 0.01 * (seed % 5), acyclic: false);
        var isDag = quik.IsDirectedAcyclicGraph();
        if (isDag)
        {
            Assert.DoesNotThrow(() => CausalGraph.FromQuikGraph(quik));
            return;
        }
        var e = Assert.Throws<CyclicGraphException>(() => CausalGraph.FromQuikGraph(quik))!;
        // The named cycle is a real directed cycle of the graph.
        Assert.That(e.Cycle.First(), Is.EqualTo(e.Cycle.Last()));
        Assert.That(e.Cycle.Count, Is.GreaterThanOrEqualTo(3));
        Assert.That(e.Cycle.Skip(1).Distinct().Count(), Is.EqualTo(e.Cycle.Count - 1), "simple");
        for (var i = 0; i + 1 < e.Cycle.Count; i++) Assert.That(quik.ContainsEdge(e.Cycle[i], e.Cycle[i + 1]), $"{e.Cycle[i]} → {e.Cycle[i + 1]}");
    }

    [Test]
    public void ToQuikGraph_RoundTrips()
    {
        var g = CausalGraph.FromEdges(new[] { "a", "b", "c", "d" }, new[] { ("a", "b"), ("a", "c"), ("b", "d"), ("c", "d") });
        var quik = g.ToQuikGraph();
        Assert.That(quik.Vertices, Is.EqualTo(g.Names));
        Assert.That(quik.Edges.Select(e => (e.Source, e.Target)), Is.EquivalentTo(new[] { ("a", "b"), ("a", "c"), ("b", "d"), ("c", "d") }));
        var back = CausalGraph.FromQuikGraph(quik);
        Assert.That(back.Names, Is.EqualTo(g.Names));
        Assert.That(back.Edges(), Is.EqualTo(g.Edges()));
        // The copy is the caller's: changing it leaves the causal graph alone.
        quik.AddEdge(new SEdge<string>("d", "a"));
        Assert.That(g.HasEdge(3, 0), Is.False);
        Assert.Throws<CyclicGraphException>(() => CausalGraph.FromQuikGraph(quik));
    }

    [Test]
    public void FromQuikGraph_WithNonStringVertices_UsesTheNamer()
    {
        var quik = new AdjacencyGraph<int, Edge<int>>();
        quik.AddVerticesAndEdge(new Edge<int>(10, 20));
        quik.AddVerticesAndEdge(new Edge<int>(10, 30));
        var g = CausalGraph.FromQuikGraph(quik, v => $"x{v}");
        Assert.That(g.Names, Is.EqualTo(new[] { "x10", "x20", "x30" }));
        Assert.That(g.Children(0), Is.EqualTo(new[] { 1, 2 }));
        var twins = new AdjacencyGraph<int, Edge<int>>();
        twins.AddVertexRange(new[] { 1, 2 });
        Assert.Throws<ArgumentException>(() => CausalGraph.FromQuikGraph(twins, _ => "same"));
    }
}
