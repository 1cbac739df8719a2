using System.Diagnostics;
using System.Globalization;

namespace HybridSynth.Perf;

/// <summary>
/// Issue 16's whole-process figures, each beside its reference from the same call: the hybridsynth command as a child
/// process (start-up, load and manifest included), median of three, against the independent numpy reference
/// (benchmarks/perf/numpy_reference.py, Debian's python3-numpy) or, for the marginals, against one query process per node.
/// Usage: dotnet run -c Release --project benchmarks/perf -- --whole-process [--bif PATH] [--rows N] [--cli PATH]
/// </summary>
public static class WholeProcessBenchmark
{
    public static int Run(List<string> args, string root, string bif)
    {
        string Arg(string name, string fallback) => args.IndexOf(name) is var i and >= 0 && i + 1 < args.Count ? args[i + 1] : fallback;
        var rows = long.Parse(Arg("--rows", "1000000"), CultureInfo.InvariantCulture);
        // The Release build by default; --cli PATH measures another, such as a ReadyToRun publish (see the README).
        var cli = Path.GetFullPath(Arg("--cli", Path.Combine(root, "src", "Cli", "bin", "Release", "net10.0", "hybridsynth")));
        if (!File.Exists(cli))
        {
            Console.Error.WriteLine($"needs {cli}: dotnet build src/Cli -c Release (or --cli PATH)");
            return 2;
        }
        var dir = Path.Combine(Path.GetTempPath(), $"hybridsynth-perf-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        try
        {
            var lines = new List<string>();
            var csv = Path.Combine(dir, "sample.csv");
            var numpySample = Numpy(root, bif, "numpy-sample", "--rows", rows.ToString(CultureInfo.InvariantCulture), "--repeats", "1");
            foreach (var threads in new[] { 1, 2 })
            {
                var t = Median(() => Cli(cli, "sample", "--spec", bif, "-n", rows.ToString(CultureInfo.InvariantCulture), "--threads", threads.ToString(CultureInfo.InvariantCulture), "--seed", "3", "-o", csv));
                lines.Add(Row($"sample -n {rows:N0} to CSV, {threads} thread(s), whole process", t, numpySample, "numpy sampling alone (no file)", threads == 2 ? 0.75 : null));
            }
            var csv100k = Path.Combine(dir, "verify.csv");
            Cli(cli, "sample", "--spec", bif, "-n", "100000", "--seed", "5", "-o", csv100k);
            var numpyVerify = Numpy(root, bif, "numpy-citests", "--citests", csv100k);
            var verify = Median(() => Cli(cli, "verify", "--spec", bif, "--data", csv100k, "--test", "g2", "--threads", "2", "--seed", "1"));
            lines.Add(Row("verify 100,000 rows (g2, 2 threads), whole process", verify, numpyVerify, "numpy local-Markov G² reading the CSV", null, goalRatio: 4));
            var marginals = Median(() => Cli(cli, "query", "--spec", bif, "--all-marginals"));
            var names = BifNames(bif);
            var sw = Stopwatch.StartNew();
            foreach (var v in names) Cli(cli, "query", "--spec", bif, "--target", v);
            var perNode = sw.Elapsed.TotalSeconds;
            lines.Add(Row($"query --all-marginals ({names.Count} nodes), whole process", marginals, perNode, "one query process per node", null, goalRatio: 10));
            Console.WriteLine($"Whole-process figures (issue 16), {Environment.ProcessorCount} cores, median of 3, references in the same call; {cli}");
            Console.WriteLine();
            Console.WriteLine("| job | ours (s) | reference (s) | reference | ratio | goal |");
            Console.WriteLine("|---|---:|---:|---|---:|---|");
            foreach (var l in lines) Console.WriteLine(l);
            return 0;
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static string Row(string job, double ours, double? reference, string what, double? goalSeconds, double? goalRatio = null)
    {
        var ratio = reference is { } r ? r / ours : (double?)null;
        var goal = goalSeconds is { } g ? $"≤ {g} s: {(ours <= g ? "met" : "not met")}"
            : goalRatio is { } q && ratio is { } x ? $"≥ {q}×: {(x >= q ? "met" : "not met")}" : "";
        return $"| {job} | {ours:0.000} | {(reference is { } rr ? rr.ToString("0.000", CultureInfo.InvariantCulture) : "not run (python3 with numpy missing)")} | {what} | {(ratio is { } z ? z.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "")} | {goal} |";
    }

    private static double Median(Func<double> run)
    {
        var t = Enumerable.Range(0, 3).Select(_ => run()).Order().ToList();
        return t[1];
    }

    /// <summary>Runs the CLI to completion (it must succeed) and returns the wall seconds.</summary>
    private static double Cli(string cli, params string[] args)
    {
        var psi = new ProcessStartInfo(cli) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("--quiet");
        foreach (var a in args) psi.ArgumentList.Add(a);
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        var t = sw.Elapsed.TotalSeconds;
        if (p.ExitCode != 0) throw new InvalidOperationException($"hybridsynth {string.Join(' ', args)} failed ({p.ExitCode}): {stderr}");
        _ = stdout.Result;
        return t;
    }

    private static double? Numpy(string root, string bif, string job, params string[] args) =>
        NumpyReference(root, bif, job, runs: 3, wholeProcess: job != "numpy-sample", args);

    /// <summary>
    /// The numpy reference's seconds for <paramref name="job"/>, the median of <paramref name="runs"/> processes: the whole
    /// process (python3 started, script run) or the time the script reports for its own work; null without python3 and numpy.
    /// </summary>
    public static double? NumpyReference(string root, string bif, string job, int runs, bool wholeProcess, params string[] args)
    {
        var script = Path.Combine(root, "benchmarks", "perf", "numpy_reference.py");
        foreach (var python in new[] { "/usr/bin/python3", "python3" })
        {
            try
            {
                var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                psi.ArgumentList.Add(script);
                psi.ArgumentList.Add(bif);
                foreach (var a in args) psi.ArgumentList.Add(a);
                var times = new List<double>();
                for (var rep = 0; rep < runs; rep++)
                {
                    var sw = Stopwatch.StartNew();
                    using var p = Process.Start(psi)!;
                    var output = p.StandardOutput.ReadToEnd();
                    p.WaitForExit();
                    if (p.ExitCode != 0 || !output.Contains(job + " ", StringComparison.Ordinal)) return null;
                    var own = double.Parse(output.Split('\n').First(l => l.StartsWith(job + " ", StringComparison.Ordinal)).Split(' ')[1], CultureInfo.InvariantCulture);
                    times.Add(wholeProcess ? sw.Elapsed.TotalSeconds : own);
                }
                return times.Order().ElementAt(times.Count / 2);
            }
            catch (System.ComponentModel.Win32Exception) { }
        }
        return null;
    }

    private static List<string> BifNames(string bif) =>
        File.ReadLines(bif).Select(l => l.Trim()).Where(l => l.StartsWith("variable ", StringComparison.Ordinal))
            .Select(l => l["variable ".Length..].Split(' ', '{')[0].Trim()).ToList();
}
