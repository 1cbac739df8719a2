using System.Diagnostics;
using System.Globalization;
using HybridSynth.Scm.Graph;
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.Interventions;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Sampling;

// Performance harness: whole jobs timed with Stopwatch, printed as a Markdown table.
// Usage: dotnet run -c Release --project benchmarks/perf [-- --bif PATH] [--rows N] [--stream-rows N] [--quick] [--sampling-only]
//        dotnet run -c Release --project benchmarks/perf -- --sdscm [--no-135m] [--naive-rows N] [--rows N] [--memo-rows-135m N]
//        dotnet run -c Release --project benchmarks/perf -- --server [--rows N]
//        dotnet run -c Release --project benchmarks/perf -- --estimators [--rows N]
//        dotnet run -c Release --project benchmarks/perf -- --whole-process [--bif PATH] [--rows N] [--cli PATH] (issue 16's figures beside their references)
// The streaming-memory job runs in a child process so its peak working set is its own.

var argsList = args.ToList();
string Arg(string name, string fallback)
{
    var i = argsList.IndexOf(name);
    return i >= 0 && i + 1 < argsList.Count ? argsList[i + 1] : fallback;
}

if (argsList.Contains("--child-stream"))
{
    var m = BifReader.ReadFile(Arg("--bif", ""));
    var n = long.Parse(Arg("--stream-rows", "10000000"), CultureInfo.InvariantCulture);
    var path = Path.Combine(Path.GetTempPath(), "hybridsynth-perf-stream.csv");
    var sw = Stopwatch.StartNew();
    var (rows, bytes, _) = TableFormats.WriteJob("csv", path, SampleJobs.Sample(m, n, 1, SampleOptions(m), null));
    sw.Stop();
    File.Delete(path);
    using var self = Process.GetCurrentProcess();
    Console.WriteLine(string.Join(" ", rows, bytes, sw.Elapsed.TotalSeconds.ToString("R", CultureInfo.InvariantCulture), self.PeakWorkingSet64));
    return 0;
}

if (argsList.Contains("--sdscm")) return HybridSynth.Perf.SdScmBenchmark.Run(argsList, FindRoot());
if (argsList.Contains("--server")) return HybridSynth.Perf.ServerBenchmark.Run(argsList, FindRoot());
if (argsList.Contains("--estimators"))
{
    Console.WriteLine("| job | size | seconds | rows/s | notes |");
    Console.WriteLine("|---|---|---:|---:|---|");
    foreach (var line in HybridSynth.Perf.EstimatorBenchmark.Run(int.Parse(Arg("--rows", "1000000"), CultureInfo.InvariantCulture))) Console.WriteLine(line);
    return 0;
}

var shared = Path.GetFullPath(Path.Combine(FindRoot(), "..", "shared", "data", "bif"));
var bif = Arg("--bif", Path.Combine(shared, "alarm.bif"));
if (!File.Exists(bif))
{
    Console.Error.WriteLine($"needs {bif} (../shared/data/bif/alarm.bif); pass --bif PATH");
    return 2;
}
if (argsList.Contains("--whole-process")) return HybridSynth.Perf.WholeProcessBenchmark.Run(argsList, FindRoot(), bif);
var quick = argsList.Contains("--quick");
var rowsN = long.Parse(Arg("--rows", quick ? "100000" : "1000000"), CultureInfo.InvariantCulture);
var streamRows = long.Parse(Arg("--stream-rows", quick ? "1000000" : "10000000"), CultureInfo.InvariantCulture);
var results = new List<(string Job, string Size, double Seconds, double? RowsPerSecond, string Extra)>();

// The independent numpy reference (benchmarks/perf/numpy_reference.py, Debian's python3-numpy), run in this same call so
// that the ratios are measured on the same machine at the same time; null when python3 or numpy is missing.
double? NumpySeconds(string job, long rows) =>
    HybridSynth.Perf.WholeProcessBenchmark.NumpyReference(FindRoot(), bif, job, runs: 1, wholeProcess: false, "--rows", rows.ToString(CultureInfo.InvariantCulture));

// 1. Loading.
BifReader.ReadFile(bif);
var loadTimes = new List<double>();
CausalModel model = null!;
for (var i = 0; i < 20; i++)
{
    var sw = Stopwatch.StartNew();
    model = BifReader.ReadFile(bif);
    loadTimes.Add(sw.Elapsed.TotalSeconds);
}
loadTimes.Sort();
results.Add(($"load {Path.GetFileName(bif)}", $"{model.Count} variables", loadTimes[loadTimes.Count / 2], null, "median of 20"));

// The options `sample` uses: its default chunk (about 1 MiB of values, SamplingOptions.ChunkSizeFor) and recycled columns.
static SamplingOptions SampleOptions(CausalModel m) => new() { ChunkSize = SamplingOptions.ChunkSizeFor(m.Count), RecycleColumns = true };

