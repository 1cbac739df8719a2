using Newtonsoft.Json.Linq;
using NUnit.Framework;

namespace HybridSynth.Cli.Tests;

public class CounterfactualAndQueryCommandTests
{
    [Test]
    public void Counterfactual_WritesFactualAndCounterfactualColumns_NonDescendantsUnchanged()
    {
        var dir = CliRunner.TempDir();
        var output = Path.Combine(dir, "cf.csv");
        var (code, _, err) = CliRunner.Run("counterfactual", "-n", "2000", "--do", "smoke=no", "-o", output, "--seed", "4");
        Assert.That(code, Is.EqualTo(0), err);
        var lines = File.ReadAllLines(output);
        var header = lines[0].Split(',').ToList();
        Assert.That(header[0], Is.EqualTo("unit"));
        Assert.That(header, Does.Contain("dysp").And.Contain("dysp_cf"));
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split(',');
            Assert.That(f[header.IndexOf("smoke_cf")], Is.EqualTo("no"));
            Assert.That(f[header.IndexOf("asia_cf")], Is.EqualTo(f[header.IndexOf("asia")]));
            Assert.That(f[header.IndexOf("tub_cf")], Is.EqualTo(f[header.IndexOf("tub")]));
            if (f[header.IndexOf("smoke")] == "no")
                for (var c = 1; c <= 8; c++) Assert.That(f[c + 8], Is.EqualTo(f[c]), $"unit {f[0]}: {header[c]}");
        }
    }

    [Test]
    public void Counterfactual_FactualColumns_EqualTheSampleWithTheSameSeed()
    {
        var dir = CliRunner.TempDir();
        Assert.That(CliRunner.Run("counterfactual", "-n", "300", "--do", "lung=yes", "-o", Path.Combine(dir, "cf.csv"), "--seed", "5").Code, Is.EqualTo(0));
        Assert.That(CliRunner.Run("sample", "-n", "300", "-o", Path.Combine(dir, "s.csv"), "--seed", "5").Code, Is.EqualTo(0));
        var cf = File.ReadAllLines(Path.Combine(dir, "cf.csv")).Skip(1).Select(l => string.Join(",", l.Split(',').Skip(1).Take(8)));
        var s = File.ReadAllLines(Path.Combine(dir, "s.csv")).Skip(1);
        Assert.That(cf, Is.EqualTo(s));
    }

    [Test]
    public void Query_ExactInterventionalDistribution()
    {
        var (code, stdout, err) = CliRunner.Run("query", "--target", "lung", "--do", "smoke=yes", "--json");
        Assert.That(code, Is.EqualTo(0), err);
        var o = JObject.Parse(stdout);
        Assert.That(o.Value<string>("method"), Is.EqualTo("exact"));
        Assert.That(o["distribution"]!.Value<double>("yes"), Is.EqualTo(0.1).Within(1e-12));
    }

    [Test]
    public void Query_SeveralTargetsAndAllMarginals_EqualOneQueryEach()
    {
        var (code, stdout, err) = CliRunner.Run("query", "--spec", "builtin:asia", "--all-marginals", "--given", "smoke=yes", "--do", "asia=yes", "--json");
        Assert.That(code, Is.EqualTo(0), err);
        var targets = (JArray)JObject.Parse(stdout)["targets"]!;
        Assert.That(targets.Select(t => (string?)t["target"]), Is.EqualTo(new[] { "asia", "tub", "lung", "bronc", "either", "xray", "dysp" }));
        foreach (var t in targets)
        {
            var one = JObject.Parse(CliRunner.Run("query", "--spec", "builtin:asia", "--target", (string)t["target"]!, "--given", "smoke=yes", "--do", "asia=yes", "--json").Out);
            foreach (var p in ((JObject)one["distribution"]!).Properties())
                Assert.That((double)t["distribution"]![p.Name]!, Is.EqualTo((double)p.Value).Within(1e-12), $"{t["target"]} = {p.Name}");
        }
        var text = CliRunner.Run("query", "--spec", "builtin:asia", "--target", "lung,dysp");
        Assert.That(text.Out, Does.Contain("P(lung)").And.Contain("P(dysp)"));
        Assert.That(CliRunner.Run("query", "--spec", "builtin:asia", "--target", "lung,smoke", "--given", "smoke=yes").Code, Is.EqualTo(2));
        Assert.That(CliRunner.Run("query", "--spec", "builtin:asia", "--target", "lung", "--all-marginals").Code, Is.EqualTo(2));
    }

    [Test]
    public void Query_ExactAteAndCate()
    {
        var (code, stdout, _) = CliRunner.Run("query", "--spec", CliRunner.Dag("confounder.json"), "--ate", "--json");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(JObject.Parse(stdout).Value<double>("effect"), Is.EqualTo(0.2).Within(1e-12));
        var (code2, stdout2, _) = CliRunner.Run("query", "--spec", CliRunner.Dag("confounder.json"), "--ate", "--given", "Z=0", "--json");
        Assert.That(code2, Is.EqualTo(0));
        var o = JObject.Parse(stdout2);
        Assert.That(o.Value<string>("estimand"), Is.EqualTo("CATE"));
        Assert.That(o.Value<double>("mean_treated"), Is.EqualTo(0.3).Within(1e-12));
    }

    [Test]
    public void Query_MixedModel_UsesQuadrature_AndMonteCarloAgrees()
    {
        var (code, stdout, err) = CliRunner.Run("query", "--spec", CliRunner.Dag("clinical.json"), "--ate", "--json");
        Assert.That(code, Is.EqualTo(0), err);
        var q = JObject.Parse(stdout);
        Assert.That(q.Value<string>("method"), Is.EqualTo("quadrature"));
        Assert.That(q.Value<double>("effect"), Is.LessThan(0), "statins lower the event risk in this model");
        var (code2, stdout2, _) = CliRunner.Run("query", "--spec", CliRunner.Dag("clinical.json"), "--ate", "--json", "--method", "mc", "-n", "100000");
        Assert.That(code2, Is.EqualTo(0));
        var mc = JObject.Parse(stdout2);
        Assert.That(mc.Value<string>("method"), Is.EqualTo("monte_carlo"));
        Assert.That(Math.Abs(mc.Value<double>("effect") - q.Value<double>("effect")), Is.LessThan(4 * mc.Value<double>("standard_error")));
    }

    [Test]
    public void Describe_ListsVariablesAndImpliedIndependences()
    {
        var (code, stdout, _) = CliRunner.Run("describe", "--independences", "local");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(stdout, Does.Contain("model asia: 8 variables, 8 edges"));
        Assert.That(stdout, Does.Contain("implied independences (local)"));
    }
}
