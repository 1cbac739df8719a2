using System.Xml.Linq;
using Newtonsoft.Json.Linq;
using NUnit.Framework;

namespace HybridSynth.Cli.Tests;

public class VerifyCommandTests
{
    private static (string Dir, string Data) Sampled(string spec, int n, ulong seed)
    {
        var dir = CliRunner.TempDir();
        var data = Path.Combine(dir, "d.csv");
        var r = CliRunner.Run("sample", "--spec", spec, "-n", n.ToString(), "--seed", seed.ToString(), "-o", data);
        Assert.That(r.Code, Is.EqualTo(0), r.Err);
        return (dir, data);
    }

    [Test]
    public void Verify_WritesReportQqPlotAndManifest_AndSummarises()
    {
        var (dir, data) = Sampled("builtin:asia", 20_000, 2);
        var (code, stdout, err) = CliRunner.Run("verify", "--data", data);
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(stdout, Does.Contain("implied independences:").And.Contain("edges found dependent:"));
        var report = JObject.Parse(File.ReadAllText(Path.Combine(dir, "d.verify.json")));
        Assert.That(report["summary"]!.Value<int>("tested"), Is.GreaterThan(10));
        Assert.That(report["summary"]!["false_positive_rate"]!.Value<double>("rate"), Is.InRange(0.0, 0.3));
        var svg = XDocument.Load(Path.Combine(dir, "d.verify-qq.svg"));
        Assert.That(svg.Root!.Name.LocalName, Is.EqualTo("svg"));
        // One marker per tested statement, and one in the legend.
        Assert.That(svg.Descendants().Count(e => e.Name.LocalName == "ellipse"), Is.EqualTo(report["summary"]!.Value<int>("tested") + 1));
        var manifest = JObject.Parse(File.ReadAllText(Path.Combine(dir, "d.verify.manifest.json")));
        Assert.That(manifest.Value<string>("command"), Is.EqualTo("verify"));
        Assert.That(manifest["data"]!.Value<string>("sha256"), Has.Length.EqualTo(64));
    }

    [Test]
    public void Replicates_AuditIndependentDatasetsFromTheSpec_WithTheIntervalAcrossThem()
    {
        var dir = CliRunner.TempDir();
        var report = Path.Combine(dir, "rep.json");
        var (code, stdout, err) = CliRunner.Run("verify", "--spec", "builtin:asia", "--replicates", "12", "-n", "2000", "--seed", "3", "-o", report);
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(stdout, Does.Contain("over 12 datasets").And.Contain("95% t interval"));
        var body = JObject.Parse(File.ReadAllText(report));
        Assert.That((int)body["replicates"]!, Is.EqualTo(12));
        var rates = body["per_replicate"]!.Select(x => (double)x["rate"]!).ToList();
        Assert.That((double)body["false_positive_rate"]!["mean"]!, Is.EqualTo(rates.Average()).Within(1e-15));
        Assert.That(File.Exists(Path.Combine(dir, "rep-qq.svg")) && File.Exists(Path.Combine(dir, "rep.manifest.json")));
        // Same seed, same bytes; another seed, other datasets.
        var again = Path.Combine(dir, "again.json");
        Assert.That(CliRunner.Run("verify", "--spec", "builtin:asia", "--replicates", "12", "-n", "2000", "--seed", "3", "-o", again).Code, Is.EqualTo(0));
        Assert.That(File.ReadAllText(again), Is.EqualTo(File.ReadAllText(report)));
        var (sampleCode, _, _) = CliRunner.Run("sample", "-n", "100", "-o", Path.Combine(dir, "d.csv"));
        Assert.That(sampleCode, Is.EqualTo(0));
        var both = CliRunner.Run("verify", "--data", Path.Combine(dir, "d.csv"), "--replicates", "3");
        Assert.That(both.Code, Is.EqualTo(2));
        Assert.That(both.Err, Does.Contain("not both"));
        Assert.That(CliRunner.Run("verify", "--replicates", "1").Code, Is.EqualTo(2), "an interval across replicates needs two");
        Assert.That(CliRunner.Run("verify").Err, Does.Contain("--data FILE.csv").And.Contain("--replicates"));
    }

    [Test]
    public void FailAbove_GivesExitCode1_WhenTheDataBreakTheGraph()
    {
        // Data from the confounder model audited against the collider model (same variable names): A and Y are dependent, but the collider graph says A ⟂ Y.
        var (_, data) = Sampled(CliRunner.Dag("confounder.json"), 5000, 3);
        var (code, stdout, err) = CliRunner.Run("verify", "--spec", CliRunner.Dag("collider.json"), "--data", data, "--fail-above", "0.2", "--json");
        Assert.That(code, Is.EqualTo(1), stdout + err);
        Assert.That(err, Does.Contain("above --fail-above"));
        var (code2, _, _) = CliRunner.Run("verify", "--spec", CliRunner.Dag("collider.json"), "--data", data);
        Assert.That(code2, Is.EqualTo(0), "without --fail-above the exit code is 0 whatever the result");
    }

    [Test]
    public void BadData_GivesALocatedError()
    {
        var dir = CliRunner.TempDir();
        var data = Path.Combine(dir, "bad.csv");
        File.WriteAllText(data, "asia,tub\nyes,no\nmaybe,no\n");
        var (code, _, err) = CliRunner.Run("verify", "--data", data);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err.Trim(), Is.EqualTo($"{data}:3:1: 'maybe' is not a state of 'asia'; expected one of: yes, no"));
    }

    [Test]
    public void MissingColumns_AreTreatedAsUnobserved()
    {
        var dir = CliRunner.TempDir();
        var data = Path.Combine(dir, "part.csv");
        var full = Sampled("builtin:asia", 3000, 5).Data;
        File.WriteAllLines(data, File.ReadAllLines(full).Select(l => string.Join(",", l.Split(',').Take(4))));
        var (code, stdout, err) = CliRunner.Run("verify", "--data", data, "--json");
        Assert.That(code, Is.EqualTo(0), err);
        var report = JObject.Parse(File.ReadAllText(Path.Combine(dir, "part.verify.json")));
        Assert.That(report["unobserved"]!.Values<string>(), Is.EqualTo(new[] { "bronc", "either", "xray", "dysp" }));
        Assert.That(stdout, Does.Contain("\"summary\""));
    }
}
