using System.Text;
using HybridSynth.Scm.Errors;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Mechanisms;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Variables;
using NUnit.Framework;

namespace HybridSynth.Scm.Tests.IO;

/// <summary>The streaming table reader: RFC 4180 details, located errors, and files far longer than its buffer.</summary>
public class CsvTableReaderTests
{
    private static readonly CausalModel Model = new("m",
        new[] { new Variable("c", new CategoricalDomain(new[] { "yes", "no, really", "q\"uote" })), new Variable("x", ContinuousDomain.Instance) },
        new IMechanism[] { new CptMechanism(Array.Empty<int>(), Array.Empty<int>(), 3, new[] { 0.2, 0.3, 0.5 }), new LinearGaussianMechanism(Array.Empty<int>(), 0, Array.Empty<double>(), 1) });

    private static string Write(string text, bool bom = false)
    {
        var path = Path.Combine(Path.GetTempPath(), $"hs-csvreader-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, text, new UTF8Encoding(bom));
        return path;
    }

    [Test]
    public void QuotedFields_LineEnds_BlankLines_ExtraColumns_AndABom()
    {
        var text = "x,other,c\r\n1.5,\"a,b\",yes\n\n-2e3,\"multi\nline\",\"no, really\"\r-0,z,\"q\"\"uote\"\n";
        foreach (var bom in new[] { false, true })
        {
            var (table, missing) = CsvTableReader.Read(Write(text, bom), Model);
            Assert.That(missing, Is.Empty);
            Assert.That(table.RowCount, Is.EqualTo(3));
            Assert.That(table.Codes(table.IndexOf("c")), Is.EqualTo(new[] { 0, 1, 2 }));
            Assert.That(table.Values(table.IndexOf("x")), Is.EqualTo(new[] { 1.5, -2000, -0.0 }));
        }
        var (fromText, _) = CsvTableReader.Parse(text, "t.csv", Model);
        Assert.That(fromText.Codes(fromText.IndexOf("c")), Is.EqualTo(new[] { 0, 1, 2 }));
    }

    [TestCase("c,x\nyes,1\nmaybe,2\n", 3, 1, "'maybe' is not a state of 'c'")]
    [TestCase("c,x\nyes,1\nyes,1e200\n", 3, 5, "too large")]
    [TestCase("c,x\nyes,NaN\n", 2, 5, "expected a finite number for 'x', found 'NaN'")]
    [TestCase("c,x\nyes,1,3\n", 2, 1, "the row has 3 fields; the header has 2")]
    [TestCase("c,x\n\"yes,1\n", 2, 1, "a quoted field is not closed")]
    [TestCase("c,x\n\"yes\"x,1\n", 2, 6, "expected ',' or the end of the line")]
    [TestCase("c,x,c\nyes,1,no\n", 1, 5, "column 'c' appears twice")]
    [TestCase("", 1, 1, "the file is empty")]
    [TestCase("o,c,x\n\"multi\nline\",yes,zz\n", 3, 11, "expected a finite number for 'x', found 'zz'")]
    public void BadCells_AreLocated(string text, int line, int column, string message)
    {
        var path = Write(text);
        var e = Assert.Throws<SpecException>(() => CsvTableReader.Read(path, Model))!;
        Assert.That(e.ToOneLine(), Does.StartWith($"{path}:{line}:{column}:").And.Contain(message));
    }

    [Test]
    public void InvalidUtf8_IsALocatedError()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hs-csvreader-{Guid.NewGuid():N}.csv");
        File.WriteAllBytes(path, Encoding.ASCII.GetBytes("c,x\nyes,1\n").Concat(new byte[] { 0xff, 0xfe, 0x2c, 0x31, 0x0a }).ToArray());
        Assert.That(Assert.Throws<SpecException>(() => CsvTableReader.Read(path, Model))!.ToOneLine(), Does.Contain("not valid UTF-8"));
    }

    [Test]
    public void AFileManyBuffersLong_WithQuotedFieldsAcrossBufferEdges_ReadsEveryRow()
    {
        // 200,000 rows (≈ 4 MB, 60 buffers of 64 Ki chars, 3 column chunks): each value is known from its row number.
        var rng = new Random(5);
        var sb = new StringBuilder("c,x\n");
        var codes = new int[200_000];
        var values = new double[codes.Length];
        for (var i = 0; i < codes.Length; i++)
        {
            codes[i] = rng.Next(3);
            values[i] = Math.Round(rng.NextDouble() * 1000 - 500, 3);
            sb.Append(codes[i] switch { 0 => "yes", 1 => "\"no, really\"", _ => "\"q\"\"uote\"" }).Append(',').Append(values[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        }
        var (table, _) = CsvTableReader.Read(Write(sb.ToString()), Model);
        Assert.That(table.RowCount, Is.EqualTo(codes.Length));
        Assert.That(table.Codes(table.IndexOf("c")), Is.EqualTo(codes));
        Assert.That(table.Values(table.IndexOf("x")), Is.EqualTo(values));
    }
}
