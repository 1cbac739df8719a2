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
            var peaks = new List<string>();
            foreach (var threads in new[] { 1, 2 })
            {
                var (t, peak) = Median(() => Fresh(csv, () => Cli(cli, "sample", "--spec", bif, "-n", rows.ToString(CultureInfo.InvariantCulture), "--threads", threads.ToString(CultureInfo.InvariantCulture), "--seed", "3", "-o", csv)));
                lines.Add(Row($"sample -n {rows:N0} to CSV, {threads} thread(s), whole process", t, numpySample, "numpy sampling alone (no file)", threads == 2 ? 0.75 : null));
                peaks.Add(PeakRow($"sample -n {rows:N0} {Path.GetFileNameWithoutExtension(bif)} to CSV, {threads} thread(s)", peak));
            }
            // A wide network (munin's 1,041 columns, when the repository networks are beside the project): two threads against
            // one (the goal: never slower), and the peaks.
            var munin = Path.Combine(Path.GetDirectoryName(bif)!, "munin.bif");
            if (File.Exists(munin))
            {
                var wide = new (double Seconds, double Peak)[2];
                foreach (var threads in new[] { 1, 2 })
                {
                    wide[threads - 1] = Median(() => Fresh(csv, () => Cli(cli, "sample", "--spec", munin, "-n", "100000", "--threads", threads.ToString(CultureInfo.InvariantCulture), "--seed", "3", "-o", csv)));
                    peaks.Add(PeakRow($"sample -n 100,000 munin to CSV, {threads} thread(s)", wide[threads - 1].Peak));
                }
                lines.Add(Row("sample -n 100,000 munin (1,041 columns) to CSV, 2 threads, whole process", wide[1].Seconds, wide[0].Seconds, "the same on 1 thread", null, goalRatio: 1));
            }
            var csv100k = Path.Combine(dir, "verify.csv");
            Cli(cli, "sample", "--spec", bif, "-n", "100000", "--seed", "5", "-o", csv100k);
            var numpyVerify = Numpy(root, bif, "numpy-citests", "--citests", csv100k);
            var (verify, _) = Median(() => Cli(cli, "verify", "--spec", bif, "--data", csv100k, "--test", "g2", "--threads", "2", "--seed", "1"));
            lines.Add(Row("verify 100,000 rows (g2, 2 threads), whole process", verify, numpyVerify, "numpy local-Markov G² reading the CSV", null, goalRatio: 4));
            var (marginals, _) = Median(() => Cli(cli, "query", "--spec", bif, "--all-marginals"));
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
            Console.WriteLine();
            Console.WriteLine("Peak memory (the child's VmHWM, read every 5 ms; the highest of the three runs):");
            Console.WriteLine();
            Console.WriteLine("| job | peak (MiB) | goal |");
            Console.WriteLine("|---|---:|---|");
            foreach (var l in peaks) Console.WriteLine(l);
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

    private static string PeakRow(string job, double mib) =>
        $"| {job} | {mib:0.0} | ≤ 100 MB (95.4 MiB): {(mib * 1048576 <= 100e6 ? "met" : "not met")} |";

    /// <summary>The median seconds of three runs, and the highest peak.</summary>
    /// <summary>
    /// Runs <paramref name="run"/> with no file at <paramref name="output"/> (the previous run's and its manifest are deleted
    /// first, untimed): replacing a file makes the rename free the old one, which for a 209 MB CSV took 0.13 s of the
    /// run here (ext4 on a VM's disk), a cost of the file system that the reference, which writes nothing, never pays.
    /// </summary>
    private static (double Seconds, double PeakMiB) Fresh(string output, Func<(double Seconds, double PeakMiB)> run)
    {
        File.Delete(output);
        File.Delete(Path.ChangeExtension(output, ".manifest.json"));
        return run();
    }

    private static (double Seconds, double PeakMiB) Median(Func<(double Seconds, double PeakMiB)> run)
    {
        var runs = Enumerable.Range(0, 3).Select(_ => run()).ToList();
        return (runs.Select(r => r.Seconds).Order().ElementAt(1), runs.Max(r => r.PeakMiB));
    }

    /// <summary>Runs the CLI to completion (it must succeed) and returns the wall seconds and its peak resident memory in MiB
    /// (VmHWM from /proc, read every 5 ms while it runs; 0 where /proc is absent).</summary>
    private static (double Seconds, double PeakMiB) Cli(string cli, params string[] args)
    {
        var psi = new ProcessStartInfo(cli) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("--quiet");
        foreach (var a in args) psi.ArgumentList.Add(a);
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        long peakKb = 0;
        var status = $"/proc/{p.Id}/status";
        while (!p.WaitForExit(5))
        {
            try
            {
                foreach (var line in File.ReadLines(status))
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                        peakKb = Math.Max(peakKb, long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
            }
            catch (IOException) { } // gone between the wait and the read
            catch (UnauthorizedAccessException) { }
        }
        p.WaitForExit();
        var t = sw.Elapsed.TotalSeconds;
        if (p.ExitCode != 0) throw new InvalidOperationException($"hybridsynth {string.Join(' ', args)} failed ({p.ExitCode}): {stderr.Result}");
        _ = stdout.Result;
        return (t, peakKb / 1024.0);
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
