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
    public void Realize_WithALanguageModel_ChatsWithinTheContext_OrSaysWhyNot()
    {
        var shared = CliRunner.SharedRoot;
        if (shared is null) Assert.Ignore("needs ../shared/models/stories260K.gguf and ../shared/data/bif/alarm.bif");
        var model = Path.Combine(shared, "models", "stories260K.gguf");
        var dir = CliRunner.TempDir();
        // ALARM's 37 facts do not fit a 1,024-token context: a located refusal (exit 2), not an internal error, and no file.
        var alarm = Path.Combine(shared, "data", "bif", "alarm.bif");
        var data = Path.Combine(dir, "alarm.csv");
        Assert.That(CliRunner.Run("sample", "--spec", alarm, "-n", "2", "-o", data).Code, Is.EqualTo(0));
        var notes = Path.Combine(dir, "alarm.notes.jsonl");
        var (code, _, err) = CliRunner.Run("realize", "--spec", alarm, "--data", data, "--realizer", "lm", "--model", model, "--context", "1024", "-o", notes);
        Assert.That(code, Is.EqualTo(2), err);
        Assert.That(err, Does.StartWith("hybridsynth: the note of unit 0 does not fit the model's context of 1024 tokens").And.Contain("--context"));
        Assert.That(File.Exists(notes), Is.False);
        // ASIA fits: the manifest records the chat (system prompt, the model's lack of a template) and the grammar's realizer.
        var asia = Path.Combine(dir, "asia.csv");
        Assert.That(CliRunner.Run("sample", "-n", "2", "-o", asia).Code, Is.EqualTo(0));
        (code, _, err) = CliRunner.Run("realize", "--data", asia, "--realizer", "lm", "--constrained", "--model", model, "--rounds", "2", "--system-prompt", "Write a note.", "--json");
        Assert.That(code, Is.EqualTo(0), err);
        var manifest = JObject.Parse(File.ReadAllText(Path.Combine(dir, "asia.notes.manifest.json")));
        var options = manifest["options"]!;
        Assert.That(options.Value<string>("realizer"), Is.EqualTo("lm-constrained"));
        Assert.That(options.Value<string>("system_prompt"), Is.EqualTo("Write a note."));
        Assert.That(options.Value<string>("chat_template"), Is.EqualTo("plain transcript (the model has none)"));
        foreach (var line in File.ReadLines(Path.Combine(dir, "asia.notes.jsonl")))
            Assert.That(JObject.Parse(line).Value<string>("text"), Does.Contain("Smoke is"), "every mention is in the note");
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
