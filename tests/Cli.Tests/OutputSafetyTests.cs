using System.Diagnostics;
using HybridSynth.Scm.Errors;
using HybridSynth.Scm.IO;
using NUnit.Framework;

namespace HybridSynth.Cli.Tests;

/// <summary>Nothing lost, nothing partial: outputs that are inputs or special files are refused; a run's files are committed together; interrupted runs leave no temporary files.</summary>
public class OutputSafetyTests
{
    private static string Asia(string dir)
    {
        var spec = Path.Combine(dir, "asia.json");
        File.Copy(CliRunner.Dag("asia.json"), spec);
        return spec;
    }

    private static void AssertRefused((int Code, string Out, string Err) r, string what)
    {
        Assert.That(r.Code, Is.EqualTo(2), r.Err);
        Assert.That(r.Err.Trim().Split('\n'), Has.Length.EqualTo(1), r.Err);
        Assert.That(r.Err, Does.Contain(what), r.Err);
    }

    [Test]
    public void AnOutputThatIsAnInput_IsRefused_AndTheInputIsUntouched()
    {
        var dir = CliRunner.TempDir();
        var spec = Asia(dir);
        var before = File.ReadAllBytes(spec);
        AssertRefused(CliRunner.Run("sample", "--spec", spec, "-n", "10", "-o", spec), "it is the input");
        // Through a symbolic link to the spec, and a manifest path that would land on the spec.
        var link = Path.Combine(dir, "link.json");
        File.CreateSymbolicLink(link, spec);
        AssertRefused(CliRunner.Run("sample", "--spec", link, "-n", "10", "-o", spec), "it is the input");
        var specAsManifest = Path.Combine(dir, "t.manifest.json");
        File.Copy(spec, specAsManifest);
        AssertRefused(CliRunner.Run("sample", "--spec", specAsManifest, "-n", "10", "-o", Path.Combine(dir, "t.csv")), "it is the input");
        Assert.That(File.ReadAllBytes(spec), Is.EqualTo(before));
        Assert.That(File.Exists(Path.Combine(dir, "t.csv")), Is.False);
        // verify, ate and extract with -o = --data.
        var data = Path.Combine(dir, "d.csv");
        Assert.That(CliRunner.Run("sample", "-n", "500", "-o", data).Code, Is.EqualTo(0));
        var dataBytes = File.ReadAllBytes(data);
        AssertRefused(CliRunner.Run("verify", "--data", data, "-o", data), "it is the input");
        AssertRefused(CliRunner.Run("ate", "--data", data, "--treatment", "smoke", "--treated", "yes", "--control", "no", "--outcome", "dysp", "--covariates", "asia", "-o", data), "it is the input");
        Assert.That(File.ReadAllBytes(data), Is.EqualTo(dataBytes));
    }

    [Test]
    public void SpecialTargets_AreRefused()
    {
        var dir = CliRunner.TempDir();
        var target = Path.Combine(dir, "real.csv");
        File.WriteAllText(target, "keep");
        var link = Path.Combine(dir, "link.csv");
        File.CreateSymbolicLink(link, target);
        AssertRefused(CliRunner.Run("sample", "-n", "10", "-o", link), "symbolic link");
        Assert.That(File.ReadAllText(target), Is.EqualTo("keep"));
        Directory.CreateDirectory(Path.Combine(dir, "folder.csv"));
        AssertRefused(CliRunner.Run("sample", "-n", "10", "-o", Path.Combine(dir, "folder.csv")), "directory");
        if (OperatingSystem.IsLinux())
        {
            AssertRefused(CliRunner.Run("sample", "-n", "10", "-o", "/dev/null"), "not a regular file");
            var fifo = Path.Combine(dir, "pipe.csv");
            using (var p = Process.Start("mkfifo", fifo)) p.WaitForExit();
            AssertRefused(CliRunner.Run("sample", "-n", "10", "-o", fifo), "not a regular file");
        }
    }