// 2. Sampling without writing: as `sample` samples, in default chunks whose columns are reused once released.
double SampleSeconds(CausalModel m, long n, int threads)
{
    new AncestralSampler(m, 1).SampleRange(0, 1000); // warm-up (JIT)
    var sw = Stopwatch.StartNew();
    long total = 0;
    foreach (var block in SampleJobs.Sample(m, n, 1, SampleOptions(m) with { Threads = threads, PotentialOutcomes = false }, null).Blocks)
    {
        total += block.Count;
        block.Release?.Invoke();
    }
    sw.Stop();
    if (total != n) throw new InvalidOperationException("row count mismatch");
    return sw.Elapsed.TotalSeconds;
}
// Tiered JIT warm-up on both thread counts (until the hot loops run their optimised code, a run is up to 2x slower).
for (var rep = 0; rep < 4; rep++) SampleSeconds(model, rowsN, 1 + rep % 2);
// One and two threads in turn, 9 pairs: the best of each, and the median of the pairs' speed-ups (pairing keeps the
// ratio meaningful on a machine whose speed drifts from one run to the next).
var pairs = Enumerable.Range(0, 9).Select(_ => (One: SampleSeconds(model, rowsN, 1), Two: SampleSeconds(model, rowsN, 2))).ToList();
var t1 = pairs.Min(p => p.One);
var t2 = pairs.Min(p => p.Two);
var speedups = pairs.Select(p => p.One / p.Two).Order().ToList();
var numpy = NumpySeconds("numpy-sample", rowsN);
results.Add(("sample (no write), 1 thread", $"{rowsN:N0} rows", t1, rowsN / t1,
    numpy is { } np ? $"best of 9; numpy reference {np:0.000} s: {np / t1:0.0}× faster" : "best of 9; numpy reference not run (python3 with numpy missing)"));
results.Add(("sample (no write), 2 threads", $"{rowsN:N0} rows", t2, rowsN / t2,
    $"best of 9; {t1 / t2:0.00}× the best 1-thread time; paired speed-up median {speedups[4]:0.00}× (range {speedups[0]:0.00}–{speedups[^1]:0.00})"));
// Formatting alone: CSV bytes of blocks already sampled (held in memory), on one thread, best of 3.
{
    var job = SampleJobs.Sample(model, rowsN, 1, new SamplingOptions { PotentialOutcomes = false }, null);
    var blocks = job.Blocks.ToList();
    var path = Path.Combine(Path.GetTempPath(), $"hybridsynth-perf-format-{Environment.ProcessId}.csv");
    double FormatSeconds()
    {
        using var writer = new CsvTableWriter(path, job.Schema);
        var seconds = 0.0;
        foreach (var block in blocks)
        {
            var sw = Stopwatch.StartNew();
            var formatted = writer.Format(block);
            seconds += sw.Elapsed.TotalSeconds;
            writer.WriteFormatted(formatted);
        }
        return seconds;
    }
    FormatSeconds();
    var tf = Enumerable.Range(0, 3).Min(_ => FormatSeconds());
    results.Add(("format CSV (blocks in memory), 1 thread", $"{rowsN:N0} rows", tf, rowsN / tf, $"best of 3; {tf / (rowsN * (double)model.Count) * 1e9:0.0} ns a cell"));
}
if (argsList.Contains("--sampling-only"))
{
    foreach (var r in results) Console.WriteLine($"| {r.Job} | {r.Size} | {r.Seconds:0.0000} | {r.RowsPerSecond:N0} | {r.Extra} |");
    return 0;
}

// 3. Under do(): intervene on the first root with children.
var root = Enumerable.Range(0, model.Count).First(v => model.Graph.Parents(v).Count == 0 && model.Graph.Children(v).Count > 0);
var intervened = model.Intervene(new HardIntervention(root, 0));
var td = SampleSeconds(intervened, rowsN, 1);
results.Add(($"sample under do({model[root].Name}={model[root].Format(0)}), 1 thread", $"{rowsN:N0} rows", td, rowsN / td, $"{td / rowsN * 100_000:0.000} s per 100,000 rows"));

// 4. Counterfactual pairs (two samplers over the same noise).
{
    var job = HybridSynth.Scm.Counterfactuals.CounterfactualJobs.Pairs(model, new[] { new HardIntervention(root, 0) }, rowsN, 1,
        new SamplingOptions { ChunkSize = SamplingOptions.ChunkSizeFor(2 * model.Count + 1) }); // `counterfactual`'s default chunk
    var sw = Stopwatch.StartNew();
    long n = 0;
    foreach (var b in job.Blocks) n += b.Count;
    var t = sw.Elapsed.TotalSeconds;
    results.Add(("counterfactual pairs (no write), 1 thread", $"{rowsN:N0} rows", t, n / t, ""));
}

