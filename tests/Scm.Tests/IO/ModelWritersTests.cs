using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Graph;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Mechanisms;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.Scm.Tests.IO;

/// <summary>BIF and JSON spec writers round-trip through our readers to the same model, tables to the bit; graph exports.</summary>
public class ModelWritersTests
{
    /// <param name="bitExact">False when the tables went through a reader: both readers renormalise every row, and a
    /// written row sums to 1 only within a few ulps, so a value may move by a few ulps (relative 1e-14 at most).</param>
    private static void AssertSameModel(CausalModel a, CausalModel b, bool bitExact = true)
    {
        Assert.That(b.Name, Is.EqualTo(a.Name));
        Assert.That(b.Variables.Select(v => v.Name), Is.EqualTo(a.Variables.Select(v => v.Name)));
        for (var v = 0; v < a.Count; v++)
        {
            Assert.That(b[v].Categorical.States, Is.EqualTo(a[v].Categorical.States), a[v].Name);
            var (pa, ca, ta) = ModelTables.Of(a, v);
            var (pb, cb, tb) = ModelTables.Of(b, v);
            Assert.That(pb.Select(p => b[p].Name), Is.EqualTo(pa.Select(p => a[p].Name)), $"{a[v].Name}: parents in the mechanism's order");
            Assert.That(cb, Is.EqualTo(ca));
            if (bitExact) Assert.That(tb.Select(BitConverter.DoubleToInt64Bits), Is.EqualTo(ta.Select(BitConverter.DoubleToInt64Bits)), $"{a[v].Name}: the table to the bit");
            else for (var j = 0; j < ta.Length; j++) Assert.That(tb[j], Is.EqualTo(ta[j]).Within(1e-14 * ta[j]), $"{a[v].Name}[{j}]: within a few ulps");
        }
    }

    public static IEnumerable<string> Networks() =>
        Paths.SharedRoot is null ? ["asia"] : Directory.GetFiles(Path.Combine(Paths.SharedRoot, "data", "bif"), "*.bif").Select(f => Path.GetFileNameWithoutExtension(f)!).Order();

    [TestCaseSource(nameof(Networks))]
    public void EveryBnlearnNetwork_RoundTripsThroughBifAndJson(string network)
    {
        var original = BifReader.ReadFile(Paths.Bif(network));
        AssertSameModel(original, BifReader.Read(BifWriter.Write(original), network + ".bif"), bitExact: false);
        AssertSameModel(original, JsonSpecReader.Read(JsonSpecWriter.Write(original), network + ".json"), bitExact: false);
    }

    [Test]
    public void TheJsonSpec_KeepsRolesDescriptionsAndContinuousMechanisms()
    {
        foreach (var spec in new[] { "clinical.json", "linear_gaussian.json", "confounder.json" })
        {
            var m = SpecLoader.Load(Paths.Dag(spec)).Model;
            var back = JsonSpecReader.Read(JsonSpecWriter.Write(m), spec);
            Assert.That(back.Variables, Is.EqualTo(m.Variables).Using<HybridSynth.Scm.Variables.Variable>((x, y) => x.Name == y.Name && x.Role == y.Role && x.Hidden == y.Hidden
                && x.Description == y.Description && x.EventState == y.EventState && x.Domain.Equals(y.Domain)), spec);
            // The same sample, unit for unit: the same mechanisms with the same parameters.
            var a = new HybridSynth.Scm.Sampling.AncestralSampler(m, 3).SampleRange(0, 200).Columns;
            var b = new HybridSynth.Scm.Sampling.AncestralSampler(back, 3).SampleRange(0, 200).Columns;
            Assert.That(b, Is.EqualTo(a), spec);
        }
    }