    [Test]
    public void AManifestThatCannotBeWritten_LeavesNoTable()
    {
        var dir = CliRunner.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "t.manifest.json"));
        AssertRefused(CliRunner.Run("sample", "-n", "10", "-o", Path.Combine(dir, "t.csv")), "directory");
        Assert.That(Directory.GetFiles(dir), Is.Empty);
    }

    [Test]
    public void ArtifactWriter_CommitsAllOrNothing()
    {
        var dir = CliRunner.TempDir();
        var table = Path.Combine(dir, "a.csv");
        var manifest = Path.Combine(dir, "a.manifest.json");
        using (var set = new ArtifactWriter())
        {
            set.Add(table, "x\n"u8);
            set.Add(manifest, "{}"u8);
            // The manifest is renamed first; then the table's rename fails (a directory took its name).
            Directory.CreateDirectory(table);
            Assert.Catch<IOException>(() => set.Commit());
        }
        Assert.That(File.Exists(manifest), Is.False, "the manifest renamed first is removed again");
        Assert.That(Directory.GetFiles(dir, ".*"), Is.Empty, "no temporary file is left");
        using (var set = new ArtifactWriter())
        {
            set.Add(Path.Combine(dir, "b.csv"), "y\n"u8);
            // Not committed: disposing leaves nothing.
        }
        Assert.That(Directory.GetFiles(dir), Is.Empty);
    }

    [Test]
    public void StaleTemporaries_OfDeadProcesses_AreRemoved_OthersKept()
    {
        var dir = CliRunner.TempDir();
        var stale = Path.Combine(dir, $".t.csv.tmp-{int.MaxValue - 7}-{Guid.NewGuid():N}");
        var alive = Path.Combine(dir, $".t.csv.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        var other = Path.Combine(dir, ".other.csv.tmp-1-x");
        foreach (var f in new[] { stale, alive, other }) File.WriteAllText(f, "partial");
        Assert.That(CliRunner.Run("sample", "-n", "10", "-o", Path.Combine(dir, "t.csv")).Code, Is.EqualTo(0));
        Assert.That(File.Exists(stale), Is.False);
        Assert.That(File.Exists(alive), Is.True, "a running process's temporary file is not touched");
        Assert.That(File.Exists(other), Is.True, "another target's files are not touched");
    }

    [Test]
    public void Sigterm_DuringAWrite_LeavesNoTemporaryFile()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("needs POSIX signals (kill)");
        var dir = CliRunner.TempDir();
        var cli = Path.Combine(TestContext.CurrentContext.TestDirectory, "hybridsynth.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { cli, "sample", "-n", "100000000", "-o", Path.Combine(dir, "big.csv"), "--quiet" }) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        // Wait until the temporary file exists and grows, then send SIGTERM.
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(20) && Directory.GetFiles(dir, ".big.csv.tmp-*").Length == 0) Thread.Sleep(50);
        Assert.That(Directory.GetFiles(dir, ".big.csv.tmp-*"), Is.Not.Empty, "the run started writing");
        Thread.Sleep(500);
        using (var kill = Process.Start("kill", $"-TERM {p.Id}")) kill.WaitForExit();
        Assert.That(p.WaitForExit(20000), Is.True);
        Assert.That(p.ExitCode, Is.Not.EqualTo(0));
        Assert.That(Directory.GetFiles(dir), Is.Empty, "no table, no manifest, no temporary file");
    }

    [Test]
    public void AFormulaThatDividesByZero_IsOneLocatedLine_AndNoTable()
    {
        var dir = CliRunner.TempDir();
        var spec = Path.Combine(dir, "div.json");
        File.WriteAllText(spec, "{\"variables\": [{\"name\": \"W\", \"type\": \"continuous\", \"mechanism\": {\"type\": \"formula\", \"value\": \"Z\"}}, "
            + "{\"name\": \"Y\", \"type\": \"continuous\", \"parents\": [\"W\"], \"mechanism\": {\"type\": \"formula\", \"value\": \"W / 0\"}}]}");
        var r = CliRunner.Run("sample", "--spec", spec, "-n", "100", "-o", Path.Combine(dir, "y.csv"));
        AssertRefused(r, "'Y' of unit 0: the formula 'W / 0' gave");
        Assert.That(Directory.GetFiles(dir).Select(Path.GetFileName), Is.EquivalentTo(new[] { "div.json" }));
    }
}
