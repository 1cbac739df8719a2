using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Tests.Support;
using Newtonsoft.Json.Linq;
using NUnit.Framework;

namespace HybridSynth.Suites.Tests;

/// <summary>Suites: sharding and job counts give the same bytes, builds resume, keys alone fix datasets, truths are exact.</summary>
public class SuiteBuilderTests
{
    private const string Suite = """
    name: small
    seed: 5
    models:
      - name: asia
        spec: builtin:asia
        sizes: [300, 600]
        replicates: 2
        regimes:
          - observational
          - do: { smoke: "yes" }
        counterfactuals:
          - do: { smoke: "no" }
        queries:
          - { treatment: smoke, outcome: dysp, treated: "yes", control: "no", event: "yes" }
      - name: conf
        spec: DAGS/confounder.json
        sizes: [400]
        queries:
          - {}
      - name: rnd
        spec: random:sf:nodes=15,degree=2,states=2-3,seed=3
        sizes: [200]
    """;

    private static SuiteFile Read(string text = Suite) => SuiteFile.Read(text.Replace("DAGS/", Path.Combine(Paths.RepoRoot, "benchmarks", "dags") + "/"), "small.yaml");

    private static string Temp()
    {
        var d = Path.Combine(Path.GetTempPath(), "hs-suite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }

    private static Dictionary<string, byte[]> Files(string dir) =>
        Directory.GetFiles(dir, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(dir, f), File.ReadAllBytes);

    private static void AssertSameTree(string a, string b)
    {
        var fa = Files(a);
        var fb = Files(b);
        Assert.That(fb.Keys.Order(), Is.EqualTo(fa.Keys.Order()));
        foreach (var (k, v) in fa) Assert.That(fb[k], Is.EqualTo(v), k);
    }

    [Test]
    public void ShardsAndJobs_GiveTheUnshardedSuite_ByteForByte()
    {
        var suite = Read();
        var whole = Temp();
        var result = SuiteBuilder.Build(suite, whole);
        SuiteBuilder.Index(whole);
        Assert.That(result.Built, Is.EqualTo(2 * 2 * 3 + 1 + 1), "asia: 2 regimes + 1 counterfactual, 2 sizes, 2 replicates; conf; rnd");
        var sharded = Temp();
        SuiteBuilder.Build(suite, sharded, jobs: 3, shard: 1, shards: 2);
        SuiteBuilder.Build(suite, sharded, jobs: 2, shard: 2, shards: 2);
        SuiteBuilder.Index(sharded);
        AssertSameTree(whole, sharded);
        var plan = SuiteBuilder.Plan(suite);
        Assert.That(plan.Count(d => d.Shard(2) == 1), Is.InRange(1, plan.Count - 1), "both shards have work");
    }

    [Test]
    public void AnInterruptedOrDamagedDataset_IsRebuilt_AndCompleteOnesAreSkipped()
    {
        var suite = Read();
        var dir = Temp();
        SuiteBuilder.Build(suite, dir);
        var reference = Temp();
        SuiteBuilder.Build(suite, reference);
        var folders = Directory.GetDirectories(dir).Order().ToArray();
        // A killed build leaves its temporary folder; a damaged dataset has a file that does not match its record; a
        // missing record means the dataset never completed.
        Directory.CreateDirectory(Path.Combine(dir, $".tmp-{Path.GetFileName(folders[0])}-{int.MaxValue - 3}-x"));
        File.AppendAllText(Path.Combine(folders[1], "data.csv"), "tampered\n");
        File.Delete(Path.Combine(folders[2], SuiteBuilder.RecordFile));
        var again = SuiteBuilder.Build(suite, dir);
        Assert.That(again.Built, Is.EqualTo(2));
        Assert.That(again.Skipped, Is.EqualTo(SuiteBuilder.Plan(suite).Count - 2));
        Assert.That(Directory.GetDirectories(dir, ".tmp-*"), Is.Empty, "the dead build's temporary folder is removed");
        AssertSameTree(reference, dir);
    }

    [Test]
    public void ADatasetDependsOnItsKeyOnly_NotOnTheRestOfTheSuite()
    {
        var small = Temp();
        SuiteBuilder.Build(Read(), small);
        // More replicates and another model: every dataset already there is unchanged.
        var larger = Temp();
        SuiteBuilder.Build(Read(Suite.Replace("replicates: 2", "replicates: 3") + "\n  - name: extra\n    spec: builtin:asia\n    sizes: [100]\n"), larger);
        foreach (var folder in Directory.GetDirectories(small))
            foreach (var file in Directory.GetFiles(folder))
                Assert.That(File.ReadAllBytes(Path.Combine(larger, Path.GetFileName(folder), Path.GetFileName(file))), Is.EqualTo(File.ReadAllBytes(file)), file);
        // asia: 3 regimes × 2 sizes × 3 replicates = 18 (was 12), and one dataset of the extra model.
        Assert.That(Directory.GetDirectories(larger).Length, Is.EqualTo(Directory.GetDirectories(small).Length + 6 + 1));
    }

    [Test]
    public void TheTruths_AreTheExactOnes_AndTheTablesHoldWhatTheirRegimeSays()
    {
        var dir = Temp();
        SuiteBuilder.Build(Read(), dir);
        JObject Truth(string prefix) => JObject.Parse(File.ReadAllText(Path.Combine(Directory.GetDirectories(dir, prefix + "*").Order().First(), "truth.json")));
        var observational = Truth("asia_observational_n=300_r=0");
        Assert.That((double)observational["effects"]![0]!["ate"]!, Is.EqualTo(0.2336748).Within(1e-12), "the exact ATE of smoking on dyspnoea");
        Assert.That((string?)observational["marginals"]!["dysp"]!["method"], Does.StartWith("exact"));
        var doSmoke = Truth("asia_do_smoke=yes");
        Assert.That((double)doSmoke["marginals"]!["smoke"]!["distribution"]!["yes"]!, Is.EqualTo(1.0));
        Assert.That(doSmoke["effects"]!, Is.Empty, "the regime fixes the treatment: no effect to report");
        var header = File.ReadLines(Path.Combine(Directory.GetDirectories(dir, "asia_cf_*").First(), "data.csv")).First();
        Assert.That(header, Does.Contain("smoke_cf").And.Contain("dysp_cf"));
        var po = File.ReadLines(Path.Combine(Directory.GetDirectories(dir, "asia_observational*").First(), "data.csv")).First();
        Assert.That(po, Does.Contain("dysp(smoke=no)").And.Contain("ite"));
        Assert.That((double)Truth("conf_")["effects"]![0]!["ate"]!, Is.EqualTo(0.2).Within(1e-12), "confounder.json's ATE");
        var record = JObject.Parse(File.ReadAllText(Path.Combine(Directory.GetDirectories(dir, "rnd_*").First(), SuiteBuilder.RecordFile)));
        Assert.That((string?)record["model_file"], Is.EqualTo("model.bif"));
        SuiteBuilder.Index(dir);
        var index = File.ReadAllLines(Path.Combine(dir, "index.csv"));
        Assert.That(index, Has.Length.EqualTo(1 + 14));
        Assert.That(index.Single(l => l.StartsWith("asia/observational/n=300/r=0,", StringComparison.Ordinal)), Does.EndWith(",0.23367479999999996,"), "the ATE, then an empty audit rate (no audit asked for)");    }

    [Test]
    public void AuditsAndEstimatorBenchmarks_AreSummarisedAcrossReplicates()
    {
        var suite = Read("""
        name: bench
        seed: 9
        models:
          - name: conf
            spec: DAGS/confounder.json
            sizes: [1500]
            replicates: 12
            queries:
              - {}
            audit: { set: local, test: g2, alpha: 0.05 }
            estimators: [or, aipw]
        """);
        var dir = Temp();
        SuiteBuilder.Build(suite, dir, jobs: 2);
        SuiteBuilder.Index(dir);
        var s = JObject.Parse(File.ReadAllText(Path.Combine(dir, "suite.json")));
        var audit = (JObject)s["audits"]!.Single();
        Assert.That((int)audit["replicates"]!, Is.EqualTo(12));
        // confounder.json implies no independences among its three variables (a complete DAG): nothing to reject.
        var folder = Directory.GetDirectories(dir).First();
        Assert.That(File.Exists(Path.Combine(folder, "audit.json")));
        Assert.That(File.Exists(Path.Combine(folder, "estimates.json")));
        var benchmarks = s["benchmarks"]!.Select(b => (JObject)b).ToList();
        Assert.That(benchmarks.Select(b => (string?)b["estimator"]), Is.EquivalentTo(new[] { "or", "aipw" }));
        foreach (var b in benchmarks)
        {
            Assert.That((double)b["truth"]!, Is.EqualTo(0.2).Within(1e-12));
            Assert.That((int)b["replicates"]!, Is.EqualTo(12));
            // Adjusted estimators are unbiased here: |bias| within 4 Monte Carlo SEs, coverage at least 8 of 12.
            Assert.That(Math.Abs((double)b["bias"]!), Is.LessThan(4 * (double)b["bias_se"]! + 1e-9));
            Assert.That((double)b["coverage"]!, Is.GreaterThanOrEqualTo(8.0 / 12));
        }
    }

    [TestCase("name: x\nseed: 1\nmodels:\n  - spec: builtin:asia\n    size: [10]\n", 5, "unknown key 'size'")]
    [TestCase("name: x\nmodels:\n  - spec: builtin:asia\n    sizes: [10]\n", 1, "needs a seed")]
    [TestCase("name: x\nseed: 1\nmodels:\n  - spec: builtin:asia\n    sizes: [10, 10]\n", 5, "each size once")]
    [TestCase("name: x\nseed: 1\nmodels: [\n", 4, "not valid YAML")]
    [TestCase("name: x\nseed: 1\nformat: xlsx\nmodels:\n  - spec: builtin:asia\n    sizes: [10]\n", 3, "format must be one of")]
    [TestCase("name: x\nseed: 1\nmodels:\n  - spec: builtin:asia\n    sizes: [10]\n    regimes:\n      - soft: nowhere.json\n", 7, "no soft-intervention file")]
    [TestCase("name: x\nseed: 1\nmodels:\n  - spec: builtin:asia\n    sizes: [10]\n    language_model: { model: m.gguf, config_seeds: 5-2 }\n", 6, "FIRST ≤ LAST")]
    [TestCase("name: x\nseed: 1\nmodels:\n  - spec: builtin:asia\n    sizes: [10]\n    realize: { realizer: poetry }\n", 6, "unknown realizer 'poetry'")]
    [TestCase("name: x\nseed: 1\nmodels:\n  - spec: builtin:asia\n    sizes: [10]\n    realize: { realizer: prior-override, options: { corrupt: 2 } }\n", 6, "corrupt must be a probability")]
    public void BadSuites_AreLocatedErrors(string text, int line, string message)
    {
        var e = Assert.Throws<SpecException>(() => SuiteFile.Read(text, "bad.yaml"))!;
        Assert.That(e.ToOneLine(), Does.StartWith($"bad.yaml:{line}:").And.Contain(message));
    }

    [Test]
    public void TheExampleSuite_Parses()
    {
        var suite = SuiteFile.ReadFile(Path.Combine(Paths.RepoRoot, "benchmarks", "suites", "example.yaml"));
        Assert.That(suite.Models.Select(m => m.Name), Is.EqualTo(new[] { "asia", "alarm", "confounder", "xu", "clinic", "random50", "linear" }));
        Assert.That(SuiteBuilder.Plan(suite), Has.Count.EqualTo(89));
        Assert.That(suite.Models.Single(m => m.Name == "clinic").LanguageModel!.ConfigSeeds, Is.EqualTo(new ulong[] { 1, 2, 3, 4 }));
    }
}
