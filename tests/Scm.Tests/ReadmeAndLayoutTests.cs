using System.Text.RegularExpressions;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.Scm.Tests;

public class ReadmeAndLayoutTests
{
    [Test]
    public void TheReadmeSpecExample_Loads()
    {
        var readme = File.ReadAllText(Path.Combine(Paths.RepoRoot, "README.md"));
        var match = Regex.Match(readme, "```json\n(.*?)```", RegexOptions.Singleline);
        Assert.That(match.Success, "the README has a JSON spec example");
        var model = JsonSpecReader.Read(match.Groups[1].Value, "README.md");
        Assert.That(model.Count, Is.EqualTo(4));
        Assert.That(model[model.IndexOf("U")].Hidden, Is.True);
    }

    [Test]
    public void Scm_ReferencesNoOtherHybridSynthProject()
    {
        var references = typeof(CausalModel).Assembly.GetReferencedAssemblies().Select(a => a.Name!);
        Assert.That(references.Where(n => n.StartsWith("HybridSynth", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void EveryProject_ReferencesOnlyWhatTheLayoutAllows()
    {
        // The one-way dependency rule of docs/ARCHITECTURE.md, for every project under src/.
        var allowed = new Dictionary<string, string[]>
        {
            ["Scm"] = Array.Empty<string>(),
            ["Verifier"] = new[] { "Scm" },
            ["Lm"] = new[] { "Scm" },
            ["LmServer"] = new[] { "Lm" },
            ["Realizer"] = new[] { "Scm", "Verifier", "Lm" },
            ["HybridBridge"] = new[] { "Scm", "Lm" },
            ["Plots"] = Array.Empty<string>(),
            ["Suites"] = new[] { "Scm", "Verifier", "Lm", "Realizer", "HybridBridge", "Plots" },
            ["Cli"] = new[] { "Scm", "Verifier", "Lm", "LmServer", "HybridBridge", "Realizer", "Plots", "Suites" },
        };
        var projects = Directory.GetFiles(Path.Combine(Paths.RepoRoot, "src"), "*.csproj", SearchOption.AllDirectories);
        Assert.That(projects.Select(p => Path.GetFileNameWithoutExtension(p)).Order(), Is.EqualTo(allowed.Keys.Order()), "every project is in the table");
        foreach (var project in projects)
        {
            var name = Path.GetFileNameWithoutExtension(project);
            var text = File.ReadAllText(project);
            var references = Regex.Matches(text, "<ProjectReference Include=\"\\.\\./([A-Za-z]+)/").Select(m => m.Groups[1].Value).Order();
            Assert.That(references, Is.EquivalentTo(allowed[name]), name);
        }
        var scm = File.ReadAllText(Path.Combine(Paths.RepoRoot, "src/Scm/Scm.csproj"));
        Assert.That(scm, Does.Not.Contain("LLamaSharp").And.Not.Contain("<AllowUnsafeBlocks>true"), "Scm has no native code");
    }
}
