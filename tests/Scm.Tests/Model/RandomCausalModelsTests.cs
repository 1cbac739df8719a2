using HybridSynth.Scm.Errors;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Mechanisms;
using HybridSynth.Scm.Model;
using NUnit.Framework;

namespace HybridSynth.Scm.Tests.Model;

/// <summary>Random models: determined by their seed, with the graph density, degree tail and CPT law the options say.</summary>
public class RandomCausalModelsTests
{
    [Test]
    public void TheSameSpec_GivesTheSameModel_AndAnotherSeedAnother()
    {
        const string spec = "random:er:nodes=40,degree=2,states=2-4,seed=7";
        var a = SpecLoader.Load(spec);
        var b = SpecLoader.Load(spec);
        Assert.That(JsonSpecWriter.Write(b.Model), Is.EqualTo(JsonSpecWriter.Write(a.Model)));
        Assert.That(a.Sha256, Is.EqualTo(b.Sha256));
        Assert.That(JsonSpecWriter.Write(SpecLoader.Load("random:er:nodes=40,degree=2,states=2-4,seed=8").Model), Is.Not.EqualTo(JsonSpecWriter.Write(a.Model)));
        Assert.That(a.Model.Variables.All(v => v.Cardinality is >= 2 and <= 4));
        Assert.That(a.Model.Variables.Select(v => v.Cardinality).Distinct().Count(), Is.EqualTo(3), "every state count of the range occurs");
    }

    [Test]
    public void ErdosRenyi_HasTheExpectedDegree()
    {
        // E[edges] = n·d/2 = 1000 for n = 1000, d = 2; SD ≈ √1000 ≈ 32 (binomial), so within 5 SD.
        var m = RandomCausalModels.Create(new RandomModelOptions(RandomGraphKind.ErdosRenyi, 1000, 2, 3, Gaussian: true));
        var edges = m.Graph.Edges().Count();
        Assert.That(edges, Is.EqualTo(1000).Within(5 * Math.Sqrt(1000)));
        // The causal order is a random permutation: about half the edges point from a higher index to a lower one.
        var backwards = m.Graph.Edges().Count(e => e.Parent > e.Child);
        Assert.That(backwards, Is.EqualTo(edges / 2.0).Within(5 * Math.Sqrt(edges / 4.0)));
    }

    [Test]
    public void ScaleFree_HasHubs_ThatErdosRenyiLacks()
    {
        var sf = RandomCausalModels.Create(new RandomModelOptions(RandomGraphKind.ScaleFree, 500, 2, 5, Gaussian: true));
        var er = RandomCausalModels.Create(new RandomModelOptions(RandomGraphKind.ErdosRenyi, 500, 2, 5, Gaussian: true));
        int MaxDegree(CausalModel m) => Enumerable.Range(0, m.Count).Max(v => m.Graph.Parents(v).Count + m.Graph.Children(v).Count);
        Assert.That(sf.Graph.Edges().Count(), Is.EqualTo(499), "one parent per node after the first (⌈d/2⌉ = 1)");
        Assert.That(MaxDegree(sf), Is.GreaterThan(2 * MaxDegree(er)), "preferential attachment makes hubs");
    }

    [Test]
    public void DirichletRows_HaveTheDirichletMean()
    {
        // Dirichlet(1, 1, 1) rows: each entry has mean 1/3 and variance (1/3)(2/3)/4 = 1/18.
        var m = RandomCausalModels.Create(new RandomModelOptions(RandomGraphKind.ErdosRenyi, 200, 3, 11, MinStates: 3, MaxStates: 3));
        var entries = new List<double>();
        for (var v = 0; v < m.Count; v++)
        {
            var (_, _, table) = ModelTables.Of(m, v);
            for (var r = 0; r < table.Length / 3; r++) entries.Add(table[r * 3]);
        }
        Assert.That(entries.Average(), Is.EqualTo(1.0 / 3).Within(5 * Math.Sqrt(1.0 / 18 / entries.Count)));
        var variance = entries.Average(x => (x - 1.0 / 3) * (x - 1.0 / 3));
        Assert.That(variance, Is.EqualTo(1.0 / 18).Within(0.15 / 18), $"{entries.Count} entries");
        Assert.That(m.Mechanisms.All(x => x is CptMechanism));
    }

    [TestCase("random:er:nodes=10,seed=1", "degree is required")]
    [TestCase("random:er:nodes=10,degree=1", "seed is required")]
    [TestCase("random:xx:nodes=10,degree=1,seed=1", "unknown graph family")]
    [TestCase("random:er:nodes=10,degre=1,seed=1", "did you mean degree?")]
    [TestCase("random:er:nodes=10,degree=1,seed=1,states=1-3", "states must be a range")]
    public void BadSpecs_AreOneLineErrors(string spec, string message)
    {
        var e = Assert.Catch(() => SpecLoader.Load(spec))!;
        Assert.That(e, Is.InstanceOf<SpecException>().Or.InstanceOf<ModelException>());
        Assert.That(e.Message, Does.Contain(message));
    }
}
