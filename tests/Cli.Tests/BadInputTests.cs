using System.Text.RegularExpressions;
using NUnit.Framework;

namespace HybridSynth.Cli.Tests;

/// <summary>Bad input gives exit code 2, one located line on stderr, no stack trace and no output file.</summary>
public class BadInputTests
{
    private static readonly Dictionary<string, string> Corpus = new()
    {
        ["unknown-parent.bif"] = "variable a {\n  type discrete [ 2 ] { x, y };\n}\nprobability ( a | q ) {\n  (x) 0.5, 0.5;\n}\n",
        ["duplicate-state.bif"] = "variable a {\n  type discrete [ 2 ] { x, x };\n}\n",
        ["table-size.bif"] = "variable a {\n  type discrete [ 2 ] { x, y };\n}\nprobability ( a ) {\n  table 1.0;\n}\n",
        ["not-a-number.bif"] = "variable a {\n  type discrete [ 2 ] { x, y };\n}\nprobability ( a ) {\n  table 0.5, half;\n}\n",
        ["cycle.json"] = "{\"variables\": [\n {\"name\": \"a\", \"states\": [\"0\",\"1\"], \"parents\": [\"b\"], \"mechanism\": {\"type\": \"cpt\", \"table\": [[0.5,0.5],[0.5,0.5]]}},\n {\"name\": \"b\", \"states\": [\"0\",\"1\"], \"parents\": [\"a\"], \"mechanism\": {\"type\": \"cpt\", \"table\": [[0.5,0.5],[0.5,0.5]]}}\n]}\n",
        ["syntax.json"] = "{\"variables\": [\n {\"name\": \"a\",, }\n]}\n",
        ["unknown-parent.json"] = "{\"variables\": [\n {\"name\": \"a\", \"states\": [\"0\",\"1\"], \"parents\": [\"zz\"], \"mechanism\": {\"type\": \"cpt\", \"table\": [[0.5,0.5],[0.5,0.5]]}}\n]}\n",
    };

