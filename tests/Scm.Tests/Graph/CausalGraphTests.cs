using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Graph;
using NUnit.Framework;

namespace HybridSynth.Scm.Tests.Graph;

public class CausalGraphTests
{
    private static CausalGraph Asia() => CausalGraph.FromEdges(
        new[] { "asia", "tub", "smoke", "lung", "bronc", "either", "xray", "dysp" },
        new[] { ("asia", "tub"), ("smoke", "lung"), ("smoke", "bronc"), ("lung", "either"), ("tub", "either"), ("either", "xray"), ("bronc", "dysp"), ("either", "dysp") });

    [Test]
    public void TopologicalOrder_PutsEveryParentBeforeItsChildren()
    {
        var g = Asia();
        var position = g.TopologicalOrder.Select((v, i) => (v, i)).ToDictionary(t => t.v, t => t.i);
        foreach (var (p, c) in g.Edges()) Assert.That(position[p], Is.LessThan(position[c]));
        Assert.That(g.TopologicalOrder, Has.Count.EqualTo(8));
    }

    [Test]
    public void Cycle_IsRejectedAndNamed()
    {
        var e = Assert.Throws<CyclicGraphException>(() => CausalGraph.FromEdges(
            new[] { "a", "b", "c", "d" }, new[] { ("a", "b"), ("b", "c"), ("c", "d"), ("d", "b") }))!;
        Assert.That(e.Cycle.First(), Is.EqualTo(e.Cycle.Last()));
        Assert.That(e.Cycle.Distinct().OrderBy(x => x), Is.EqualTo(new[] { "b", "c", "d" }));
        // Consecutive names are real edges.
        var edges = new HashSet<(string, string)> { ("a", "b"), ("b", "c"), ("c", "d"), ("d", "b") };
        for (var i = 0; i + 1 < e.Cycle.Count; i++) Assert.That(edges, Does.Contain((e.Cycle[i], e.Cycle[i + 1])));
    }

    [Test]
    public void SelfLoop_IsACycle() =>
        Assert.Throws<CyclicGraphException>(() => new CausalGraph(new[] { "a" }, new[] { new[] { 0 } }));

    [Test]
    public void AncestorsAndDescendants_FollowDirectedPaths()
    {
        var g = Asia();
        Assert.That(g.Ancestors(g.IndexOf("dysp")).Select(g.Name).OrderBy(x => x),
            Is.EqualTo(new[] { "asia", "bronc", "either", "lung", "smoke", "tub" }));
        Assert.That(g.Descendants(g.IndexOf("smoke")).Select(g.Name).OrderBy(x => x),
            Is.EqualTo(new[] { "bronc", "dysp", "either", "lung", "xray" }));
        Assert.That(g.Ancestors(g.IndexOf("asia")), Is.Empty);
    }

    [Test]
    public void Mutilate_RemovesOnlyEdgesIntoTheIntervenedNodes()
    {
        var g = Asia();
        var m = g.Mutilate(new[] { g.IndexOf("either") });
        Assert.That(m.Parents(m.IndexOf("either")), Is.Empty);
        Assert.That(m.Children(m.IndexOf("either")).Select(m.Name).OrderBy(x => x), Is.EqualTo(new[] { "dysp", "xray" }));
        Assert.That(m.Edges().Count(), Is.EqualTo(g.Edges().Count() - 2));
    }
}
