using Newtonsoft.Json.Linq;
using NUnit.Framework;

namespace HybridSynth.Cli.Tests;

public class EstimationCommandTests
{
    private static string SampleConfounder(string dir, int n = 4000)
    {
        var data = Path.Combine(dir, "conf.csv");
        var r = CliRunner.Run("sample", "--spec", CliRunner.Dag("confounder.json"), "-n", n.ToString(), "--seed", "3", "-o", data, "--no-potential-outcomes");
        Assert.That(r.Code, Is.EqualTo(0), r.Err);
        return data;
    }

    [Test]
    public void Ate_EstimatesTheConfounderEffect_AndWritesAReport()
    {
        var dir = CliRunner.TempDir();
        var data = SampleConfounder(dir);
        var report = Path.Combine(dir, "ate.json");
        var (code, stdout, err) = CliRunner.Run("ate", "--data", data, "--treatment", "A", "--outcome", "Y", "--covariates", "Z", "--json", "-o", report);
        Assert.That(code, Is.EqualTo(0), err);
        var o = JObject.Parse(stdout);
        Assert.That(o["estimates"]!.Select(e => e.Value<string>("estimator")), Is.EqualTo(new[] { "or", "ipw", "ipw-hajek", "aipw", "tmle" }));
        foreach (var e in o["estimates"]!)
            Assert.That(Math.Abs(e.Value<double>("estimate") - 0.2), Is.LessThan(4 * e.Value<double>("standard_error")), e.Value<string>("estimator"));
        Assert.That(File.Exists(Path.Combine(dir, "ate.manifest.json")));
    }

    [Test]
    public void Ate_BadOptions_AreOneLineErrors()
    {
        var dir = CliRunner.TempDir();
        var data = SampleConfounder(dir, 200);
        var (code, _, err) = CliRunner.Run("ate", "--data", data, "--treatment", "A", "--outcome", "Nope", "--covariates", "Z");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("no column 'Nope'"));
        var (code2, _, err2) = CliRunner.Run("ate", "--data", data, "--treatment", "A", "--outcome", "Y", "--covariates", "Z", "--estimators", "or,magic");
        Assert.That(code2, Is.EqualTo(2));
        Assert.That(err2, Does.Contain("unknown estimator 'magic'"));
    }

    [Test]
    public void Simulate_WritesTheTableAndOnePlotPerMetric()
    {
        var dir = Path.Combine(CliRunner.TempDir(), "sim");
        var (code, stdout, err) = CliRunner.Run("simulate", "--spec", CliRunner.Dag("confounder.json"), "--sizes", "100,200", "--reps", "10", "-o", dir);
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(stdout, Does.Contain("true ATE 0.2000 (exact (variable elimination))"));
        var lines = File.ReadAllLines(Path.Combine(dir, "simulation.csv"));
        Assert.That(lines, Has.Length.EqualTo(1 + 2 * 5));
        foreach (var metric in new[] { "bias", "variance", "mse", "rmse", "coverage" })
            Assert.That(System.Xml.Linq.XDocument.Load(Path.Combine(dir, metric + ".svg")).Root!.Name.LocalName, Is.EqualTo("svg"));
    }

    [Test]
    public void Hybrid_ComparesHybridAndFullyGenerativeData()
    {
        var dir = CliRunner.TempDir();
        var data = SampleConfounder(dir);
        var output = Path.Combine(dir, "hybrid.csv");
        var (code, stdout, err) = CliRunner.Run("hybrid", "--data", data, "--treatment", "A", "--outcome", "Y", "--covariates", "Z", "--generator", "bn", "-o", output, "--json");
        Assert.That(code, Is.EqualTo(0), err);
        var o = JObject.Parse(stdout);
        Assert.That(o["hybrid"]!.Value<double>("known_ate"), Is.EqualTo(0.2).Within(0.08));
        Assert.That(o["fully_generative"]!["known_ate"]!.Type, Is.EqualTo(JTokenType.Null));
        Assert.That(o["hybrid"]!["tstr"]!.Value<string>("metric"), Is.EqualTo("AUC"));
        Assert.That(File.ReadLines(output).First(), Is.EqualTo("Z,A,Y"));
        var manifest = JObject.Parse(File.ReadAllText(Path.Combine(dir, "hybrid.manifest.json")));
        Assert.That(manifest.Value<double>("known_ate"), Is.EqualTo(o["hybrid"]!.Value<double>("known_ate")));
    }

    [Test]
    public void AteAndHybrid_RequireTheCovariates_NeverGuessingThem()
    {
        var dir = CliRunner.TempDir();
        var data = SampleConfounder(dir);
        foreach (var verb in new[] { "ate", "hybrid" })
        {
            var (code, _, err) = CliRunner.Run(verb, "--data", data, "--treatment", "A", "--outcome", "Y");
            Assert.That(code, Is.EqualTo(2), err);
            Assert.That(err, Does.Contain("--covariates"));
            Assert.That(err.Trim().Split('\n'), Has.Length.EqualTo(1));
        }
    }
}
