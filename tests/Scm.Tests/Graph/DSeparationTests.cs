using HybridSynth.Scm.Graph;
using HybridSynth.Scm.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.Scm.Tests.Graph;

public class DSeparationTests
{
    private static CausalGraph Asia() => CausalGraph.FromEdges(
        new[] { "asia", "tub", "smoke", "lung", "bronc", "either", "xray", "dysp" },
        new[] { ("asia", "tub"), ("smoke", "lung"), ("smoke", "bronc"), ("lung", "either"), ("tub", "either"), ("either", "xray"), ("bronc", "dysp"), ("either", "dysp") });

    // Hand-checked on the Asia graph.
    [TestCase("asia", "smoke", "", true)]               // two roots
    [TestCase("tub", "lung", "", true)]                 // only trail through the collider 'either'
    [TestCase("tub", "lung", "either", false)]          // conditioning on the collider opens it
    [TestCase("tub", "lung", "xray", false)]            // ... and so does a descendant of it
    [TestCase("tub", "lung", "dysp", false)]
    [TestCase("asia", "xray", "tub", true)]             // chain blocked
    [TestCase("asia", "xray", "", false)]
    [TestCase("lung", "bronc", "smoke", true)]          // fork blocked
    [TestCase("lung", "bronc", "", false)]
    [TestCase("lung", "bronc", "smoke,dysp", false)]    // dysp is a collider on lung-either-dysp-bronc
    [TestCase("xray", "dysp", "either", true)]
    [TestCase("xray", "bronc", "either", true)]
    [TestCase("xray", "smoke", "either", true)]
    [TestCase("asia", "dysp", "either,smoke", true)]
    [TestCase("asia", "bronc", "dysp", false)]          // asia→tub→either→dysp←bronc: the collider dysp is given
    [TestCase("asia", "bronc", "", true)]
    public void AsiaCases(string x, string y, string z, bool separated)
    {
        var g = Asia();
        var zs = z.Length == 0 ? Array.Empty<int>() : z.Split(',').Select(g.IndexOf).ToArray();
        Assert.That(DSeparation.AreDSeparated(g, g.IndexOf(x), g.IndexOf(y), zs), Is.EqualTo(separated));
    }

    [Test]
    public void AgreesWithBruteForcePathEnumeration_OnRandomDags()
    {
        var rng = new Random(20261125);
        var checkedCases = 0;
        var separatedCount = 0;
        for (var trial = 0; trial < 60; trial++)
        {
            var n = rng.Next(3, 9);
            var g = RandomModels.Dag(rng, n, rng.NextDouble() * 0.6 + 0.1);
            for (var q = 0; q < 20; q++)
            {
                var x = rng.Next(n);
                var y = rng.Next(n);
                if (x == y) continue;
                var z = Enumerable.Range(0, n).Where(v => v != x && v != y && rng.NextDouble() < 0.35).ToArray();
                var expected = !BruteForceConnected(g, x, y, z);
                Assert.That(DSeparation.AreDSeparated(g, x, y, z), Is.EqualTo(expected), $"trial {trial}: {x} vs {y} given [{string.Join(",", z)}]");
                checkedCases++;
                if (expected) separatedCount++;
            }
        }
        // Both outcomes must actually occur, or the comparison proves little.
        Assert.That(separatedCount, Is.GreaterThan(checkedCases / 10));
        Assert.That(separatedCount, Is.LessThan(checkedCases * 9 / 10));
    }

    /// <summary>Is some simple path between x and y active given z? (collider: active iff it or a descendant is in z; other nodes: active iff not in z).</summary>
    private static bool BruteForceConnected(CausalGraph g, int x, int y, int[] z)
    {
        var zs = new HashSet<int>(z);
        var path = new List<int> { x };
        var onPath = new HashSet<int> { x };
        bool Search(int v)
        {
            if (v == y) return Active(g, path, zs);
            foreach (var w in g.Parents(v).Concat(g.Children(v)))
            {
                if (onPath.Contains(w)) continue;
                path.Add(w); onPath.Add(w);
                if (Search(w)) return true;
                path.RemoveAt(path.Count - 1); onPath.Remove(w);
            }
            return false;
        }
        return Search(x);
    }

    private static bool Active(CausalGraph g, List<int> path, HashSet<int> z)
    {
        for (var i = 1; i + 1 < path.Count; i++)
        {
            var (a, v, b) = (path[i - 1], path[i], path[i + 1]);
            var collider = g.HasEdge(a, v) && g.HasEdge(b, v);
            if (collider)
            {
                if (!z.Contains(v) && !g.Descendants(v).Overlaps(z)) return false;
            }
            else if (z.Contains(v)) return false;
        }
        return true;
    }
}
