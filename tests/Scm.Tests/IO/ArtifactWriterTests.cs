using System.Security.Cryptography;
using HybridSynth.Scm.Errors;
using HybridSynth.Scm.IO;
using Newtonsoft.Json.Linq;
using NUnit.Framework;

namespace HybridSynth.Scm.Tests.IO;

public class ArtifactWriterTests
{
    private static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "hs-artifacts-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    [Test]
    public void CommitWithManifest_DescribesTheMainOutput_AndWritesItBeside()
    {
        var dir = TempDir();
        var output = Path.Combine(dir, "report.json");
        var bytes = "{\"x\": 1}\n"u8.ToArray();
        using (var run = new ArtifactWriter())
        {
            var (length, sha) = run.WriteOutput(output, "json", bytes);
            Assert.That(length, Is.EqualTo(bytes.Length));
            Assert.That(sha, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(bytes))));
            run.Write(Path.Combine(dir, "plot.svg"), "<svg/>"u8.ToArray());
            Assert.That(File.Exists(output), Is.False, "nothing is in place before the commit");
            var manifestPath = run.CommitWithManifest(new RunManifest { Command = "verify", Seed = 3 });
            Assert.That(manifestPath, Is.EqualTo(Path.Combine(dir, "report.manifest.json")));
        }
        var manifest = JObject.Parse(File.ReadAllText(Path.Combine(dir, "report.manifest.json")));
        Assert.That((string?)manifest["output"]!["path"], Is.EqualTo("report.json"));
        Assert.That((string?)manifest["output"]!["format"], Is.EqualTo("json"));
        Assert.That((long)manifest["output"]!["bytes"]!, Is.EqualTo(bytes.Length));
        Assert.That((string?)manifest["output"]!["sha256"], Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(output)))));
        Assert.That((ulong)manifest["seed"]!, Is.EqualTo(3UL));
        Assert.That(File.ReadAllText(Path.Combine(dir, "plot.svg")), Is.EqualTo("<svg/>"));
    }

    [Test]
    public void ARunWithoutAMainOutput_NamesItsManifest()
    {
        var dir = TempDir();
        using var run = new ArtifactWriter();
        run.Write(Path.Combine(dir, "a.csv"), "a\n"u8.ToArray());
        Assert.Throws<ArgumentException>(() => run.CommitWithManifest(new RunManifest { Command = "x" }));
        run.CommitWithManifest(new RunManifest { Command = "x" }, Path.Combine(dir, "run.manifest.json"));
        Assert.That(JObject.Parse(File.ReadAllText(Path.Combine(dir, "run.manifest.json")))["output"], Is.Null);
    }

    [Test]
    public void Inputs_AreProtected_AndASecondMainOutputIsRefused()
    {
        var dir = TempDir();
        var input = Path.Combine(dir, "data.csv");
        File.WriteAllText(input, "a\n1\n");
        using var run = new ArtifactWriter(input);
        Assert.Throws<OutputPathException>(() => run.WriteOutput(input, "csv", "b\n"u8.ToArray()));
        Assert.That(File.ReadAllText(input), Is.EqualTo("a\n1\n"));
        run.WriteOutput(Path.Combine(dir, "out.csv"), "csv", "b\n"u8.ToArray());
        Assert.Throws<InvalidOperationException>(() => run.WriteOutput(Path.Combine(dir, "out2.csv"), "csv", "c\n"u8.ToArray()));
        var record = RunManifest.InputFile(input);
        Assert.That((string?)record["sha256"], Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(input)))));
    }
}
