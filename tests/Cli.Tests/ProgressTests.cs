using System.Diagnostics;
using NUnit.Framework;

namespace HybridSynth.Cli.Tests;

/// <summary>
/// Progress on stderr when it is a terminal (run under a pseudo-terminal with util-linux <c>script</c>),
/// silenced by <c>--quiet</c>, and never on redirected output.
/// </summary>
public class ProgressTests
{
    /// <summary>Runs the CLI on a pseudo-terminal and returns everything it showed.</summary>
    private static (int Code, string Screen) OnTerminal(params string[] args)
    {
        if (!File.Exists("/usr/bin/script")) Assert.Ignore("needs util-linux 'script' to give the command a terminal");
        var cli = Path.Combine(TestContext.CurrentContext.TestDirectory, "hybridsynth.dll");
        var command = "dotnet " + string.Join(" ", new[] { cli }.Concat(args).Select(a => "'" + a.Replace("'", "'\\''") + "'"));
        var start = new ProcessStartInfo("/usr/bin/script", ["-qec", command, "/dev/null"]) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.Environment["CI"] = "";
        start.Environment["COLUMNS"] = "160";
        using var p = Process.Start(start)!;
        var screen = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(120_000)) { p.Kill(true); Assert.Fail("the command did not finish"); }
        return (p.ExitCode, screen.Result);
    }

    private static string Sample(string dir, int n)
    {
        var data = Path.Combine(dir, "asia.csv");
        var r = CliRunner.Run("sample", "-n", n.ToString(), "--seed", "4", "-o", data);
        Assert.That(r.Code, Is.EqualTo(0), r.Err);
        return data;
    }

    [Test]
    public void Verify_ShowsReadingAndTestingProgress_OnATerminal_AndNothingWithQuiet()
    {
        var dir = CliRunner.TempDir();
        var data = Sample(dir, 400000);
        var (code, screen) = OnTerminal("verify", "--data", data, "-o", Path.Combine(dir, "a.json"));
        Assert.That(code, Is.EqualTo(0), screen);
        Assert.That(screen, Does.Contain("verify: reading asia.csv").And.Contain("verify: testing on 400,000 rows"));
        var (quietCode, quiet) = OnTerminal("--quiet", "verify", "--data", data, "-o", Path.Combine(dir, "b.json"));
        Assert.That(quietCode, Is.EqualTo(0), quiet);
        Assert.That(quiet, Does.Not.Contain("verify: testing"));
        var redirected = CliRunner.Run("verify", "--data", data, "-o", Path.Combine(dir, "c.json"));
        Assert.That(redirected.Err, Is.Empty, "no progress on redirected stderr");
    }

    [Test]
    public void Simulate_Realize_Extract_AndAte_ShowProgress_OnATerminal()
    {
        var dir = CliRunner.TempDir();
        var data = Sample(dir, 3000);
        var (code, screen) = OnTerminal("simulate", "--spec", CliRunner.Dag("confounder.json"), "--sizes", "200,400", "--reps", "40", "-o", Path.Combine(dir, "sim"));
        Assert.That(code, Is.EqualTo(0), screen);
        Assert.That(screen, Does.Contain("simulate: 40 replications × 2 sizes"));
        var notes = Path.Combine(dir, "asia.notes.jsonl");
        (code, screen) = OnTerminal("realize", "--data", data, "--mode", "compare", "-o", notes);
        Assert.That(code, Is.EqualTo(0), screen);
        Assert.That(screen, Does.Contain("realize: 3,000 rows, correction and rejection"));
        (code, screen) = OnTerminal("extract", "--data", notes, "-o", Path.Combine(dir, "x.csv"));
        Assert.That(code, Is.EqualTo(0), screen);
        Assert.That(screen, Does.Contain("extract: asia.notes.jsonl"));
        var conf = Path.Combine(dir, "conf.csv");
        Assert.That(CliRunner.Run("sample", "--spec", CliRunner.Dag("confounder.json"), "-n", "60000", "-o", conf, "--no-potential-outcomes").Code, Is.EqualTo(0));
        (code, screen) = OnTerminal("ate", "--data", conf, "--treatment", "A", "--outcome", "Y", "--covariates", "Z", "--propensity-learner", "forest", "--folds", "1");
        Assert.That(code, Is.EqualTo(0), screen);
        Assert.That(screen, Does.Contain("ate: fitting the nuisances on 60,000 rows"));
    }

    [Test]
    public void Suite_ShowsDatasetsRowsPerSecondAndTimeLeft_OnATerminal()
    {
        var dir = CliRunner.TempDir();
        var suite = Path.Combine(dir, "p.yaml");
        File.WriteAllText(suite, "name: p\nseed: 1\nmodels:\n  - spec: builtin:asia\n    sizes: [200000]\n    replicates: 12\n");
        var (code, screen) = OnTerminal("suite", suite, "-o", Path.Combine(dir, "out"));
        Assert.That(code, Is.EqualTo(0), screen);
        Assert.That(screen, Does.Contain("suite p: datasets").And.Match("[0-9]+/12").And.Match("[0-9.]+[kM]? rows/s"));
    }
}
