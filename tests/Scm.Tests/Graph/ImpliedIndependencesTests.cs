using HybridSynth.Scm.Graph;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.Scm.Tests.Graph;

public class ImpliedIndependencesTests
{
    [Test]
    public void LocalMarkov_OnAlarm_Has1063Statements_AllDSeparated()
    {
        var g = BifReader.ReadFile(Paths.Bif("alarm")).Graph;
        var statements = ImpliedIndependences.LocalMarkov(g);
        Assert.That(statements, Has.Count.EqualTo(1063));
        foreach (var s in statements)
            Assert.That(DSeparation.AreDSeparated(g, s.X, s.Y, s.Z), s.Format(g));
    }

    [Test]
    public void LocalMarkov_OnAChain_IsTheTextbookList()
    {
        var g = CausalGraph.FromEdges(new[] { "a", "b", "c" }, new[] { ("a", "b"), ("b", "c") });
        var s = ImpliedIndependences.LocalMarkov(g).Select(x => x.Format(g)).ToList();
        Assert.That(s, Is.EqualTo(new[] { "c ⟂ a | b" }));
    }

    [Test]
    public void PairwiseMinimal_GivesSeparatingSetsFromWhichNoSubsetSeparates_OnRandomDags()
    {
        var rng = new Random(7);
        var pairs = 0;
        for (var trial = 0; trial < 40; trial++)
        {
            var g = RandomModels.Dag(rng, rng.Next(4, 9), 0.35);
            foreach (var s in ImpliedIndependences.PairwiseMinimal(g))
            {
                pairs++;
                Assert.That(g.Adjacent(s.X, s.Y), Is.False);
                Assert.That(DSeparation.AreDSeparated(g, s.X, s.Y, s.Z), Is.True, s.Format(g));
                // Inclusion-minimal: no proper subset separates (checked exhaustively).
                var z = s.Z.ToArray();
                for (var mask = 0; mask < (1 << z.Length) - 1; mask++)
                {
                    var subset = z.Where((_, i) => (mask & (1 << i)) != 0).ToArray();
                    Assert.That(DSeparation.AreDSeparated(g, s.X, s.Y, subset), Is.False, $"{s.Format(g)} is not minimal: [{string.Join(",", subset.Select(g.Name))}] separates");
                }
            }
        }
        Assert.That(pairs, Is.GreaterThan(100));
    }

    [Test]
    public void PairwiseMinimal_NonAdjacentPairsOnly_AndEveryOneOfThem()
    {
        var g = CausalGraph.FromEdges(new[] { "z", "a", "y", "c" }, new[] { ("z", "a"), ("z", "y"), ("a", "y"), ("a", "c"), ("y", "c") });
        var s = ImpliedIndependences.PairwiseMinimal(g);
        Assert.That(s.Select(x => x.Format(g)), Is.EqualTo(new[] { "z ⟂ c | a, y" }));
    }
}
