using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace HybridSynth.Cli.Tests;

/// <summary>
/// The README's shell examples, executed as written: every <c>```sh</c> block after the quick start, with
/// <c>hs</c> (the README's shorthand for <c>dotnet run --project src/Cli -c Release --</c>) bound to this
/// build's CLI, from a fresh folder laid out like a clone (benchmarks/ beside, ../shared above).
/// </summary>
[NonParallelizable]
public class ReadmeExamplesTests
{
    private static string Readme => File.ReadAllText(Path.Combine(CliRunner.RepoRoot, "README.md"));

    /// <summary>The bodies of the README's sh blocks, in order.</summary>
    private static List<string> ShellBlocks() =>
        Regex.Matches(Readme, "^```sh\\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        foreach (var d in Directory.GetDirectories(from))
            if (Path.GetFileName(d) is not ("bin" or "obj")) CopyTree(d, Path.Combine(to, Path.GetFileName(d)));
    }

    [Test]
    public void TheQuickStart_IsTheMainJobAndTheTestCommand_ThatCiRuns()
    {
        var quick = ShellBlocks()[0];
        Assert.That(quick, Does.Contain("dotnet run --project src/Cli -c Release -- sample\n"));
        Assert.That(quick, Does.Contain("dotnet test HybridSynth.sln\n"));
        Assert.That(File.ReadAllText(Path.Combine(CliRunner.RepoRoot, ".ci", "run")), Does.Contain("\ndotnet test HybridSynth.sln\n"));
        Assert.That(Readme, Does.Contain("hs() { dotnet run --project src/Cli -c Release -- \"$@\"; }"), "the examples' shorthand is the quick start's command");
    }

    [Test]
    public void EveryShellExample_RunsAsWritten_AndPrintsWhatItsCommentsSay()
    {
        var shared = CliRunner.SharedRoot;
        if (shared is null) Assert.Ignore("the README's examples use ../shared (the bnlearn networks, ACTG175, stories260K)");
        var root = CliRunner.TempDir();
        var work = Path.Combine(root, "clone");
        Directory.CreateDirectory(work);
        // A clone's layout: the sources and build files copied (the packaging example builds them), benchmarks/ linked, ../shared linked.
        CopyTree(Path.Combine(CliRunner.RepoRoot, "src"), Path.Combine(work, "src"));
        foreach (var f in new[] { "HybridSynth.sln", "Directory.Build.props", "Directory.Packages.props", "README.md" })
            File.Copy(Path.Combine(CliRunner.RepoRoot, f), Path.Combine(work, f));
        foreach (var f in Directory.GetFiles(CliRunner.RepoRoot, "NuGet.Config").Concat(Directory.GetFiles(CliRunner.RepoRoot, "nuget.config")))
            File.Copy(f, Path.Combine(work, Path.GetFileName(f)));
        Directory.CreateSymbolicLink(Path.Combine(work, "benchmarks"), Path.Combine(CliRunner.RepoRoot, "benchmarks"));
        Directory.CreateSymbolicLink(Path.Combine(root, "shared"), shared);
        var cli = Path.Combine(TestContext.CurrentContext.TestDirectory, "hybridsynth.dll");
        // A failing example names itself on stderr (bash reports signals, but not a command that exits non-zero quietly,
        // such as dotnet pack, whose errors go to stdout).
        var script = new StringBuilder("set -Eeuo pipefail\n" +
            "trap 'rc=$?; echo \"readme.sh: exit $rc at line $LINENO ($BASH_COMMAND), from line ${BASH_LINENO[0]}: $(sed -n \"${BASH_LINENO[0]}p\" \"$0\")\" >&2' ERR\n");
        script.Append($"hs() {{ dotnet '{cli}' --quiet \"$@\"; }}\n");
        var quickStart = ShellBlocks()[0].Split('\n').First(l => l.StartsWith("dotnet run --project src/Cli", StringComparison.Ordinal));
        script.Append(quickStart.Replace("dotnet run --project src/Cli -c Release --", "hs")).Append('\n');
        foreach (var block in ShellBlocks().Skip(1))
            foreach (var line in block.Split('\n'))
                if (!line.StartsWith("hs() {", StringComparison.Ordinal)) script.Append(line).Append('\n');
        var path = Path.Combine(root, "readme.sh");
        File.WriteAllText(path, script.ToString());
        var start = new ProcessStartInfo("bash", [path]) { WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(480_000)) { p.Kill(true); Assert.Fail("the README's examples did not finish in 8 minutes"); }
        // A process the examples left running would hold the output open: give it a bounded wait, then fail.
        Assert.That(Task.WaitAll([stdout, stderr], 30_000), Is.True, "an example left a process running (the server must stop with its pid file)");
        var output = stdout.Result;
        // The message leads with stderr and the end of the output, which a truncated CI log still shows.
        Assert.That(p.ExitCode, Is.EqualTo(0), $"{stderr.Result}\n…{output[Math.Max(0, output.Length - 4000)..]}");
        Assert.That(stderr.Result, Does.Not.Contain("hybridsynth"), "the examples print no errors");
        // What the comments promise.
        Assert.That(output, Does.Contain("ATE = 0.418468"), "xu_dgp.json: the true ATE by quadrature");
        Assert.That(output, Does.Contain("Monte Carlo"), "clinical.json with --method mc");
        Assert.That(output, Does.Contain("Tool 'hybridsynth.cli' (version '0.1.0') was successfully installed"), "the tool installs from the local package folder");
        Assert.That(File.Exists(Path.Combine(work, "out", "packages", "HybridSynth.Cli.0.1.0.nupkg")));
        Assert.That(File.Exists(Path.Combine(work, "out", "serve.pid")), Is.False, "the server stopped and removed its pid file");
        Assert.That(Regex.Matches(output, "ATE = 0.200000").Count, Is.EqualTo(2), "the installed tool answers like the build");
        // The example suite built in two shards is the unsharded one, byte for byte (the report was made of the unsharded one).
        var whole = Path.Combine(work, "out", "example");
        var sharded = Path.Combine(work, "out", "example-sharded");
        Assert.That(output, Does.Contain("suite example: 89 datasets built, 0 already complete"));
        Assert.That(File.Exists(Path.Combine(whole, "report.html")), "hs report writes the report");
        var suiteFiles = Directory.GetFiles(whole, "*", SearchOption.AllDirectories).Where(f => !Path.GetFileName(f).StartsWith("report.", StringComparison.Ordinal)).ToList();
        Assert.That(suiteFiles, Has.Count.GreaterThan(500));
        foreach (var f in suiteFiles)
            Assert.That(File.ReadAllBytes(Path.Combine(sharded, Path.GetRelativePath(whole, f))), Is.EqualTo(File.ReadAllBytes(f)), f);
        foreach (var file in new[] { "out/asia-sample.csv", "out/alarm.csv", "out/asia-do-smoke.jsonl", "out/asia-cf.csv", "out/bc.csv", "out/asia.notes.jsonl", "out/asia.notes.extracted.csv", "out/bc-published.csv", "out/bc-server.csv" })
        {
            Assert.That(File.Exists(Path.Combine(work, file)), file);
            Assert.That(File.Exists(Path.Combine(work, Path.ChangeExtension(file, null) + ".manifest.json")), $"{file}'s manifest");
        }
    }
}
