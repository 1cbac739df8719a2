using NUnit.Framework;

namespace HybridSynth.Cli.Tests;

/// <summary>The <c>suite</c> verb over the example suite: build, shards + index, resume, and bad input.</summary>
public class SuiteCommandTests
{
    private static string Example => Path.Combine(CliRunner.RepoRoot, "benchmarks", "suites", "example.yaml");

    [Test]
    public void TheExampleSuite_Builds_ShardsToTheSameBytes_AndResumes()
    {
        if (CliRunner.SharedRoot is null) Assert.Ignore("the example suite includes bnlearn:alarm (../shared/data/bif)");
        var whole = Path.Combine(CliRunner.TempDir(), "whole");
        var (code, stdout, stderr) = CliRunner.Run("suite", Example, "-o", whole, "--jobs", "2");
        Assert.That(code, Is.EqualTo(0), stderr);
        Assert.That(stdout, Does.Contain("69 datasets built"));
        var sharded = Path.Combine(CliRunner.TempDir(), "sharded");
        Assert.That(CliRunner.Run("suite", Example, "-o", sharded, "--shard", "1/2").Code, Is.EqualTo(0));
        Assert.That(CliRunner.Run("suite", Example, "-o", sharded, "--shard", "2/2").Out, Does.Contain("suite index"));
        Assert.That(CliRunner.Run("suite", "index", sharded).Code, Is.EqualTo(0));
        foreach (var f in Directory.GetFiles(whole, "*", SearchOption.AllDirectories))
            Assert.That(File.ReadAllBytes(Path.Combine(sharded, Path.GetRelativePath(whole, f))), Is.EqualTo(File.ReadAllBytes(f)), f);
        Assert.That(CliRunner.Run("suite", Example, "-o", whole).Out, Does.Contain("0 datasets built, 69 already complete"));
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
