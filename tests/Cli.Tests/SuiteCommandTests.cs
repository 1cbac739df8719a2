using System.Diagnostics;
using NUnit.Framework;

namespace HybridSynth.Cli.Tests;

/// <summary>The <c>suite</c> and <c>report</c> verbs: a killed build resumes, the report, and bad input. The example suite itself is built, in shards too, by the README's example (ReadmeExamplesTests).</summary>
public class SuiteCommandTests
{
    private static string Example => Path.Combine(CliRunner.RepoRoot, "benchmarks", "suites", "example.yaml");

    [Test]
    public void AKilledBuild_Resumes_ToTheBytesOfAnUninterruptedOne()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("needs POSIX signals (kill -KILL)");
        var dir = CliRunner.TempDir();
        var suite = Path.Combine(dir, "kill.yaml");
        File.WriteAllText(suite, "name: kill\nseed: 12\nmodels:\n  - name: asia\n    spec: builtin:asia\n    sizes: [12000]\n    replicates: 30\n"
            + "    audit: { set: local, test: g2, alpha: 0.05 }\n");
        var reference = Path.Combine(dir, "reference");
        Assert.That(CliRunner.Run("suite", suite, "-o", reference).Code, Is.EqualTo(0));
        var killed = Path.Combine(dir, "killed");
        var cli = Path.Combine(TestContext.CurrentContext.TestDirectory, "hybridsynth.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { cli, "suite", suite, "-o", killed, "--quiet" }) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        // Kill it (no chance to clean up) once some datasets are complete and others are still being built.
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(60) && (!Directory.Exists(killed) || Directory.GetDirectories(killed, "asia_*").Length < 5)) Thread.Sleep(20);
        p.Kill(entireProcessTree: true);
        p.WaitForExit();
        var complete = Directory.GetDirectories(killed, "asia_*").Length;
        Assert.That(complete, Is.InRange(5, 29), "killed part-way");
        var again = CliRunner.Run("suite", suite, "-o", killed);
        Assert.That(again.Code, Is.EqualTo(0), again.Err);
        Assert.That(again.Out, Does.Contain($"{30 - complete} datasets built, {complete} already complete"));
        Assert.That(Directory.GetDirectories(killed, ".tmp-*"), Is.Empty, "the killed build's temporary folder is gone");
        foreach (var f in Directory.GetFiles(reference, "*", SearchOption.AllDirectories))
            Assert.That(File.ReadAllBytes(Path.Combine(killed, Path.GetRelativePath(reference, f))), Is.EqualTo(File.ReadAllBytes(f)), f);
        Assert.That(Directory.GetFiles(killed, "*", SearchOption.AllDirectories), Has.Length.EqualTo(Directory.GetFiles(reference, "*", SearchOption.AllDirectories).Length));
    }

    [Test]
    public void Report_WritesOneHtmlFileAndItsManifest_AndRefusesAFolderWithoutASuite()
    {
        var dir = CliRunner.TempDir();
        var suite = Path.Combine(dir, "r.yaml");
        File.WriteAllText(suite, "name: r\nseed: 1\nmodels:\n  - spec: builtin:asia\n    sizes: [500]\n    replicates: 2\n    audit: { set: local, test: g2, alpha: 0.05 }\n");
        var outDir = Path.Combine(dir, "out");
        Assert.That(CliRunner.Run("suite", suite, "-o", outDir).Code, Is.EqualTo(0));
        var (code, stdout, stderr) = CliRunner.Run("report", outDir);
        Assert.That(code, Is.EqualTo(0), stderr);
        Assert.That(stdout, Does.Contain("report.html"));
        Assert.That(File.ReadAllText(Path.Combine(outDir, "report.html")), Does.StartWith("<!DOCTYPE html>").And.Contain("<svg "));
        var manifest = Newtonsoft.Json.Linq.JObject.Parse(File.ReadAllText(Path.Combine(outDir, "report.manifest.json")));
        Assert.That((string?)manifest["command"], Is.EqualTo("report"));
        var elsewhere = Path.Combine(dir, "r.html");
        Assert.That(CliRunner.Run("report", outDir, "-o", elsewhere).Code, Is.EqualTo(0));
        Assert.That(File.ReadAllBytes(elsewhere), Is.EqualTo(File.ReadAllBytes(Path.Combine(outDir, "report.html"))));
        var bad = CliRunner.Run("report", dir);
        Assert.That(bad.Code, Is.EqualTo(2));
        Assert.That(bad.Err, Does.Contain("suite.json").And.Not.Contain("   at "));
    }

    [Test]
    public void BadSuiteInput_IsExit2_WithALocatedMessage()
    {
        var dir = CliRunner.TempDir();
        var bad = Path.Combine(dir, "bad.yaml");
        File.WriteAllText(bad, "name: x\nseed: 1\nmodels:\n  - spec: builtin:asia\n    sizes: [100]\n    regimes:\n      - do: { smok: \"yes\" }\n");
        var (code, _, stderr) = CliRunner.Run("suite", bad, "-o", Path.Combine(dir, "out"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("smok").And.Not.Contain("   at "));
        Assert.That(CliRunner.Run("suite", Example, "--shard", "3/2").Code, Is.EqualTo(2));
        Assert.That(CliRunner.Run("suite", "index", Path.Combine(dir, "nothing")).Code, Is.EqualTo(2));
    }
}
