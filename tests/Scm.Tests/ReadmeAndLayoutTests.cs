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
}
