using HybridSynth.Scm.Errors;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Mechanisms;
using HybridSynth.Scm.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.Scm.Tests.IO;

public class BifReaderTests
{
    // Node and arc counts of the bnlearn repository networks.
    [TestCase("cancer", 5, 4)]
    [TestCase("earthquake", 5, 4)]
    [TestCase("survey", 6, 6)]
    [TestCase("asia", 8, 8)]
    [TestCase("sachs", 11, 17)]
    [TestCase("child", 20, 25)]
    [TestCase("insurance", 27, 52)]
    [TestCase("water", 32, 66)]
    [TestCase("mildew", 35, 46)]
    [TestCase("alarm", 37, 46)]
    [TestCase("barley", 48, 84)]
    [TestCase("hailfinder", 56, 66)]
    [TestCase("hepar2", 70, 123)]
    [TestCase("win95pts", 76, 112)]
    [TestCase("pathfinder", 109, 195)]
    [TestCase("munin1", 186, 273)]
    [TestCase("andes", 223, 338)]
    [TestCase("diabetes", 413, 602)]
    [TestCase("pigs", 441, 592)]
    [TestCase("link", 724, 1125)]
    [TestCase("munin2", 1003, 1244)]
    [TestCase("munin4", 1038, 1388)]
    [TestCase("munin3", 1041, 1306)]
    [TestCase("munin", 1041, 1397)]
    public void EveryRepositoryNetworkLoads(string network, int nodes, int arcs)
    {
        var model = BifReader.ReadFile(Paths.Bif(network));
        Assert.That(model.Count, Is.EqualTo(nodes));
        Assert.That(model.Graph.Edges().Count(), Is.EqualTo(arcs));
        foreach (var m in model.Mechanisms)
        {
            var cpt = (CptMechanism)m;
            for (var r = 0; r < cpt.RowCount; r++)
            {
                var sum = 0.0;
                for (var k = 0; k < cpt.Cardinality; k++) sum += cpt.Table[r * cpt.Cardinality + k];
                Assert.That(sum, Is.EqualTo(1.0).Within(1e-12));
            }
        }
    }

    [Test]
    public void Asia_HasThePublishedNumbers_MatchedByParentStateNames()
    {
        var m = BifReader.ReadFile(Paths.Bif("asia"));
        var dysp = (CptMechanism)m.Mechanisms[m.IndexOf("dysp")];
        // Parents in declared order (bronc, either); rows keyed by names: (no, yes) -> 0.7.
        Assert.That(dysp.Parents.Select(p => m[p].Name), Is.EqualTo(new[] { "bronc", "either" }));
        var row = new double[2];
        dysp.Probabilities(new double[] { 1, 0 }, row);
        Assert.That(row, Is.EqualTo(new[] { 0.7, 0.3 }).Within(1e-15));
        dysp.Probabilities(new double[] { 0, 1 }, row);
        Assert.That(row, Is.EqualTo(new[] { 0.8, 0.2 }).Within(1e-15));
    }

    [Test]
    public void StateNamesThatAreNotIdentifiers_AreKeptWhole()
    {
        var m = BifReader.ReadFile(Paths.Bif("child"));
        var states = m.Variables.SelectMany(v => v.Categorical.States).ToHashSet();
        Assert.That(states, Does.Contain("<5").And.Contain("5-12").And.Contain("12+").And.Contain("Asy/Patch"));
    }

    [Test]
    public void RowsWithinTolerance_AreRenormalised()
    {
        const string text = "network n {}\nvariable a { type discrete [ 2 ] { x, y }; }\nprobability ( a ) { table 0.3000004, 0.7; }\n";
        var m = BifReader.Read(text, "t.bif");
        var p = new double[2];
        ((ICategoricalMechanism)m.Mechanisms[0]).Probabilities(Array.Empty<double>(), p);
        Assert.That(p.Sum(), Is.EqualTo(1.0).Within(1e-15));
        Assert.That(p[0], Is.EqualTo(0.3000004 / 1.0000004).Within(1e-15));
    }

    private const string Header = "network n {\n}\nvariable a {\n  type discrete [ 2 ] { x, y };\n}\nvariable b {\n  type discrete [ 2 ] { u, v };\n}\n";