    [Test]
    public void WhatAFormatCannotHold_IsAModelError()
    {
        var clinical = SpecLoader.Load(Paths.Dag("clinical.json")).Model;
        Assert.That(Assert.Throws<ModelException>(() => BifWriter.Write(clinical))!.Message, Does.Contain("continuous"));
        var xu = SpecLoader.Load(Paths.Dag("xu_dgp.json")).Model;
        Assert.That(Assert.Throws<ModelException>(() => JsonSpecWriter.Write(xu))!.Message, Does.Contain("cannot be written").Or.Contain("cannot express"));
        var spaced = JsonSpecReader.Read("""{"variables": [{"name": "a b", "states": ["x", "y"], "mechanism": {"type": "cpt", "table": [[0.5, 0.5]]}}]}""", "s.json");
        Assert.That(Assert.Throws<ModelException>(() => BifWriter.Write(spaced))!.Message, Does.Contain("'a b'"));
    }

    [Test]
    public void GraphExports_ListEveryNodeAndEdge()
    {
        var g = SpecLoader.Load("builtin:asia").Model.Graph;
        var dot = GraphFormats.Dot(g, "asia");
        Assert.That(dot, Does.StartWith("digraph \"asia\" {\n").And.EndWith("}\n"));
        foreach (var (p, c) in g.Edges()) Assert.That(dot, Does.Contain($"\"{g.Name(p)}\" -> \"{g.Name(c)}\";"));
        Assert.That(dot.Split("->").Length - 1, Is.EqualTo(g.Edges().Count()));
        var gml = GraphFormats.Gml(g, "asia");
        Assert.That(gml.Split("node [").Length - 1, Is.EqualTo(8));
        Assert.That(gml.Split("edge [").Length - 1, Is.EqualTo(8));
        Assert.That(gml, Does.Contain("directed 1"));
        var rows = GraphFormats.AdjacencyCsv(g).TrimEnd('\n').Split('\n');
        Assert.That(rows, Has.Length.EqualTo(9));
        Assert.That(rows[0], Is.EqualTo(",asia,tub,smoke,lung,bronc,either,xray,dysp"));
        for (var p = 0; p < g.Count; p++)
        {
            var cells = rows[p + 1].Split(',');
            Assert.That(cells[0], Is.EqualTo(g.Name(p)));
            for (var c = 0; c < g.Count; c++) Assert.That(cells[c + 1], Is.EqualTo(g.HasEdge(p, c) ? "1" : "0"));
        }
        // The DOT text goes back through QuikGraph-compatible names: a quote in a name is escaped.
        Assert.That(GraphFormats.Dot(CausalGraph.FromEdges(["a\"b", "c"], [("a\"b", "c")]), "q"), Does.Contain("\"a\\\"b\" -> \"c\""));
    }

    [Test]
    public void BnlearnNames_ResolveThroughTheRegistry()
    {
        if (Paths.SharedRoot is null) Assert.Ignore("needs ../shared (the bnlearn networks)");
        var previous = Environment.GetEnvironmentVariable("HYBRIDSYNTH_NETWORKS");
        try
        {
            Environment.SetEnvironmentVariable("HYBRIDSYNTH_NETWORKS", Path.Combine(Paths.SharedRoot, "data", "bif"));
            var loaded = SpecLoader.Load("bnlearn:alarm");
            Assert.That(loaded.Path, Is.EqualTo("bnlearn:alarm"), "the manifest records the name, not a machine's path");
            Assert.That(loaded.Model.Count, Is.EqualTo(37));
            Assert.That(NetworkRegistry.Names, Does.Contain("alarm").And.Contain("munin"));
            var e = Assert.Throws<InputFileException>(() => SpecLoader.Load("bnlearn:alrm"))!;
            Assert.That(e.Message, Does.Contain("did you mean alarm?"));
            Assert.Throws<InputFileException>(() => SpecLoader.Load("bnlearn:../asia"));
            Environment.SetEnvironmentVariable("HYBRIDSYNTH_NETWORKS", "/no/such/folder");
            Assert.Throws<InputFileException>(() => SpecLoader.Load("bnlearn:alarm"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("HYBRIDSYNTH_NETWORKS", previous);
        }
    }
}
