using HybridSynth.Scm.Errors;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Mechanisms;
using HybridSynth.Scm.Tests.Support;
using HybridSynth.Scm.Variables;
using NUnit.Framework;

namespace HybridSynth.Scm.Tests.IO;

public class JsonSpecReaderTests
{
    [TestCase("asia.json", 8)]
    [TestCase("confounder.json", 3)]
    [TestCase("collider.json", 3)]
    [TestCase("mediator.json", 3)]
    [TestCase("linear_gaussian.json", 5)]
    [TestCase("clinical.json", 8)]
    [TestCase("xu_dgp.json", 8)]
    [TestCase("xu_dgp_randomised.json", 8)]
    public void BenchmarkSpecsLoad(string file, int variables)
    {
        var loaded = SpecLoader.Load(Paths.Dag(file));
        Assert.That(loaded.Model.Count, Is.EqualTo(variables));
        Assert.That(loaded.Sha256, Has.Length.EqualTo(64));
    }

    [Test]
    public void BuiltinAsia_IsTheBenchmarkSpec()
    {
        var builtin = SpecLoader.Load(SpecLoader.DefaultSpec);
        var file = SpecLoader.Load(Paths.Dag("asia.json"));
        Assert.That(builtin.Sha256, Is.EqualTo(file.Sha256));
    }

    [Test]
    public void AsiaJson_EqualsAsiaBif_TableForTable()
    {
        var json = SpecLoader.Load(Paths.Dag("asia.json")).Model;
        var bif = BifReader.ReadFile(Paths.Bif("asia"));
        foreach (var v in json.Variables)
        {
            var a = (CptMechanism)json.Mechanisms[json.IndexOf(v.Name)];
            var b = (CptMechanism)bif.Mechanisms[bif.IndexOf(v.Name)];
            Assert.That(a.Parents.Select(p => json[p].Name), Is.EqualTo(b.Parents.Select(p => bif[p].Name)), v.Name);
            Assert.That(a.Table.ToArray(), Is.EqualTo(b.Table.ToArray()).Within(1e-15), v.Name);
        }
    }

    [Test]
    public void Clinical_HasRolesHiddenAndMixedDomains()
    {
        var m = SpecLoader.Load(Paths.Dag("clinical.json")).Model;
        Assert.That(m[m.TreatmentIndex!.Value].Name, Is.EqualTo("statin"));
        Assert.That(m[m.OutcomeIndex!.Value].Name, Is.EqualTo("cv_event"));
        Assert.That(m[m.IndexOf("frailty")].Hidden, Is.True);
        Assert.That(m[m.IndexOf("systolic_bp")].Domain, Is.InstanceOf<ContinuousDomain>());
        Assert.That(m.Mechanisms[m.IndexOf("statin")], Is.InstanceOf<LogisticMechanism>());
    }

    private static string Spec(string variables) => "{\n  \"name\": \"t\",\n  \"variables\": [\n" + variables + "\n  ]\n}\n";

    private const string A = "    {\"name\": \"a\", \"states\": [\"0\", \"1\"], \"mechanism\": {\"type\": \"cpt\", \"table\": [[0.5, 0.5]]}}";