    // Each malformed input gives a located error: file:line:col and what was expected.
    [TestCase(Header + "probability ( a ) {\n  table 0.5, 0.5;\n}\nprobability ( b | c ) {\n  (x) 0.5, 0.5;\n}\n", 12, 19, "unknown parent 'c'")]
    [TestCase("variable a {\n  type discrete [ 2 ] { x, x };\n}\n", 2, 28, "duplicate state 'x'")]
    [TestCase(Header + "probability ( a ) {\n  table 0.5, 0.3, 0.2;\n}\nprobability ( b ) {\n  table 0.5, 0.5;\n}\n", 10, 3, "has 3 values; expected 2")]
    [TestCase(Header + "probability ( a ) {\n  table 0.5, abc;\n}\nprobability ( b ) {\n  table 0.5, 0.5;\n}\n", 10, 14, "expected a probability (a number), found 'abc'")]
    [TestCase(Header + "probability ( a | b ) {\n  (u) 0.5, 0.5;\n  (v) 0.5, 0.5;\n}\nprobability ( b | a ) {\n  (x) 0.5, 0.5;\n  (y) 0.5, 0.5;\n}\n", 13, 15, "directed cycle")]
    [TestCase(Header + "probability ( a ) {\n  table 0.5, 0.4;\n}\nprobability ( b ) {\n  table 0.5, 0.5;\n}\n", 10, 3, "sum to 0.9")]
    [TestCase(Header + "probability ( a ) {\n  table 0.5, 0.5;\n}\nprobability ( b | a ) {\n  (x) 0.5, 0.5;\n  (z) 0.5, 0.5;\n}\n", 14, 4, "'z' is not a state of 'a'")]
    [TestCase(Header + "probability ( a ) {\n  table 0.5, 0.5;\n}\nprobability ( b | a ) {\n  (x) 0.5, 0.5;\n}\n", 12, 15, "no row for (y)")]
    [TestCase(Header + "probability ( a ) {\n  table 0.5, 0.5;\n}\n", 6, 10, "'b' has no probability block")]
    [TestCase(Header + "probability ( a ) {\n  table 0.5, 0.5\n}\n", 11, 1, "expected ',' or ';'")]
    [TestCase("variable a {\n  type discrete [ 3 ] { x, y };\n}\n", 2, 19, "declares 3 states but lists 2")]
    [TestCase("variable a {\n  type discrete [ 2 ] { x, y };\n", 2, 32, "unexpected end of file")]
    [TestCase("varable a {}\n", 1, 1, "expected 'network', 'variable' or 'probability'")]
    public void MalformedBif_GivesLocatedError(string text, int line, int col, string expected)
    {
        var e = Assert.Throws<SpecException>(() => BifReader.Read(text, "bad.bif"))!;
        Assert.That(e.ToOneLine(), Does.StartWith($"bad.bif:{line}:{col}: "));
        Assert.That(e.Message, Does.Contain(expected));
        Assert.That(e.ToOneLine(), Does.Not.Contain("\n"));
    }

    // A large table is read from slices of the text: no string, token list or row name per number or row. 3 parents of 10
    // states and a child of 10 states are 10,000 numbers of 12 characters. Today's reader allocates about 89 bytes a number:
    // the table, its copy and the cumulative table the mechanism keeps (24), the growing lists of numbers (26), of the rows'
    // parent states (26) and of rows (10). The reader before it allocated 294 (a string and a token per number and per comma);
    // naming every row for an error it might not raise, 137.
    [Test]
    public void ALargeTable_IsReadWithoutAStringPerNumber()
    {
        var states = string.Join(", ", Enumerable.Range(0, 10).Select(i => $"s{i}"));
        var text = new System.Text.StringBuilder("network big {}\n");
        foreach (var v in new[] { "p", "q", "r", "c" }) text.Append($"variable {v} {{ type discrete [ 10 ] {{ {states} }}; }}\n");
        foreach (var v in new[] { "p", "q", "r" }) text.Append($"probability ( {v} ) {{ table {string.Join(", ", Enumerable.Repeat("0.1000000000", 10))}; }}\n");
        text.Append("probability ( c | p, q, r ) {\n");
        for (var row = 0; row < 1000; row++)
            text.Append($"  (s{row / 100}, s{row / 10 % 10}, s{row % 10}) {string.Join(", ", Enumerable.Repeat("0.1000000000", 10))};\n");
        text.Append("}\n");
        var bif = text.ToString();
        BifReader.Read(bif, "big.bif"); // compiled once before the count
        var before = GC.GetAllocatedBytesForCurrentThread();
        var model = BifReader.Read(bif, "big.bif");
        var perNumber = (GC.GetAllocatedBytesForCurrentThread() - before) / 10_030.0;
        Assert.That(((CptMechanism)model.Mechanisms[3]).Table.ToArray(), Has.All.EqualTo(0.1).Within(1e-15));
        Assert.That(perNumber, Is.LessThan(120), $"bytes allocated a number, for a text of {bif.Length} characters");
    }
}
