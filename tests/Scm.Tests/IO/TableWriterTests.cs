using HybridSynth.Scm.Inference;
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
    [TestCase("parquet")]
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

    [TestCase("csv")]
    [TestCase("jsonl")]
    public void CellStores_WriteWhatAPlainFormatterWrites_ForEveryCellWidth_NonFiniteNumbers_AndEitherPath(string format)
    {
        // States of 1 to 40 bytes (across the one- and two-word stores and the copy), quotes, multi-byte text, and numbers
        // with NaN and ±∞: the bytes of a plain string formatter written here, by Write and by Format alike.
        string[] states = ["a", "seven77", "exactly8", "sixteen-bytes-16", "seventeen-bytes-17", "x \"quoted\", with comma", "état é", new string('w', 40)];
        var schema = new[]
        {
            new ColumnSchema("s", new CategoricalDomain(states), ColumnRoles.Covariate),
            new ColumnSchema("v", ContinuousDomain.Instance, ColumnRoles.Covariate),
            new ColumnSchema("t", new CategoricalDomain(["no", "yes"]), ColumnRoles.Covariate),
        };
        var rng = new Random(3);
        double[] numbers = [0.1 + 0.2, -1e-300, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 12345678901234567890.0, -0.0, 42];
        var rows = 3000;
        var cols = new[] { new double[rows], new double[rows], new double[rows] };
        for (var i = 0; i < rows; i++)
        {
            cols[0][i] = rng.Next(states.Length);
            cols[1][i] = numbers[rng.Next(numbers.Length)];
            cols[2][i] = rng.Next(2);
        }
        var expected = new System.Text.StringBuilder();
        string Json(string x) => Newtonsoft.Json.JsonConvert.ToString(x);
        string Number(double x) => x.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        if (format == "csv") expected.Append("s,v,t\n");
        for (var i = 0; i < rows; i++)
        {
            var (st, v, t) = (states[(int)cols[0][i]], cols[1][i], cols[2][i] == 1 ? "yes" : "no");
            expected.Append(format == "csv"
                ? $"{CsvTableWriter.Quote(st)},{(double.IsFinite(v) ? Number(v) : "")},{t}\n"
                : $"{{\"s\":{Json(st)},\"v\":{(double.IsFinite(v) ? Number(v) : "null")},\"t\":{Json(t)}}}\n");
        }
        var dir = Paths.TempDir();
        RowBlock Block(int first, int count) => new(first, count, cols.Select(c => c.AsSpan(first, count).ToArray()).ToList());
        foreach (var parallel in new[] { false, true })
        {
            var path = Path.Combine(dir, $"cells-{parallel}.{format}");
            using (var w = (Utf8TableWriter)TableFormats.Open(format, path, schema))
            {
                // Blocks of unequal sizes, so that pooled buffers of one block are reused by a larger and a smaller one.
                foreach (var (first, count) in new[] { (0, 500), (500, 1500), (2000, 10), (2010, 990) })
                    if (parallel) w.WriteFormatted(w.Format(Block(first, count)));
                    else w.Write(Block(first, count));
                w.Commit();
            }
            Assert.That(File.ReadAllText(path), Is.EqualTo(expected.ToString()), $"parallel: {parallel}");
        }
    }

    [TestCase("csv", 1)]
    [TestCase("csv", 7)]
    [TestCase("csv", 3000)]
    public void ShortCategoricalCells_TiledPath_WritesWhatAPlainFormatterWrites(string format, int width)
    {
        // Every cell categorical and at most 16 bytes (the tiled path, two stores a cell; in practice CSV, since JSON Lines
        // cells carry their keys): widths that give tiles of 8192, 1170 and 32 rows (the floor: 3,000 columns would give 2), block lengths that tiles do not
        // divide, quotes and multi-byte text.
        string[] states = ["a", "seven77", "exactly8", "état é", "x \"q\"", "ninebytes"];
        var domains = Enumerable.Range(0, width).Select(c => states.Skip(c % 3).Take(2 + c % 4).ToArray()).ToArray();
        var schema = domains.Select((d, c) => new ColumnSchema($"c{c}", new CategoricalDomain(d), ColumnRoles.Covariate)).ToArray();
        var rng = new Random(width);
        var rows = width > 100 ? 40 : 3001;
        var cols = domains.Select(d => Enumerable.Range(0, rows).Select(_ => (double)rng.Next(d.Length)).ToArray()).ToArray();
        string Json(string x) => Newtonsoft.Json.JsonConvert.ToString(x);
        var expected = new System.Text.StringBuilder();
        if (format == "csv") expected.Append(string.Join(",", schema.Select(c => c.Name))).Append('\n');
        for (var i = 0; i < rows; i++)
        {
            var cells = Enumerable.Range(0, width).Select(c => domains[c][(int)cols[c][i]]);
            expected.Append(format == "csv" ? string.Join(",", cells.Select(CsvTableWriter.Quote))
                : "{" + string.Join(",", cells.Select((x, c) => $"{Json($"c{c}")}:{Json(x)}")) + "}").Append('\n');
        }
        var dir = Paths.TempDir();
        RowBlock Block(int first, int count) => new(first, count, cols.Select(c => c.AsSpan(first, count).ToArray()).ToList());
        var path = Path.Combine(dir, $"short-{width}.{format}");
        using (var w = (Utf8TableWriter)TableFormats.Open(format, path, schema))
        {
            foreach (var (first, count) in new[] { (0, rows / 3), (rows / 3, rows - rows / 3 - 1), (rows - 1, 1) })
                w.WriteFormatted(w.Format(Block(first, count)));
            w.Commit();
        }
        Assert.That(File.ReadAllText(path), Is.EqualTo(expected.ToString()));

        // A code outside its column's states is refused, not written as a cell of the next column.
        using var bad = (Utf8TableWriter)TableFormats.Open(format, Path.Combine(dir, $"bad-{width}.{format}"), schema);
        var wrong = cols.Select(c => c.Take(1).ToArray()).ToList();
        wrong[^1][0] = domains[^1].Length;
        Assert.Throws<ArgumentException>(() => bad.Format(new RowBlock(0, 1, wrong)));
    }

    [Test]
    public void ShortCategoricalCells_RefuseEveryBadCode_InTheVectorGroupsAndInTheTail(
        [Values(3.0, -1.0, double.NaN, 1.5, double.PositiveInfinity, 1e10, -0.5)] double bad)
    {
        // 37 rows: four groups of eight codes at once and a tail of five; a bad code at a group's edges, inside one, and in the tail.
        var schema = new[] { 2, 3, 4 }.Select((k, c) => new ColumnSchema($"c{c}", new CategoricalDomain(Enumerable.Range(0, k).Select(i => $"s{i}").ToList()), ColumnRoles.Covariate)).ToArray();
        using var w = (Utf8TableWriter)TableFormats.Open("csv", Path.Combine(Paths.TempDir(), "bad.csv"), schema);
        foreach (var row in new[] { 0, 5, 7, 8, 31, 32, 36 })
        {
            var cols = new[] { 2, 3, 4 }.Select(k => Enumerable.Range(0, 37).Select(i => (double)(i % k)).ToArray()).ToArray();
            Assert.DoesNotThrow(() => w.Format(new RowBlock(0, 37, cols)));
            cols[1][row] = bad;
            var e = Assert.Throws<ArgumentException>(() => w.Format(new RowBlock(0, 37, cols)), $"row {row}");
            Assert.That(e!.Message, Does.Contain("column 1"));
        }
    }

    [TestCase("csv")]
    [TestCase("jsonl")]
    public void RecycledColumns_GiveTheSameBytes_AndAreReused_OnceEachBlockIsWritten(string format)
    {
        var m = SpecLoader.Load(Paths.Dag("asia.json")).Model;
        Recycling.GivesTheSameBytes_AndReusesItsArrays(format, (options, n) => SampleJobs.Sample(m, n, 9, options, null), "asia");
    }

    [TestCase("csv")]
    [TestCase("jsonl")]
    public void RecycledColumns_WithPotentialOutcomes_GiveTheSameBytes_AndEveryWorldsArraysAreReused(string format)
    {
        // xu_dgp: formulas (a let-binding, logits), Gaussian noise and a treatment/outcome pair, so three worlds a chunk and the
        // effects (the factual row's columns, both outcomes and the effects are reused).
        var m = SpecLoader.Load(Paths.Dag("xu_dgp.json")).Model;
        var contrast = TreatmentContrast.Resolve(m, null, null, null, null, null);
        Assert.That(SampleJobs.Sample(m, 10, 9, new SamplingOptions(), contrast).Schema.Select(c => c.Name).TakeLast(3), Is.EqualTo(new[] { "Y(A=0)", "Y(A=1)", "ite" }));
        Recycling.GivesTheSameBytes_AndReusesItsArrays(format, (options, n) => SampleJobs.Sample(m, n, 9, options, contrast), "xu");
    }

    [TestCase("csv", false)]
    [TestCase("csv", true)]
    [TestCase("jsonl", false)]
    [TestCase("jsonl", true)]
    public void FormattingOnTheSamplingWorkers_WritesTheBytesOfFormattingElsewhere(string format, bool recycle)
    {
        // Rows with potential outcomes (and, without recycling, the noise), and counterfactual pairs; 1 and 2 threads, a short last chunk.
        var m = SpecLoader.Load(Paths.Dag("xu_dgp.json")).Model;
        var contrast = TreatmentContrast.Resolve(m, null, null, null, null, null);
        var dir = Paths.TempDir();
        foreach (var threads in new[] { 1, 2 })
        {
            var options = new SamplingOptions { Threads = threads, ChunkSize = 613, RecycleColumns = recycle, IncludeNoise = !recycle };
            var jobs = new (string Name, Func<TableJob> Make)[]
            {
                ("rows", () => SampleJobs.Sample(m, 5000, 3, options, contrast)),
                ("pairs", () => HybridSynth.Scm.Counterfactuals.CounterfactualJobs.Pairs(m, [new HybridSynth.Scm.Interventions.HardIntervention(contrast.Treatment, 1)], 5000, 3, options)),
            };
            foreach (var (name, make) in jobs)
            {
                var onWorkers = Path.Combine(dir, $"{name}-{threads}-workers.{format}");
                var job = make();
                Assert.That(job.Finisher, Is.Not.Null, name);
                TableFormats.WriteJob(format, onWorkers, job);
                // The same job's blocks formatted by the writer's own tasks, and block by block on this thread.
                var onTasks = Path.Combine(dir, $"{name}-{threads}-tasks.{format}");
                using (var writer = TableFormats.Open(format, onTasks, job.Schema))
                {
                    TableFormats.WriteBlocks(writer, make().Blocks);
                    writer.Commit();
                }
                var inLine = Path.Combine(dir, $"{name}-{threads}-inline.{format}");
                using (var writer = TableFormats.Open(format, inLine, job.Schema))
                {
                    foreach (var block in make().Blocks) writer.Write(block);
                    writer.Commit();
                }
                var bytes = File.ReadAllBytes(onWorkers);
                Assert.That(bytes, Has.Length.GreaterThan(5000), name);
                Assert.That(File.ReadAllBytes(onTasks), Is.EqualTo(bytes), $"{name}, {threads} threads: formatted on tasks");
                Assert.That(File.ReadAllBytes(inLine), Is.EqualTo(bytes), $"{name}, {threads} threads: formatted in line");
                // The writer hands the finisher back: enumerating the job again does no writer's work.
                Assert.That(job.Blocks.All(b => b.Finished is null), Is.True, name);
            }
        }
    }

    [TestCase(1)]
    [TestCase(2)]
    public void BlockFinisher_RunsOnTheThreadsThatMakeTheBlocks_InEveryBlock_UntilCleared(int threads)
    {
        var m = SpecLoader.Load(Paths.Dag("asia.json")).Model;
        var job = SampleJobs.Sample(m, 10_000, 1, new SamplingOptions { Threads = threads, ChunkSize = 1000 }, null);
        var caller = Environment.CurrentManagedThreadId;
        job.Finisher!.Set(b => (b.FirstRow, Environment.CurrentManagedThreadId));
        var seen = job.Blocks.Select(b => ((long FirstRow, int Thread))b.Finished!).ToList();
        Assert.That(seen.Select(s => s.FirstRow), Is.EqualTo(Enumerable.Range(0, 10).Select(i => i * 1000L)));
        Assert.That(seen.Select(s => s.Thread), Has.None.EqualTo(caller));
        job.Finisher.Set(null);
        Assert.That(job.Blocks.Select(b => b.Finished), Has.All.Null);
    }

    [TestCase("csv", "\n\n")]
    [TestCase("jsonl", "{}\n{}\n")]
    public void ATableWithoutColumns_WritesEmptyRows(string format, string rows)
    {
        var path = Path.Combine(Paths.TempDir(), "empty." + format);
        using (var w = TableFormats.Open(format, path, Array.Empty<ColumnSchema>()))
        {
            w.Write(new RowBlock(0, 2, Array.Empty<double[]>()));
            w.Commit();
        }
        Assert.That(File.ReadAllText(path), Is.EqualTo((format == "csv" ? "\n" : "") + rows));
    }

    [Test]
    public async Task Parquet_HoldsTheSameValuesAsTheCsv_StateNamesAsStrings_NonFiniteAsNull_AndTheRoles()
    {
        var m = SpecLoader.Load(Paths.Dag("clinical.json")).Model;
        var contrast = HybridSynth.Scm.Inference.TreatmentContrast.Resolve(m, null, null);
        var dir = Paths.TempDir();
        // More rows than one row group of this schema, so that the groups' boundaries are exercised.
        var job = SampleJobs.Sample(m, 3000, 7, new SamplingOptions { ChunkSize = 999, IncludeNoise = true }, contrast);
        var rowsPerGroup = ParquetTableWriter.RowGroupRows(job.Schema.Count);
        var n = Math.Max(3000, rowsPerGroup + 17);
        job = SampleJobs.Sample(m, n, 7, new SamplingOptions { ChunkSize = 999, IncludeNoise = true }, contrast);
        var csvPath = Path.Combine(dir, "t.csv");
        var parquetPath = Path.Combine(dir, "t.parquet");
        TableFormats.WriteJob("csv", csvPath, job);
        TableFormats.WriteJob("parquet", parquetPath, job);
        var csv = File.ReadAllLines(csvPath);
        var header = csv[0].Split(',');
        await using var reader = await Parquet.ParquetReader.CreateAsync(parquetPath);
        Assert.That(reader.Schema.DataFields.Select(f => f.Name), Is.EqualTo(header));
        Assert.That(reader.RowGroupCount, Is.EqualTo((n + rowsPerGroup - 1) / rowsPerGroup));
        var roles = JArray.Parse(reader.CustomMetadata["hybridsynth.schema"]);
        Assert.That(roles.Select(r => (string?)r["role"]), Is.EqualTo(job.Schema.Select(c => c.Role)));
        var cells = header.Select(_ => new List<string>()).ToList();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var count = (int)group.RowCount;
            for (var c = 0; c < header.Length; c++)
            {
                var field = reader.Schema.DataFields[c];
                // A categorical column is dictionary-encoded (a dictionary page, then indices); the others are plain.
                var meta = reader.Metadata!.RowGroups[g].Columns[c].MetaData!;
                var dictionary = meta.Encodings!.Any(e => e is Parquet.Meta.Encoding.PLAIN_DICTIONARY or Parquet.Meta.Encoding.RLE_DICTIONARY);
                Assert.That(dictionary, Is.EqualTo(job.Schema[c].Domain is CategoricalDomain), $"group {g}, {header[c]}: {string.Join(",", meta.Encodings!)}");
                if (job.Schema[c].Domain is CategoricalDomain)
                {
                    var v = new string?[count];
                    group.ReadAsync(field, v.AsMemory(), null, default).AsTask().GetAwaiter().GetResult();
                    cells[c].AddRange(v.Select(x => x!));
                }
                else if (job.Schema[c].Role == ColumnRoles.Unit)
                {
                    var v = new long[count];
                    group.ReadAsync<long>(field, v.AsMemory(), null, default).AsTask().GetAwaiter().GetResult();
                    cells[c].AddRange(v.Select(x => x.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }
                else
                {
                    var v = new double?[count];
                    group.ReadAsync<double>(field, v.AsMemory(), null, default).AsTask().GetAwaiter().GetResult();
                    cells[c].AddRange(v.Select(x => x is { } d ? d.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : ""));
                }
            }
        }
        Assert.That(cells[0], Has.Count.EqualTo(n));
        for (var i = 1; i < csv.Length; i++)
        {
            var fields = csv[i].Split(',');
            for (var c = 0; c < header.Length; c++)
            {
                if (job.Schema[c].Domain is CategoricalDomain || job.Schema[c].Role == ColumnRoles.Unit || fields[c].Length == 0) Assert.That(cells[c][i - 1], Is.EqualTo(fields[c]), $"row {i}, {header[c]}");
                else Assert.That(double.Parse(cells[c][i - 1], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(double.Parse(fields[c], System.Globalization.CultureInfo.InvariantCulture)), $"row {i}, {header[c]}");
            }
        }
        // A continuous NaN is a null.
        var nanPath = Path.Combine(dir, "nan.parquet");
        var schema = new[] { new ColumnSchema("x", ContinuousDomain.Instance, ColumnRoles.Covariate) };
        using (var w = new ParquetTableWriter(nanPath, schema))
        {
            w.Write(new RowBlock(0, 3, new[] { new[] { 1.5, double.NaN, double.PositiveInfinity } }));
            w.Commit();
        }
        await using var r2 = await Parquet.ParquetReader.CreateAsync(nanPath);
        using var g2 = r2.OpenRowGroupReader(0);
        var x = new double?[3];
        g2.ReadAsync<double>(r2.Schema.DataFields[0], x.AsMemory(), null, default).AsTask().GetAwaiter().GetResult();
        Assert.That(x, Is.EqualTo(new double?[] { 1.5, null, null }));
    }

    [Test]
    public async Task Parquet_StateCodesAtTheEdgeOfTheCompactBuffer_AndBeyondIt()
    {
        // The row group is buffered as 16-bit codes for a domain of at most 65,536 states, as doubles beyond: both hold every code.
        var path = Path.Combine(Paths.TempDir(), "wide.parquet");
        CategoricalDomain Domain(int k) => new(Enumerable.Range(0, k).Select(i => "s" + i).ToList());
        var schema = new[]
        {
            new ColumnSchema("a", Domain(65_536), ColumnRoles.Covariate),
            new ColumnSchema("b", Domain(70_000), ColumnRoles.Covariate),
        };
        var a = new double[] { 0, 65_535, 12_345, 256 };
        var b = new double[] { 69_999, 65_536, 0, 65_535 };
        using (var w = new ParquetTableWriter(path, schema))
        {
            w.Write(new RowBlock(0, 4, new[] { a, b }));
            w.Commit();
        }
        await using var reader = await Parquet.ParquetReader.CreateAsync(path);
        using var group = reader.OpenRowGroupReader(0);
        foreach (var (field, codes) in new[] { (reader.Schema.DataFields[0], a), (reader.Schema.DataFields[1], b) })
        {
            var v = new string?[4];
            await group.ReadAsync(field, v.AsMemory(), null, default);
            Assert.That(v, Is.EqualTo(codes.Select(x => "s" + (int)x)), field.Name);
        }
        // A code outside the domain is refused, not cut to 16 bits (65,536 + 3 would otherwise be state 3).
        foreach (var bad in new[] { 65_536 + 3.0, -1, double.NaN, 2.5 })
        {
            using var w = new ParquetTableWriter(Path.Combine(Paths.TempDir(), "bad.parquet"), schema);
            var e = Assert.Throws<ArgumentException>(() => w.Write(new RowBlock(0, 2, new[] { new[] { 1.0, bad }, new[] { 1.0, 2.0 } })));
            Assert.That(e!.Message, Does.Contain("column 0"));
        }
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
