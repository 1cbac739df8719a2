using HybridSynth.Scm.IO;
using HybridSynth.Scm.Sampling;
using HybridSynth.Scm.Tables;
using HybridSynth.Scm.Tests.Support;
using HybridSynth.Scm.Variables;
using Newtonsoft.Json.Linq;
using NUnit.Framework;

namespace HybridSynth.Scm.Tests.IO;

public class TableWriterTests
{
    [TestCase("csv")]
    [TestCase("jsonl")]
    public void Output_IsByteIdentical_ForAnyThreadCountAndChunkSize(string format)
    {
        var m = SpecLoader.Load(Paths.Dag("clinical.json")).Model;
        var contrast = HybridSynth.Scm.Inference.TreatmentContrast.Resolve(m, null, null);
        var dir = Paths.TempDir();
        var hashes = new List<string>();
        foreach (var (threads, chunk) in new[] { (1, 65536), (2, 1000), (2, 7), (1, 333) })
        {
            var job = SampleJobs.Sample(m, 5000, 42, new SamplingOptions { Threads = threads, ChunkSize = chunk, IncludeNoise = true }, contrast);
            var path = Path.Combine(dir, $"t{threads}-c{chunk}.{format}");
            hashes.Add(TableFormats.WriteJob(format, path, job).Sha256);
        }
        Assert.That(hashes.Distinct().Count(), Is.EqualTo(1));
    }

    [Test]
    public void Csv_QuotesFieldsThatNeedIt_AndRoundTripsNumbers()
    {
        var dir = Paths.TempDir();
        var path = Path.Combine(dir, "q.csv");
        var schema = new[]
        {
            new ColumnSchema("a,b", new CategoricalDomain(new[] { "x \"y\"", "plain" }), ColumnRoles.Covariate),
            new ColumnSchema("v", ContinuousDomain.Instance, ColumnRoles.Covariate),
        };
        using (var w = new CsvTableWriter(path, schema))
        {
            w.Write(new RowBlock(0, 2, new[] { new double[] { 0, 1 }, new[] { 0.1 + 0.2, -1e-300 } }));
            w.Commit();
        }
        var lines = File.ReadAllLines(path);
        Assert.That(lines[0], Is.EqualTo("\"a,b\",v"));
        Assert.That(lines[1], Is.EqualTo("\"x \"\"y\"\"\",0.30000000000000004"));
        Assert.That(double.Parse(lines[2].Split(',')[1], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(-1e-300));
    }

    [Test]
    public void Jsonl_IsOneValidObjectPerLine()
    {
        var m = SpecLoader.Load(SpecLoader.DefaultSpec).Model;
        var path = Path.Combine(Paths.TempDir(), "a.jsonl");
        TableFormats.WriteJob("jsonl", path, SampleJobs.Sample(m, 10, 1, new SamplingOptions(), null));
        var lines = File.ReadAllLines(path);
        Assert.That(lines, Has.Length.EqualTo(10));
        foreach (var line in lines)
        {
            var o = JObject.Parse(line);
            Assert.That(o.Properties().Select(p => p.Name), Is.EqualTo(m.Variables.Select(v => v.Name)));
            Assert.That(o.Value<string>("asia"), Is.AnyOf("yes", "no"));
        }
    }

    [Test]
    public void FailedWrite_LeavesNoFile_NorTemporaryFile()
    {
        var dir = Paths.TempDir();
        var path = Path.Combine(dir, "fail.csv");
        var schema = new[] { new ColumnSchema("v", ContinuousDomain.Instance, ColumnRoles.Covariate) };
        IEnumerable<RowBlock> Blocks()
        {
            yield return new RowBlock(0, 1, new[] { new[] { 1.0 } });
            throw new InvalidOperationException("interrupted");
        }
        Assert.Throws<InvalidOperationException>(() => TableFormats.WriteJob("csv", path, new TableJob(schema, Blocks())));
        Assert.That(Directory.GetFiles(dir), Is.Empty);
    }

    [Test]
    public void Commit_ReplacesAnExistingFileOnlyAtTheEnd()
    {
        var dir = Paths.TempDir();
        var path = Path.Combine(dir, "x.csv");
        File.WriteAllText(path, "old");
        var schema = new[] { new ColumnSchema("v", ContinuousDomain.Instance, ColumnRoles.Covariate) };
        using (var w = new CsvTableWriter(path, schema))
        {
            w.Write(new RowBlock(0, 1, new[] { new[] { 2.5 } }));
            Assert.That(File.ReadAllText(path), Is.EqualTo("old"));
            w.Commit();
        }
        Assert.That(File.ReadAllText(path), Is.EqualTo("v\n2.5\n"));
    }
}