    [TestCase(A + ",\n    {\"name\": \"b\", \"states\": [\"0\", \"1\"], \"parents\": [\"c\"], \"mechanism\": {\"type\": \"cpt\", \"table\": [[0.5, 0.5], [0.5, 0.5]]}}", 5, 53, "unknown parent 'c'")]
    [TestCase("    {\"name\": \"a\", \"states\": [\"0\", \"0\"], \"mechanism\": {\"type\": \"cpt\", \"table\": [[0.5, 0.5]]}}", 4, 35, "duplicate state '0'")]
    [TestCase("    {\"name\": \"a\", \"states\": [\"0\", \"1\"], \"mechanism\": {\"type\": \"cpt\", \"table\": [[0.5, 0.3, 0.2]]}}", 4, 80, "has 3 values; expected 2")]
    [TestCase("    {\"name\": \"a\", \"states\": [\"0\", \"1\"], \"mechanism\": {\"type\": \"cpt\", \"table\": [[0.5, \"x\"]]}}", 4, 86, "expected a probability (a finite number), found \"x\"")]
    [TestCase(A + ",\n    {\"name\": \"b\", \"states\": [\"0\", \"1\"], \"parents\": [\"a\", \"c\"], \"mechanism\": {\"type\": \"cpt\", \"table\": [[0.5, 0.5], [0.5, 0.5], [0.5, 0.5], [0.5, 0.5]]}},\n    {\"name\": \"c\", \"states\": [\"0\", \"1\"], \"parents\": [\"b\"], \"mechanism\": {\"type\": \"cpt\", \"table\": [[0.5, 0.5], [0.5, 0.5]]}}", 6, 52, "directed cycle")]
    [TestCase(A + ",\n    {\"name\": \"a\", \"states\": [\"0\", \"1\"], \"mechanism\": {\"type\": \"cpt\", \"table\": [[0.5, 0.5]]}}", 5, 14, "declared twice")]
    [TestCase("    {\"name\": \"a\", \"states\": [\"0\", \"1\"], \"mechanism\": {\"type\": \"cpt\", \"table\": [[0.5, 0.4]]}}", 4, 80, "sums to 0.9")]
    [TestCase("    {\"name\": \"a\", \"states\": [\"0\", \"1\"], \"mechanism\": {\"type\": \"quantum\"}}", 4, 63, "unknown mechanism type 'quantum'")]
    [TestCase("    {\"name\": \"a\", \"mechanism\": {\"type\": \"cpt\", \"table\": [[1]]}}", 4, 5, "needs \"states\"")]
    [TestCase("    {\"name\": \"a\", \"type\": \"continuous\", \"mechanism\": {\"type\": \"linear_gaussian\", \"sd\": -1}}", 4, 88, "standard deviation ≥ 0")]
    [TestCase(A + ",\n    {\"name\": \"y\", \"type\": \"continuous\", \"parents\": [\"a\"], \"mechanism\": {\"type\": \"linear_gaussian\", \"weights\": {\"b\": 1}, \"sd\": 1}}", 5, 112, "'b' is not a parent of 'y'")]
    [TestCase("    {\"name\": \"a\", \"states\": [\"0\", \"1\"], \"colour\": \"red\", \"mechanism\": {\"type\": \"cpt\", \"table\": [[0.5, 0.5]]}}", 4, 41, "unknown property 'colour'")]
    [TestCase("    {\"name\": \"a\", \"states\": [\"0\", \"1\"] \"mechanism\": {}}", 4, 39, "invalid JSON")]
    public void MalformedJson_GivesLocatedError(string variables, int line, int col, string expected)
    {
        var e = Assert.Throws<SpecException>(() => JsonSpecReader.Read(Spec(variables), "bad.json"))!;
        Assert.That(e.Message, Does.Contain(expected));
        Assert.That(e.ToOneLine(), Does.StartWith($"bad.json:{line}:{col}: "));
        Assert.That(e.ToOneLine(), Does.Not.Contain("\n"));
    }

    [Test]
    public void MissingFile_IsAnInputFileError()
    {
        var e = Assert.Throws<InputFileException>(() => SpecLoader.Load("/no/such/model.json"))!;
        Assert.That(e.Message, Is.EqualTo("/no/such/model.json: no such file"));
    }

    [Test]
    public void SoftIntervention_ReplacesTheMechanismAndItsParents()
    {
        var m = SpecLoader.Load(Paths.Dag("confounder.json")).Model;
        const string soft = "{\"soft_interventions\": [{\"variable\": \"A\", \"parents\": [], \"mechanism\": {\"type\": \"cpt\", \"table\": [[0.5, 0.5]]}}]}";
        var list = SoftInterventionReader.Read(soft, "soft.json", m);
        var mi = m.Intervene(list);
        Assert.That(mi.Graph.Parents(mi.IndexOf("A")), Is.Empty);
        Assert.That(mi.AppliedInterventions, Has.Count.EqualTo(1));
    }
}
