using Newtonsoft.Json.Linq;
using NUnit.Framework;

namespace HybridSynth.Cli.Tests;

public class SampleCommandTests
{
    [Test]
    public void Sample_WritesCsvAndManifest()
    {
        var dir = CliRunner.TempDir();
        var output = Path.Combine(dir, "asia.csv");
        var (code, stdout, stderr) = CliRunner.Run("sample", "-n", "500", "--seed", "3", "-o", output);
        Assert.That(code, Is.EqualTo(0), stderr);
        Assert.That(stdout, Does.Contain("wrote 500 rows"));
        var lines = File.ReadAllLines(output);
        Assert.That(lines[0], Is.EqualTo("asia,tub,smoke,lung,bronc,either,xray,dysp"));
        Assert.That(lines, Has.Length.EqualTo(501));
        var manifest = JObject.Parse(File.ReadAllText(Path.Combine(dir, "asia.manifest.json")));
        Assert.That(manifest.Value<ulong>("seed"), Is.EqualTo(3));
        Assert.That(manifest.Value<long>("rows"), Is.EqualTo(500));
        Assert.That(manifest["spec"]!.Value<string>("path"), Is.EqualTo("builtin:asia"));
        Assert.That(manifest["spec"]!.Value<string>("sha256"), Has.Length.EqualTo(64));
        Assert.That(manifest["columns"]!.Select(c => c.Value<string>("role")), Is.All.EqualTo("covariate"));
        Assert.That(manifest["output"]!.Value<string>("sha256"), Is.EqualTo(Sha256(output)));
    }

    [Test]
    public void SameSeed_GivesByteIdenticalFiles_WithOneOrTwoThreads_AndAnyChunkSize()
    {
        var dir = CliRunner.TempDir();
        var a = Path.Combine(dir, "a.csv");
        var b = Path.Combine(dir, "b.csv");
        Assert.That(CliRunner.Run("sample", "--spec", CliRunner.Dag("clinical.json"), "-n", "20000", "--seed", "9", "-o", a, "--threads", "1").Code, Is.EqualTo(0));
        Assert.That(CliRunner.Run("sample", "--spec", CliRunner.Dag("clinical.json"), "-n", "20000", "--seed", "9", "-o", b, "--threads", "2", "--chunk-size", "999").Code, Is.EqualTo(0));
        Assert.That(File.ReadAllBytes(b), Is.EqualTo(File.ReadAllBytes(a)));
        Assert.That(File.ReadAllBytes(Path.Combine(dir, "b.manifest.json")).Length, Is.GreaterThan(0));
    }

    [Test]
    public void Do_FixesTheVariable_AndIsRecorded()
    {
        var dir = CliRunner.TempDir();
        var output = Path.Combine(dir, "do.jsonl");
        var (code, _, err) = CliRunner.Run("sample", "-n", "200", "--do", "smoke=yes", "--do", "asia=no", "-o", output);
        Assert.That(code, Is.EqualTo(0), err);
        var rows = File.ReadAllLines(output).Select(JObject.Parse).ToList();
        Assert.That(rows.Select(r => r.Value<string>("smoke")), Is.All.EqualTo("yes"));
        Assert.That(rows.Select(r => r.Value<string>("asia")), Is.All.EqualTo("no"));
        var manifest = JObject.Parse(File.ReadAllText(Path.Combine(dir, "do.manifest.json")));
        Assert.That(manifest["interventions"]!.Values<string>(), Is.EqualTo(new[] { "do(smoke=yes)", "do(asia=no)" }));
    }

    [Test]
    public void TreatmentAndOutcome_GivePotentialOutcomeColumns_HiddenVariablesAreNotWritten()
    {
        var dir = CliRunner.TempDir();
        var output = Path.Combine(dir, "c.csv");
        Assert.That(CliRunner.Run("sample", "--spec", CliRunner.Dag("clinical.json"), "-n", "100", "-o", output).Code, Is.EqualTo(0));
        var header = File.ReadLines(output).First().Split(',');
        Assert.That(header, Is.EqualTo(new[] { "age_group", "sex", "smoker", "systolic_bp", "comorbidity", "statin", "cv_event", "cv_event(statin=no)", "cv_event(statin=yes)", "ite" }));
        var withHidden = Path.Combine(dir, "h.csv");
        Assert.That(CliRunner.Run("sample", "--spec", CliRunner.Dag("clinical.json"), "-n", "10", "-o", withHidden, "--include-hidden", "--with-noise", "--no-potential-outcomes").Code, Is.EqualTo(0));
        var header2 = File.ReadLines(withHidden).First().Split(',');
        Assert.That(header2, Does.Contain("frailty").And.Contain("U_frailty").And.Contain("U_statin").And.Not.Contain("ite"));
    }

    [Test]
    public void SoftIntervention_FromAFile_ReplacesTheMechanism()
    {
        var dir = CliRunner.TempDir();
        var soft = Path.Combine(dir, "soft.json");
        File.WriteAllText(soft, "{\"soft_interventions\": [{\"variable\": \"A\", \"parents\": [], \"mechanism\": {\"type\": \"cpt\", \"table\": [[0.0, 1.0]]}}]}");
        var output = Path.Combine(dir, "s.csv");
        var (code, _, err) = CliRunner.Run("sample", "--spec", CliRunner.Dag("confounder.json"), "-n", "50", "--soft", soft, "-o", output, "--no-potential-outcomes");
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(File.ReadLines(output).Skip(1).Select(l => l.Split(',')[1]), Is.All.EqualTo("1"));
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));
}