// 5. CSV and JSONL writing, with the options `sample` uses.
foreach (var format in new[] { "csv", "jsonl" })
{
    var path = Path.Combine(Path.GetTempPath(), $"hybridsynth-perf.{format}");
    var sw = Stopwatch.StartNew();
    var (rows, bytes, _) = TableFormats.WriteJob(format, path, SampleJobs.Sample(model, rowsN, 1, SampleOptions(model), null));
    var t = sw.Elapsed.TotalSeconds;
    File.Delete(path);
    results.Add(($"sample + write {format.ToUpperInvariant()}, 1 thread", $"{rows:N0} rows", t, rows / t, $"{bytes / t / 1e6:0} MB/s, {bytes / 1e6:0} MB"));
}

// 6. Exact inference: every marginal, and the local-Markov enumeration.
{
    var sw = Stopwatch.StartNew();
    var ve = new VariableElimination(model);
    for (var v = 0; v < model.Count; v++) ve.Query(v);
    var loop = sw.Elapsed.TotalSeconds;
    results.Add(("exact marginals of every variable (VE)", $"{model.Count} queries", loop, null, "one elimination per variable"));
    sw.Restart();
    new VariableElimination(model).Marginals(Enumerable.Range(0, model.Count).ToList());
    var tree = sw.Elapsed.TotalSeconds;
    results.Add(("exact marginals of every variable (clique tree)", $"{model.Count} marginals", tree, null, $"one calibrated tree: {loop / tree:0.0}× the loop"));
    sw.Restart();
    var local = ImpliedIndependences.LocalMarkov(model.Graph);
    results.Add(("local Markov statements", $"{local.Count} statements", sw.Elapsed.TotalSeconds, null, ""));
    sw.Restart();
    var pairwise = ImpliedIndependences.PairwiseMinimal(model.Graph);
    results.Add(("minimal separating sets", $"{pairwise.Count} pairs", sw.Elapsed.TotalSeconds, null, ""));
}

// 7. The implied-independence audit (local Markov, G-test) on 100,000 rows.
{
    var auditRows = quick ? 20_000 : 100_000;
    var chunk = new AncestralSampler(model, 3).SampleRange(0, auditRows);
    var table = HybridSynth.Scm.Tables.DataTable.FromColumns(model.Variables, chunk.Columns);
    HybridSynth.Verifier.Audit.IndependenceAudit.Run(model, table, new HybridSynth.Verifier.Audit.AuditOptions { Test = "g2" }); // warm-up
    foreach (var (test, threads) in new[] { ("g2", 1), ("chi2", 1), ("g2", 2) })
    {
        var sw = Stopwatch.StartNew();
        var report = HybridSynth.Verifier.Audit.IndependenceAudit.Run(model, table, new HybridSynth.Verifier.Audit.AuditOptions { Test = test, Threads = threads });
        var t = sw.Elapsed.TotalSeconds;
        results.Add(($"local-Markov audit ({test}), {threads} thread(s)", $"{report.Statements.Count} statements × {auditRows:N0} rows", t, null,
            $"FPR {report.FalsePositiveRate.Rate:P1}, {report.Edges.Count} edge tests included"));
    }
}

// 8. Streaming memory: a child process writes streamRows rows to CSV.
{
    var psi = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
    foreach (var a in new[] { "--child-stream", "--bif", bif, "--stream-rows", streamRows.ToString(CultureInfo.InvariantCulture) }) psi.ArgumentList.Add(a);
    if (Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal)) psi.ArgumentList.Insert(0, typeof(Program).Assembly.Location);
    using var child = Process.Start(psi)!;
    var line = child.StandardOutput.ReadToEnd().Trim().Split(' ');
    child.WaitForExit();
    var rows = long.Parse(line[0], CultureInfo.InvariantCulture);
    var bytes = long.Parse(line[1], CultureInfo.InvariantCulture);
    var t = double.Parse(line[2], CultureInfo.InvariantCulture);
    var peak = long.Parse(line[3], CultureInfo.InvariantCulture);
    results.Add(("stream to CSV (separate process)", $"{rows:N0} rows", t, rows / t, $"peak working set {peak / 1048576.0:0} MiB, {bytes / 1e9:0.00} GB written"));
}

Console.WriteLine($"HybridSynth perf harness — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {RuntimeInformationText()}");
Console.WriteLine();
Console.WriteLine("| job | size | seconds | rows/s | notes |");
Console.WriteLine("|---|---|---:|---:|---|");
foreach (var r in results)
    Console.WriteLine($"| {r.Job} | {r.Size} | {r.Seconds:0.0000} | {(r.RowsPerSecond is { } x ? x.ToString("N0", CultureInfo.InvariantCulture) : "")} | {r.Extra} |");
return 0;

static string RuntimeInformationText() => System.Runtime.InteropServices.RuntimeInformation.OSDescription;

static string FindRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HybridSynth.sln"))) dir = dir.Parent;
    return dir?.FullName ?? Directory.GetCurrentDirectory();
}

internal partial class Program;
