using Newtonsoft.Json.Linq;
using NUnit.Framework;

namespace HybridSynth.Cli.Tests;

public class RealizeCommandTests
{
    [Test]
    public void Realize_TemplateNotes_ExtractBackToTheSkeleton()
    {
        var dir = CliRunner.TempDir();
        var data = Path.Combine(dir, "asia.csv");
        Assert.That(CliRunner.Run("sample", "-n", "300", "--seed", "2", "-o", data).Code, Is.EqualTo(0));
        var (code, stdout, err) = CliRunner.Run("realize", "--data", data, "--json");
        Assert.That(code, Is.EqualTo(0), err);
        var report = JObject.Parse(stdout)["report"]!["correction"]!;
        Assert.That(report.Value<double>("realizability"), Is.EqualTo(1.0));
        Assert.That(report.Value<double>("mean_rounds"), Is.EqualTo(1.0));
        var notes = Path.Combine(dir, "asia.notes.jsonl");
        var first = JObject.Parse(File.ReadLines(notes).First());
        Assert.That(first["skeleton"], Is.EqualTo(first["extracted"]));
        Assert.That(first.Value<string>("status"), Is.EqualTo("consistent"));
        var (code2, _, err2) = CliRunner.Run("extract", "--data", notes);
        Assert.That(code2, Is.EqualTo(0), err2);
        var table = File.ReadAllLines(Path.Combine(dir, "asia.notes.extracted.csv"));
        var original = File.ReadAllLines(data);
        Assert.That(table[0], Is.EqualTo("id," + original[0] + ",status"));
        for (var i = 1; i < table.Length; i++) Assert.That(table[i], Is.EqualTo($"{i - 1},{original[i]},ok"));
    }

    [Test]
    public void Realize_Compare_ReportsBothModes()
    {
        var dir = CliRunner.TempDir();
        var data = Path.Combine(dir, "asia.csv");
        Assert.That(CliRunner.Run("sample", "-n", "1000", "--seed", "3", "-o", data).Code, Is.EqualTo(0));
        var (code, stdout, err) = CliRunner.Run("realize", "--data", data, "--realizer", "prior-override", "--mode", "compare", "--json");
        Assert.That(code, Is.EqualTo(0), err);
        var report = JObject.Parse(stdout)["report"]!;
        Assert.That(report["correction"]!.Value<double>("realizability"), Is.GreaterThan(report["rejection"]!.Value<double>("realizability")));
        Assert.That(report["correction"]!.Value<double>("max_total_variation"), Is.LessThan(report["rejection"]!.Value<double>("max_total_variation")));
    }

    [Test]
    public void Extract_BadJson_IsALocatedError()
    {
        var dir = CliRunner.TempDir();
        var notes = Path.Combine(dir, "n.jsonl");
        File.WriteAllText(notes, "{\"text\": \"Asia is yes.\"}\n{\"text\": 5}\n");
        var (code, _, err) = CliRunner.Run("extract", "--data", notes);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err.Trim(), Is.EqualTo($"{notes}:2:1: expected a \"text\" string"));
    }
}