    [TestCaseSource(nameof(CorpusNames))]
    public void MalformedSpec_GivesOneLocatedLine_ExitCode2_AndNoOutput(string name)
    {
        var dir = CliRunner.TempDir();
        var spec = Path.Combine(dir, name);
        File.WriteAllText(spec, Corpus[name]);
        var output = Path.Combine(dir, "out.csv");
        var (code, stdout, stderr) = CliRunner.Run("sample", "--spec", spec, "-n", "10", "-o", output);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stdout, Is.Empty);
        var lines = stderr.TrimEnd('\n').Split('\n');
        Assert.That(lines, Has.Length.EqualTo(1), stderr);
        Assert.That(Regex.IsMatch(lines[0], "^" + Regex.Escape(spec) + @":\d+:\d+: \S"), lines[0]);
        Assert.That(stderr, Does.Not.Contain("   at "));
        Assert.That(Directory.GetFiles(dir), Is.EquivalentTo(new[] { spec }));
    }

    public static IEnumerable<string> CorpusNames => Corpus.Keys;

    [TestCase("--do", "smoke=maybe", "builtin:asia:", "has no state 'maybe'; expected one of: yes, no")]
    [TestCase("--do", "smok=yes", "hybridsynth: ", "no variable 'smok' (did you mean smoke?)")]
    [TestCase("--do", "smoke", "hybridsynth: ", "expected Variable=value")]
    [TestCase("--spec", "/no/such/file.json", "hybridsynth: ", "no such file")]
    [TestCase("--spec", "model.txt", "hybridsynth: ", "expected a .bif or .json file")]
    [TestCase("--rows", "-5", "hybridsynth: ", "--rows must be ≥ 0")]
    [TestCase("--threads", "0", "hybridsynth: ", "--threads must be ≥ 1")]
    [TestCase("--format", "xml", "hybridsynth: ", "expected one of csv, jsonl")]
    [TestCase("--bogus", "1", "hybridsynth sample: ", "--bogus")]
    public void BadArgument_GivesOneLine_ExitCode2(string option, string value, string prefix, string message)
    {
        var dir = CliRunner.TempDir();
        var (code, _, stderr) = CliRunner.Run("sample", option, value, "-o", Path.Combine(dir, "x.csv"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1));
        Assert.That(stderr, Does.StartWith(prefix).And.Contain(message));
        Assert.That(Directory.GetFiles(dir), Is.Empty);
    }

    [Test]
    public void Counterfactual_WithoutIntervention_IsAUsageError()
    {
        var (code, _, stderr) = CliRunner.Run("counterfactual", "-n", "5", "-o", Path.Combine(CliRunner.TempDir(), "x.csv"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("needs at least one --do"));
    }

    [Test]
    public void ExactQuery_OnAContinuousModel_IsRefusedClearly()
    {
        var (code, _, stderr) = CliRunner.Run("query", "--spec", CliRunner.Dag("clinical.json"), "--ate", "--method", "exact");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("continuous"));
    }

    [TestCase("query", "--target", "dysq", "(did you mean dysp?)")]
    [TestCase("sample", "--do", "smoke=yse", "(did you mean yes?)")]
    [TestCase("query", "--ate", "--treatment", "smoke", "--outcome", "dysp", "--treated", "Yes", "--control", "no", "(did you mean yes?)")]
    public void UnknownNames_GetTheNearestOnes(params string[] argsAndExpected)
    {
        var args = argsAndExpected[..^1].ToList();
        if (args[0] == "sample") args.AddRange(new[] { "-n", "3", "-o", Path.Combine(CliRunner.TempDir(), "x.csv") });
        var (code, _, err) = CliRunner.Run(args.ToArray());
        Assert.That(code, Is.EqualTo(2), err);
        Assert.That(err, Does.Contain(argsAndExpected[^1]));
    }

    [Test]
    public void ANegativeSeed_IsExplainedWithoutADotNetTypeName()
    {
        var (code, _, err) = CliRunner.Run("sample", "--seed", "-1", "-n", "3");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("unsigned integer").And.Not.Contain("System."));
    }

    [Test]
    public void Verify_RefusesDataWithNoModelColumn_HugeValues_AndUnreadableFiles()
    {
        var dir = CliRunner.TempDir();
        var foreign = Path.Combine(dir, "foreign.csv");
        File.WriteAllLines(foreign, new[] { "a,b", "1,2", "3,4" });
        var (code, _, err) = CliRunner.Run("verify", "--data", foreign, "--fail-above", "0");
        Assert.That(code, Is.EqualTo(2), err);
        Assert.That(err, Does.Contain("no column of the data is a variable"));
        var huge = Path.Combine(dir, "huge.csv");
        File.WriteAllLines(huge, new[] { "X1,X2" }.Concat(Enumerable.Range(0, 50).Select(i => $"{(i == 7 ? "1e155" : i.ToString())},{i % 3}")));
        var (code2, _, err2) = CliRunner.Run("verify", "--spec", CliRunner.Dag("linear_gaussian.json"), "--data", huge);
        Assert.That(code2, Is.EqualTo(2), err2);
        Assert.That(err2, Does.Contain(":9:1:").And.Contain("too large"));
        var folder = Path.Combine(dir, "folder.csv");
        Directory.CreateDirectory(folder);
        var (code3, _, err3) = CliRunner.Run("verify", "--data", folder);
        Assert.That(code3, Is.EqualTo(2), err3);
        Assert.That(err3, Does.Contain("cannot be read").And.Not.Contain("cannot write"));
    }

    [Test]
    public void BadValues_AreUsageErrors_NotInternalErrors()
    {
        var dir = CliRunner.TempDir();
        var data = Path.Combine(dir, "c.csv");
        Assert.That(CliRunner.Run("sample", "--spec", CliRunner.Dag("confounder.json"), "-n", "300", "-o", data).Code, Is.EqualTo(0));
        var ate = new[] { "ate", "--data", data, "--treatment", "A", "--outcome", "Y", "--covariates", "Z" };
        foreach (var extra in new[]
        {
            new[] { "--treated", "1", "--control", "1" },
            new[] { "--treated", "1", "--control", "7" },
            new[] { "--folds", "100000" },
            new[] { "--truncation", "NaN" },
            new[] { "--augment", "NaN" },
            new[] { "--l2", "NaN" },
        })
        {
            var (code, _, err) = CliRunner.Run(ate.Concat(extra).ToArray());
            Assert.That((code, err.Trim().Split('\n').Length), Is.EqualTo((2, 1)), string.Join(" ", extra) + ": " + err);
            Assert.That(err, Does.Not.Contain("internal error"), string.Join(" ", extra));
        }
        foreach (var args in new[]
        {
            new[] { "simulate", "--spec", CliRunner.Dag("confounder.json"), "--sizes", "50,50", "--reps", "2", "-o", dir },
            new[] { "verify", "--data", data, "--spec", CliRunner.Dag("confounder.json"), "--permutations", "2000000000" },
            new[] { "realize", "--data", data, "--spec", CliRunner.Dag("confounder.json"), "--rounds", "1000000" },
        })
        {
            var (code, _, err) = CliRunner.Run(args);
            Assert.That((code, err.Trim().Split('\n').Length), Is.EqualTo((2, 1)), string.Join(" ", args) + ": " + err);
        }
    }

    [Test]
    public void OptionsThatWouldBeIgnored_AreRefused()
    {
        var dir = CliRunner.TempDir();
        var data = Path.Combine(dir, "c.csv");
        Assert.That(CliRunner.Run("sample", "-n", "50", "-o", data).Code, Is.EqualTo(0));
        var (code, _, err) = CliRunner.Run("realize", "--data", data, "--scoring", "reference");
        Assert.That(code, Is.EqualTo(2), err);
        Assert.That(err, Does.Contain("--scoring does not apply to realize"));
        var (code2, _, err2) = CliRunner.Run("sample", "-n", "5", "-o", Path.Combine(dir, "x.csv.gz"));
        Assert.That(code2, Is.EqualTo(2), err2);
        Assert.That(err2, Does.Contain("compressed output"));
        // Response files are read (documented in the README).
        var rsp = Path.Combine(dir, "args.rsp");
        File.WriteAllLines(rsp, new[] { "-n 7", "-o " + Path.Combine(dir, "r.csv") });
        Assert.That(CliRunner.Run("sample", "@" + rsp).Code, Is.EqualTo(0));
        Assert.That(File.ReadAllLines(Path.Combine(dir, "r.csv")), Has.Length.EqualTo(8));
    }

    [Test]
    public void TooManyImpliedStatements_AreRefusedWithTheirCount_InDescribeAndVerify()
    {
        var dir = CliRunner.TempDir();
        var bif = Path.Combine(dir, "chain.bif");
        var sb = new System.Text.StringBuilder("network chain {\n}\n");
        for (var i = 0; i < 2000; i++) sb.Append($"variable X{i} {{\n  type discrete [ 2 ] {{ a, b }};\n}}\n");
        sb.Append("probability ( X0 ) {\n  table 0.5, 0.5;\n}\n");
        for (var i = 1; i < 2000; i++) sb.Append($"probability ( X{i} | X{i - 1} ) {{\n  (a) 0.9, 0.1;\n  (b) 0.2, 0.8;\n}}\n");
        File.WriteAllText(bif, sb.ToString());
        var (code, stdout, err) = CliRunner.Run("describe", "--spec", bif, "--independences", "local", "--max-statements", "100000");
        Assert.That(code, Is.EqualTo(2), stdout);
        Assert.That(err.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(err, Does.Contain("local Markov independences of this 2000-node graph number more than 100,000").And.Contain("--max-statements"));
        var (code2, stdout2, err2) = CliRunner.Run("describe", "--spec", bif, "--independences", "local", "--max-statements", "2000000");
        Assert.That(code2, Is.EqualTo(0), err2);
        Assert.That(stdout2, Does.Contain($"{1999L * 1998 / 2} implied independences (local):"));
        var data = Path.Combine(dir, "asia.csv");
        Assert.That(CliRunner.Run("sample", "-n", "300", "-o", data).Code, Is.EqualTo(0));
        var (code3, _, err3) = CliRunner.Run("verify", "--data", data, "--max-statements", "3");
        Assert.That(code3, Is.EqualTo(2));
        Assert.That(err3, Does.Contain("number more than 3 (limit 3)"));
    }

    [Test]
    public void OutOfMemoryAdvice_NamesOnlyOptionsTheVerbHas()
    {
        var plain = new StringWriter();
        Assert.That(CliApp.Guard(plain, () => throw new OutOfMemoryException()), Is.EqualTo(1));
        Assert.That(plain.ToString().Trim(), Is.EqualTo("hybridsynth: out of memory"), "describe, hybrid and the rest have no --threads/--chunk-size to lower");
        var table = new StringWriter();
        CliApp.Guard(table, () => throw new OutOfMemoryException(), Commands.TableCommandOptions.MemoryHint);
        Assert.That(table.ToString().Trim(), Is.EqualTo("hybridsynth: out of memory; lower --threads or --chunk-size"));
        // Only the verbs built on TableCommandOptions (which have both options) pass the hint.
        var users = Directory.GetFiles(Path.Combine(CliRunner.RepoRoot, "src", "Cli", "Commands"), "*.cs")
            .Where(f => File.ReadAllText(f).Contains("TableCommandOptions.MemoryHint")).Select(Path.GetFileNameWithoutExtension).OrderBy(x => x);
        Assert.That(users, Is.EqualTo(new[] { "CounterfactualCommand", "SampleCommand", "SdScmCommand" }));
    }
}
