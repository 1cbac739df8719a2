using System.Text.RegularExpressions;
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.IO;
using NUnit.Framework;

namespace HybridSynth.Verifier.Tests;

/// <summary>The README's C# example compiles (it is this assembly's <see cref="ReadmeCSharpExample"/>), runs, and is the README's text.</summary>
public class ReadmeCSharpExampleTests
{
    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HybridSynth.sln"))) dir = dir.Parent;
        return dir!.FullName;
    }

    private static string Normalise(string code) => string.Join("\n", code.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

    [Test]
    public void TheReadmeShowsExactlyTheCompiledExample()
    {
        var root = RepoRoot();
        var source = File.ReadAllText(Path.Combine(root, "tests", "Verifier.Tests", "ReadmeCSharpExample.cs"));
        var body = Regex.Match(source, "// README:BEGIN\n(.*?)\\s*// README:END", RegexOptions.Singleline).Groups[1].Value;
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var block = Regex.Match(readme, "^```csharp\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline).Groups[1].Value;
        Assert.That(block, Is.Not.Empty, "the README has a C# example");
        Assert.That(Normalise(block), Does.Contain(Normalise(body)), "the README's example is the compiled one");
        foreach (var u in Regex.Matches(source, "^using (HybridSynth[^;]*);", RegexOptions.Multiline).Select(m => m.Groups[1].Value))
            Assert.That(block, Does.Contain($"using {u};"), "the README lists the example's usings");
    }

    [Test]
    public void TheExampleRuns_AndItsNumbersAreTheExactOnes()
    {
        var output = new StringWriter();
        var (dysp, ate, fpr) = ReadmeCSharpExample.Run(output);
        // Independent checks: the same quantities through the other public paths.
        var model = SpecLoader.Load("builtin:asia").Model;
        var contrast = TreatmentContrast.Resolve(model, "smoke", "dysp", "yes", "no", "yes");
        Assert.That(ate, Is.EqualTo(ExactEffects.AverageTreatmentEffect(model, contrast).MeanTreated - ExactEffects.AverageTreatmentEffect(model, contrast).MeanControl).Within(1e-15));
        Assert.That(dysp[0], Is.EqualTo(ExactEffects.AverageTreatmentEffect(model, contrast).MeanTreated).Within(1e-15), "P(dysp = yes | do(smoke = yes)) is the treated arm's mean of 1[dysp = yes]");
        Assert.That(ate, Is.EqualTo(0.2337).Within(5e-5), "smoking raises P(dysp = yes) by 0.2337 (the default contrast, no vs yes on 1[dysp = no], flips both and gives the same number)");
        Assert.That(fpr, Is.InRange(0.0, 0.3));
        Assert.That(output.ToString(), Does.Contain("ATE (smoke = yes (treated) vs no (control) on dysp, scale 1[dysp = yes])"));
    }
}
