using System.Globalization;
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Tests.Support;
using Newtonsoft.Json.Linq;
using NUnit.Framework;

namespace HybridSynth.Suites.Tests;

/// <summary>Soft regimes, CATE sets, Parquet tables, text realization and SD-SCM families in suites, with the truths they promise.</summary>
public class SuiteFeatureTests
{
    private static string Temp()
    {
        var d = Path.Combine(Path.GetTempPath(), "hs-suite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }

    private static SuiteFile Write(string dir, string yaml)
    {
        var path = Path.Combine(dir, "suite.yaml");
        File.WriteAllText(path, yaml.Replace("DAGS/", Path.Combine(Paths.RepoRoot, "benchmarks", "dags") + "/"));
        return SuiteFile.ReadFile(path);
    }

    private static string Folder(string dir, string prefix) => Directory.GetDirectories(dir, prefix + "*").Order(StringComparer.Ordinal).First();

    private static JObject Json(string folder, string file) => JObject.Parse(File.ReadAllText(Path.Combine(folder, file)));

    [Test]
    public void SoftRegimes_AndCateSets_HaveExactTruths_AndTheTablesFollowTheSoftMechanism()
    {
        var dir = Temp();
        File.WriteAllText(Path.Combine(dir, "campaign.json"),
            """{"soft_interventions": [{"variable": "smoke", "parents": ["asia"], "mechanism": {"type": "cpt", "table": [[0.3, 0.7], [0.15, 0.85]]}}]}""");
        var suite = Write(dir, """
        name: soft
        seed: 3
        models:
          - name: asia
            spec: builtin:asia
            sizes: [20000]
            regimes:
              - observational
              - soft: campaign.json
              - { do: { xray: "no" }, soft: campaign.json }
            queries:
              - { treatment: either, outcome: dysp, treated: "yes", control: "no", event: "yes", given: [smoke, asia] }
        """);
        var outDir = Path.Combine(dir, "out");
        SuiteBuilder.Build(suite, outDir);
        Assert.That(SuiteBuilder.Plan(suite).Select(d => d.Regime), Is.EquivalentTo(new[] { "observational", "soft(campaign)", "do(xray=no)+soft(campaign)" }));
        // P(smoke = yes) under the campaign: Σ_asia P(asia)·P(smoke = yes | asia) = 0.01·0.3 + 0.99·0.15.
        var soft = Folder(outDir, "asia_soft");
        var truth = Json(soft, "truth.json");
        var expected = 0.01 * 0.3 + 0.99 * 0.15;
        Assert.That((double)truth["marginals"]!["smoke"]!["distribution"]!["yes"]!, Is.EqualTo(expected).Within(1e-15));
        Assert.That((string?)truth["interventions"]![0], Does.StartWith("soft(smoke"));
        var smokers = File.ReadLines(Path.Combine(soft, "data.csv")).Skip(1).Count(l => l.Split(',')[2] == "yes");
        var se = Math.Sqrt(expected * (1 - expected) / 20000);
        Assert.That(smokers / 20000.0, Is.EqualTo(expected).Within(4.5 * se), "the table follows the soft mechanism");
        // CATE over the 2 × 2 strata of (smoke, asia): probabilities sum to one and Σ P(stratum)·CATE = ATE, in every regime.
        foreach (var folder in Directory.GetDirectories(outDir))
        {
            var effect = Json(folder, "truth.json")["effects"]![0]!;
            var strata = effect["cate"]!.ToList();
            Assert.That(strata, Has.Count.EqualTo(4));
            Assert.That(strata.Sum(x => (double)x["probability"]!), Is.EqualTo(1).Within(1e-12));
            Assert.That(strata.Sum(x => (double)x["probability"]! * (double)x["cate"]!), Is.EqualTo((double)effect["ate"]!).Within(1e-12), folder);
        }
        // The CATE of either on dysp given smoke is the exact conditional contrast (a direct check on one stratum).
        var model = SpecLoader.Load(SpecLoader.DefaultSpec).Model;
        var c = TreatmentContrast.Resolve(model, "either", "dysp", "yes", "no", "yes");
        var given = new Dictionary<int, int> { [model.IndexOf("smoke")] = 0, [model.IndexOf("asia")] = 1 };
        var direct = ExactEffects.AverageTreatmentEffect(model, c, given, []).Effect;
        var stratum = Json(Folder(outDir, "asia_observational"), "truth.json")["effects"]![0]!["cate"]!.Single(x => (string?)x["given"]!["smoke"] == "yes" && (string?)x["given"]!["asia"] == "no");
        Assert.That((double)stratum["cate"]!, Is.EqualTo(direct).Within(1e-15));
    }

    [Test]
    public async Task ParquetSuites_HoldTheCsvSuitesRows_AndTheSameAuditsAndTruths()
    {
        const string yaml = """
        name: fmt
        seed: 11
        format: FORMAT
        models:
          - name: asia
            spec: builtin:asia
            sizes: [3000]
            replicates: 2
            audit: { set: local, test: g2, alpha: 0.05 }
        """;
        var dir = Temp();
        var csvDir = Path.Combine(dir, "csv");
        var parquetDir = Path.Combine(dir, "parquet");
        Directory.CreateDirectory(csvDir);
        Directory.CreateDirectory(parquetDir);
        SuiteBuilder.Build(Write(csvDir, yaml.Replace("FORMAT", "csv")), Path.Combine(csvDir, "out"));
        var parquet = Write(parquetDir, yaml.Replace("FORMAT", "parquet"));
        SuiteBuilder.Build(parquet, Path.Combine(parquetDir, "out"), jobs: 2);
        foreach (var folder in Directory.GetDirectories(Path.Combine(csvDir, "out")))
        {
            var twin = Path.Combine(parquetDir, "out", Path.GetFileName(folder));
            Assert.That(File.ReadAllBytes(Path.Combine(twin, "audit.json")), Is.EqualTo(File.ReadAllBytes(Path.Combine(folder, "audit.json"))), "the audit sees the same rows");
            Assert.That(File.ReadAllBytes(Path.Combine(twin, "truth.json")), Is.EqualTo(File.ReadAllBytes(Path.Combine(folder, "truth.json"))));
            var csv = File.ReadAllLines(Path.Combine(folder, "data.csv"));
            await using var reader = await Parquet.ParquetReader.CreateAsync(Path.Combine(twin, "data.parquet"));
            Assert.That(reader.Schema.DataFields.Select(f => f.Name), Is.EqualTo(csv[0].Split(',')));
            using var group = reader.OpenRowGroupReader(0);
            Assert.That(group.RowCount, Is.EqualTo(3000));
            var smoke = new string?[3000];
            await group.ReadAsync(reader.Schema.DataFields[2], smoke.AsMemory(), null, default);
            Assert.That(smoke, Is.EqualTo(csv.Skip(1).Select(l => l.Split(',')[2]).ToArray()));
            Assert.That((string?)Json(twin, SuiteBuilder.RecordFile)["data"], Is.EqualTo("data.parquet"));
        }
        // A second build of the same Parquet suite is skipped whole: its inputs and files hash the same.
        Assert.That(SuiteBuilder.Build(parquet, Path.Combine(parquetDir, "out")).Skipped, Is.EqualTo(2));
    }

    [Test]
    public void TextRealization_WritesNotesAndTheExtractedTable_AndReportsRealizability()
    {
        var dir = Temp();
        var suite = Write(dir, """
        name: text
        seed: 2
        models:
          - name: asia
            spec: builtin:asia
            sizes: [400]
            replicates: 2
            regimes: [observational, { do: { smoke: "yes" } }]
            realize: { realizer: prior-override, strategy: loop, max_iterations: 4, options: { corrupt: 0.4, heed: 0.8 } }
        """);
        var outDir = Path.Combine(dir, "out");
        SuiteBuilder.Build(suite, outDir);
        SuiteBuilder.Index(outDir);
        var folder = Folder(outDir, "asia_observational_n=400_r=0");
        var notes = File.ReadAllLines(Path.Combine(folder, "notes.jsonl")).Select(JObject.Parse).ToList();
        var extracted = File.ReadAllLines(Path.Combine(folder, "extracted.csv"));
        var data = File.ReadAllLines(Path.Combine(folder, "data.csv"));
        Assert.That(notes, Has.Count.EqualTo(400));
        Assert.That(extracted, Has.Length.EqualTo(401));
        Assert.That(extracted[0], Is.EqualTo("asia,tub,smoke,lung,bronc,either,xray,dysp"));
        var header = data[0].Split(',');
        for (var i = 0; i < 400; i++)
        {
            Assert.That((string?)notes[i]["skeleton"]!["smoke"], Is.EqualTo(data[i + 1].Split(',')[Array.IndexOf(header, "smoke")]), "the notes realize the table's rows");
            if ((string?)notes[i]["status"] == "consistent")
                Assert.That(extracted[i + 1], Is.EqualTo(string.Join(",", data[i + 1].Split(',').Take(8))), "a consistent note extracts back to its skeleton");
        }
        var record = Json(folder, SuiteBuilder.RecordFile)["realization"]!;
        var consistent = notes.Count(n => (string?)n["status"] == "consistent");
        Assert.That((int)record["consistent"]!, Is.EqualTo(consistent));
        Assert.That((double)record["realizability"]!, Is.EqualTo(consistent / 400.0));
        Assert.That(consistent, Is.LessThan(400), "with corrupt = 0.4 and heed = 0.8 some notes stay wrong after 4 rounds");
        Assert.That(Directory.GetFiles(Folder(outDir, "asia_do_smoke"), "notes.jsonl"), Is.Empty, "only observational datasets are realized");
        var summary = (JObject)JObject.Parse(File.ReadAllText(Path.Combine(outDir, "suite.json")))["realizations"]!.Single();
        Assert.That((int)summary["rows"]!, Is.EqualTo(800));
        Assert.That((double)summary["realizability_lower"]!, Is.LessThan((double)summary["realizability"]!));
    }

    [Test]
    public void AnSdScmFamily_GivesOneModelPerPhrasingSeed_WithTheLanguageModelsCptsTabulated()
    {
        var gguf = Paths.Shared(Path.Combine("models", "stories260K.gguf"));
        var dir = Temp();
        var suite = Write(dir, $"""
        name: family
        seed: 4
        models:
          - name: clinic
            spec: DAGS/clinic_sdscm.json
            language_model: {"{"} model: {gguf}, config_seeds: [1, 2, 3] {"}"}
            sizes: [300]
            queries:
              - {"{"} given: [age] {"}"}
        """);
        var whole = Path.Combine(dir, "whole");
        SuiteBuilder.Build(suite, whole);
        var folders = Directory.GetDirectories(whole).Order(StringComparer.Ordinal).ToList();
        Assert.That(folders.Select(Path.GetFileName), Has.All.StartWith("clinic_cfg="));
        Assert.That(folders, Has.Count.EqualTo(3));
        var phrasings = folders.Select(f => Json(f, "sdscm.json")["phrasings"]!.ToString()).ToList();
        Assert.That(phrasings.Distinct().Count(), Is.GreaterThan(1), "different seeds pick different members of the family");
        foreach (var f in folders)
        {
            var truth = Json(f, "truth.json");
            var effect = truth["effects"]![0]!;
            Assert.That((string?)effect["method"], Is.EqualTo("exact"));
            // model.bif holds the CPTs the language model induces: exact inference on it gives the same truths.
            var bif = SpecLoader.Load(Path.Combine(f, "model.bif")).Model;
            var contrast = TreatmentContrast.Resolve(bif, "smoking", "breathless", "smoker", "non-smoker", "yes");
            Assert.That(ExactEffects.AverageTreatmentEffect(bif, contrast, new Dictionary<int, int>(), []).Effect, Is.EqualTo((double)effect["ate"]!).Within(1e-9), f);
            var age = truth["marginals"]!["age"]!["distribution"]!;
            var p = new VariableElimination(bif).Query(bif.IndexOf("age"));
            Assert.That(p[0], Is.EqualTo((double)age["young"]!).Within(1e-9));
            Assert.That(File.ReadLines(Path.Combine(f, "data.csv")).Count(), Is.EqualTo(301));
        }
        // Two jobs give the same bytes (the language model's memo is shared, and no record depends on the order of scoring).
        var parallel = Path.Combine(dir, "parallel");
        SuiteBuilder.Build(suite, parallel, jobs: 3);
        foreach (var f in folders)
            foreach (var file in Directory.GetFiles(f))
                Assert.That(File.ReadAllBytes(Path.Combine(parallel, Path.GetFileName(f), Path.GetFileName(file))), Is.EqualTo(File.ReadAllBytes(file)), file);
    }
}
