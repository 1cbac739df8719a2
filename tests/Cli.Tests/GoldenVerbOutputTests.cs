using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NUnit.Framework;

namespace HybridSynth.Cli.Tests;

/// <summary>
/// Every verb's output, byte for byte, against a recorded golden file: exit code, stdout and the SHA-256
/// of every file written (manifests included), run with paths relative to a fresh folder. Refactors must leave it unchanged; a deliberate change of output is
/// recorded with <c>HYBRIDSYNTH_UPDATE_GOLDEN=1 dotnet test --filter GoldenVerbOutput</c> and reviewed in the diff.
/// The language-model verbs have their own goldens in Lm.Tests (they need ../shared).
/// </summary>
public class GoldenVerbOutputTests
{
    private static readonly string GoldenPath = Path.Combine(CliRunner.RepoRoot, "tests", "Cli.Tests", "Golden", "verbs.json");

    /// <summary>(name, arguments with $DIR and $DAG/, files written under $DIR).</summary>
    private static readonly (string Name, string[] Args, string[] Files)[] Runs =
    [
        ("sample", ["sample", "-n", "2000", "--seed", "3", "-o", "$DIR/asia.csv"], ["asia.csv", "asia.manifest.json"]),
        ("sample-po-jsonl", ["sample", "--spec", "$DAG/clinical.json", "-n", "500", "--seed", "2", "-o", "$DIR/clinical.jsonl"], ["clinical.jsonl", "clinical.manifest.json"]),
        ("sample-do-noise", ["sample", "--do", "smoke=yes", "-n", "300", "--with-noise", "-o", "$DIR/do.csv", "--json"], ["do.csv", "do.manifest.json"]),
        ("sample-formula-threads", ["sample", "--spec", "$DAG/xu_dgp.json", "-n", "400", "--seed", "9", "--threads", "2", "--chunk-size", "64", "-o", "$DIR/xu.csv"], ["xu.csv", "xu.manifest.json"]),
        ("counterfactual", ["counterfactual", "--do", "smoke=no", "-n", "300", "-o", "$DIR/cf.csv"], ["cf.csv", "cf.manifest.json"]),
        ("convert-bif", ["convert", "builtin:asia", "$DIR/asia.bif"], ["asia.bif", "asia.bif.manifest.json"]),
        ("convert-json-dot", ["convert", "$DAG/confounder.json", "$DIR/conf.dot"], ["conf.dot", "conf.dot.manifest.json"]),
        ("describe-random", ["describe", "--spec", "random:sf:nodes=12,degree=2,states=2-3,seed=4"], []),
        ("query-exact", ["query", "--target", "dysp", "--do", "smoke=yes", "--given", "xray=yes"], []),
        ("query-exact-json", ["query", "--target", "either", "--given", "dysp=no", "--json"], []),
        ("query-ate-exact", ["query", "--spec", "$DAG/confounder.json", "--ate", "--json"], []),
        ("query-ate-quadrature", ["query", "--spec", "$DAG/xu_dgp.json", "--ate"], []),
        ("query-ate-mc", ["query", "--spec", "$DAG/clinical.json", "--ate", "--method", "mc", "-n", "20000", "--seed", "4"], []),
        ("query-cate", ["query", "--spec", "$DAG/clinical.json", "--ate", "--given", "smoker=yes", "--json"], []),
        ("describe-local", ["describe", "--independences", "local"], []),
        ("describe-pairwise-json", ["describe", "--spec", "$DAG/clinical.json", "--independences", "pairwise", "--json"], []),
        ("verify", ["verify", "--data", "$DIR/asia.csv", "-o", "$DIR/asia.verify.json"], ["asia.verify.json", "asia.verify-qq.svg", "asia.verify.manifest.json"]),
        ("verify-pairwise-json", ["verify", "--data", "$DIR/asia.csv", "--set", "pairwise", "--test", "g2-perm", "--permutations", "99", "-o", "$DIR/pw.json", "--json"], ["pw.json", "pw-qq.svg", "pw.manifest.json"]),
        ("realize", ["realize", "--data", "$DIR/asia.csv", "--realizer", "prior-override", "--mode", "compare", "-o", "$DIR/notes.jsonl"], ["notes.jsonl", "notes.manifest.json"]),
        ("extract", ["extract", "--data", "$DIR/notes.jsonl", "-o", "$DIR/extracted.csv"], ["extracted.csv", "extracted.manifest.json"]),
        ("sample-confounder", ["sample", "--spec", "$DAG/confounder.json", "-n", "3000", "--seed", "5", "--no-potential-outcomes", "-o", "$DIR/conf.csv"], ["conf.csv", "conf.manifest.json"]),
        ("ate", ["ate", "--data", "$DIR/conf.csv", "--treatment", "A", "--outcome", "Y", "--covariates", "Z", "--augment", "0.1", "-o", "$DIR/ate.json"], ["ate.json", "ate.manifest.json"]),
        ("ate-forest-folds-json", ["ate", "--data", "$DIR/conf.csv", "--treatment", "A", "--outcome", "Y", "--covariates", "Z", "--folds", "2", "--propensity-learner", "forest", "--json"], []),
        ("simulate", ["simulate", "--spec", "$DAG/confounder.json", "--sizes", "100,200", "--reps", "10", "--threads", "2", "-o", "$DIR/sim"],
            ["sim/simulation.csv", "sim/simulation.json", "sim/simulation.manifest.json", "sim/bias.svg", "sim/coverage.svg"]),
        ("hybrid", ["hybrid", "--data", "$DIR/conf.csv", "--treatment", "A", "--outcome", "Y", "--covariates", "Z", "--generator", "bn", "-o", "$DIR/hybrid.csv"], ["hybrid.csv", "hybrid.manifest.json"]),
        ("verify-replicates", ["verify", "--replicates", "4", "-n", "800", "--seed", "2", "-o", "$DIR/rep.json"], ["rep.json", "rep-qq.svg", "rep.manifest.json"]),
        ("cate", ["cate", "--data", "$DIR/conf.csv", "--treatment", "A", "--outcome", "Y", "--covariates", "Z", "-o", "$DIR/conf.cate.csv"], ["conf.cate.csv", "conf.cate.json", "conf.cate.manifest.json"]),
        ("suite", ["suite", "$DIR/tiny.yaml", "-o", "$DIR/tiny"], ["tiny/suite.json", "tiny/index.csv"]),
        ("report", ["report", "$DIR/tiny"], ["tiny/report.html", "tiny/report.manifest.json"]),
        ("bad-input", ["sample", "--do", "smoke=maybe"], []),
    ];

