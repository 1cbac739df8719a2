using NUnit.Framework;

namespace HybridSynth.Cli.Tests;

/// <summary>The <c>convert</c> and <c>networks</c> verbs: formats by extension, refusals, and the repository's names.</summary>
public class ConvertAndNetworksCommandTests
{
    [Test]
    public void Convert_WritesEachFormat_AndRefusesWhatItCannotHold()
    {
        var dir = CliRunner.TempDir();
        foreach (var ext in new[] { "bif", "json", "dot", "gml", "csv" })
        {
            var (code, stdout, stderr) = CliRunner.Run("convert", "builtin:asia", Path.Combine(dir, "asia." + ext));
            Assert.That(code, Is.EqualTo(0), stderr);
            Assert.That(File.Exists(Path.Combine(dir, $"asia.{ext}.manifest.json")), ext);
            Assert.That(stdout, Does.Contain("8 variables, 8 edges"));
        }
        // The written BIF and JSON are specs again: the exact query agrees.
        var a = CliRunner.Run("query", "--target", "dysp", "--spec", Path.Combine(dir, "asia.bif"), "--json").Out;
        var b = CliRunner.Run("query", "--target", "dysp", "--spec", Path.Combine(dir, "asia.json"), "--json").Out;
        var original = CliRunner.Run("query", "--target", "dysp", "--json").Out;
        double P(string json) => Newtonsoft.Json.Linq.JObject.Parse(json)["distribution"]!.Value<double>("yes");
        Assert.That(P(a), Is.EqualTo(P(original)).Within(1e-14));
        Assert.That(P(b), Is.EqualTo(P(original)).Within(1e-14));
        var unknown = CliRunner.Run("convert", "builtin:asia", Path.Combine(dir, "asia.xml"));
        Assert.That(unknown.Code, Is.EqualTo(2));
        Assert.That(unknown.Err, Does.Contain("unknown output format"));
        var continuous = CliRunner.Run("convert", CliRunner.Dag("clinical.json"), Path.Combine(dir, "c.bif"));
        Assert.That(continuous.Code, Is.EqualTo(2));
        Assert.That(continuous.Err, Does.Contain("continuous").And.Not.Contain("   at "));
        Assert.That(File.Exists(Path.Combine(dir, "c.bif")), Is.False, "nothing is written on failure");
    }

    [Test]
    public void Networks_ListsTheBuiltInSpecs_AndAnUnknownNetworkIsExit2()
    {
        var (code, stdout, stderr) = CliRunner.Run("networks");
        Assert.That(code, Is.EqualTo(0), stderr);
        Assert.That(stdout, Does.Contain("builtin:asia").And.Contain("18"));
        if (CliRunner.SharedRoot is not null) Assert.That(stdout, Does.Contain("bnlearn:alarm").And.Contain("509"), "ALARM has 509 free parameters");
        var bad = CliRunner.Run("describe", "--spec", "bnlearn:no-such-net");
        Assert.That(bad.Code, Is.EqualTo(2));
        Assert.That(bad.Err, Does.StartWith("hybridsynth: bnlearn:no-such-net:"));
    }
}