    private static string Normalise(string text, string dir) =>
        text.Replace(dir, "$DIR").Replace(CliRunner.RepoRoot, "$REPO").Replace("\r\n", "\n");

    /// <summary>Runs every case in <paramref name="dir"/> with paths relative to it (the specs copied in), so that no
    /// output, nor any hash a manifest takes of one, depends on where the run or the repository is.</summary>
    private static JObject Record(string dir)
    {
        foreach (var spec in new[] { "clinical.json", "confounder.json", "xu_dgp.json" })
            File.Copy(Path.Combine(CliRunner.RepoRoot, "benchmarks", "dags", spec), Path.Combine(dir, spec));
        File.WriteAllText(Path.Combine(dir, "tiny.yaml"), "name: tiny\nseed: 3\nformat: parquet\nmodels:\n  - name: asia\n    spec: builtin:asia\n    sizes: [300]\n    replicates: 2\n"
            + "    regimes: [observational, { do: { smoke: \"yes\" } }]\n    queries: [{ treatment: smoke, outcome: dysp, treated: \"yes\", control: \"no\", event: \"yes\", given: [asia] }]\n"
            + "    audit: { set: local, test: g2, alpha: 0.05 }\n    realize: { realizer: template }\n  - name: conf\n    spec: confounder.json\n    sizes: [400]\n    replicates: 2\n    queries: [{}]\n    estimators: [or, aipw]\n");
        var result = new JObject();
        var cwd = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = dir;
            foreach (var (name, args, files) in Runs)
            {
                var (code, stdout, stderr) = CliRunner.Run(args.Select(a => a.Replace("$DIR/", "").Replace("$DAG/", "")).ToArray());
                var entry = new JObject { ["exit"] = code, ["stdout"] = Normalise(stdout, dir), ["stderr"] = Normalise(stderr, dir) };
                var written = new JObject();
                foreach (var f in files)
                {
                    var path = Path.Combine(dir, f);
                    written[f] = File.Exists(path) ? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))) : "missing";
                }
                entry["files"] = written;
                result[name] = entry;
            }
        }
        finally
        {
            Environment.CurrentDirectory = cwd;
        }
        return result;
    }

    [Test]
    public void EveryVerb_WritesItsGoldenOutput()
    {
        var actual = Record(CliRunner.TempDir());
        if (Environment.GetEnvironmentVariable("HYBRIDSYNTH_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(GoldenPath)!);
            File.WriteAllText(GoldenPath, actual.ToString(Formatting.Indented) + "\n");
            Assert.Pass($"recorded {GoldenPath}");
        }
        Assert.That(File.Exists(GoldenPath), $"no golden file {GoldenPath}: record it with HYBRIDSYNTH_UPDATE_GOLDEN=1");
        var golden = JObject.Parse(File.ReadAllText(GoldenPath));
        var differences = new List<string>();
        foreach (var (name, _, _) in Runs)
        {
            var g = golden[name];
            var a = actual[name]!;
            if (g is null) { differences.Add($"{name}: not in the golden file"); continue; }
            foreach (var key in new[] { "exit", "stdout", "stderr" })
                if (!JToken.DeepEquals(g[key], a[key])) differences.Add($"{name} {key}: expected {g[key]}, got {a[key]}");
            foreach (var f in ((JObject)a["files"]!).Properties())
                if (!JToken.DeepEquals(g["files"]?[f.Name], f.Value)) differences.Add($"{name}: {f.Name} differs");
        }
        Assert.That(differences, Is.Empty, string.Join("\n", differences));
    }

    [Test]
    public void TheRunsAreDeterministic_SoTheGoldenCanBeTrusted()
    {
        // Two fresh folders give the same record: nothing depends on time, the folder or the order of runs.
        var first = Record(CliRunner.TempDir());
        var second = Record(CliRunner.TempDir());
        Assert.That(JToken.DeepEquals(first, second), Is.True);
        Assert.That(first.Properties().Select(p => p.Value["exit"]!.Value<int>()).Count(c => c == 0), Is.EqualTo(Runs.Length - 1), "every run but the bad-input one succeeds");
    }

    [Test]
    public void EveryManifest_HashesItsInputsAndItsOutput()
    {
        var dir = CliRunner.TempDir();
        Record(dir);
        var manifests = Directory.GetFiles(dir, "*.manifest.json", SearchOption.AllDirectories);
        Assert.That(manifests, Has.Length.GreaterThanOrEqualTo(10));
        foreach (var path in manifests)
        {
            var m = JObject.Parse(File.ReadAllText(path));
            var name = Path.GetFileName(path);
            Assert.That(m["spec"] is not null || m["data"] is not null, $"{name} names its input");
            if (m["spec"] is { } spec) Assert.That(spec.Value<string>("sha256"), Has.Length.EqualTo(64), $"{name}: spec hash");
            if (m["data"] is { } data)
            {
                Assert.That(data.Type, Is.EqualTo(JTokenType.Object), $"{name}: the data input is recorded with its hash, not as a bare path");
                Assert.That(data.Value<string>("sha256"), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(dir, data.Value<string>("path")!))))), $"{name}: data hash");
            }
            Assert.That(m["output"]!.Value<string>("sha256"), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(path)!, m["output"]!.Value<string>("path")!))))), $"{name}: output hash");
        }
    }
}
