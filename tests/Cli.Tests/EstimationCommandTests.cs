using Newtonsoft.Json.Linq;
using NUnit.Framework;

namespace HybridSynth.Cli.Tests;

public class EstimationCommandTests
{
    private static string SampleConfounder(string dir, int n = 4000)
    {
        var data = Path.Combine(dir, "conf.csv");
        var r = CliRunner.Run("sample", "--spec", CliRunner.Dag("confounder.json"), "-n", n.ToString(), "--seed", "3", "-o", data, "--no-potential-outcomes");
        Assert.That(r.Code, Is.EqualTo(0), r.Err);
        return data;
    }

    [Test]
    public void Ate_EstimatesTheConfounderEffect_AndWritesAReport()
    {
        var dir = CliRunner.TempDir();
        var data = SampleConfounder(dir);
        var report = Path.Combine(dir, "ate.json");
        var (code, stdout, err) = CliRunner.Run("ate", "--data", data, "--treatment", "A", "--outcome", "Y", "--covariates", "Z", "--json", "-o", report);
        Assert.That(code, Is.EqualTo(0), err);
        var o = JObject.Parse(stdout);
        Assert.That(o["estimates"]!.Select(e => e.Value<string>("estimator")), Is.EqualTo(new[] { "or", "ipw", "ipw-hajek", "aipw", "tmle" }));
        foreach (var e in o["estimates"]!)
            Assert.That(Math.Abs(e.Value<double>("estimate") - 0.2), Is.LessThan(4 * e.Value<double>("standard_error")), e.Value<string>("estimator"));
        Assert.That(File.Exists(Path.Combine(dir, "ate.manifest.json")));
    }

    [Test]
    public void Ate_Augment_AveragesOverTheRealUnits_AndEveryGeneratorIsAUsageMatter()
    {
        var dir = CliRunner.TempDir();
        var data = SampleConfounder(dir, 800);
        var (code, stdout, err) = CliRunner.Run("ate", "--data", data, "--treatment", "A", "--outcome", "Y", "--covariates", "Z", "--augment", "0.2", "--generator", "bootstrap", "--augment-bootstrap", "30", "--json");
        Assert.That(code, Is.EqualTo(0), err);
        var aug = JObject.Parse(stdout)["positivity_augmentation"]!;
        Assert.That((string?)aug["mode"], Does.Contain("real units"));
        Assert.That(aug["estimates"]!.Select(e => (string?)e["estimator"]), Is.EqualTo(new[] { "or", "aipw", "tmle" }), "IPW is not augmented");
        // An unknown generator and the lm generator without a model are usage errors (exit 2), not internal errors.
        var unknown = CliRunner.Run("ate", "--data", data, "--treatment", "A", "--outcome", "Y", "--covariates", "Z", "--augment", "0.2", "--generator", "gan");
        Assert.That(unknown.Code, Is.EqualTo(2));
        var lm = CliRunner.Run("ate", "--data", data, "--treatment", "A", "--outcome", "Y", "--covariates", "Z", "--augment", "0.2", "--generator", "lm");
        Assert.That(lm.Code, Is.EqualTo(2), lm.Err);
        Assert.That(lm.Err, Does.Contain("--model").And.Not.Contain("   at "));
    }

    [Test]
    public void Simulate_FromData_DrawsFromAHybridModelFittedToIt()
    {
        var dir = CliRunner.TempDir();
        var data = SampleConfounder(dir, 2000);
        var outDir = Path.Combine(dir, "sim");
        var (code, stdout, err) = CliRunner.Run("simulate", "--data", data, "--treatment", "A", "--outcome", "Y", "--covariates", "Z", "--generator", "bootstrap",
            "--sizes", "300,600", "--reps", "10", "--estimators", "or,aipw", "-o", outDir);
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(stdout, Does.Contain("fitted bootstrap generator").And.Contain("hybrid model fitted to 2000 rows"));
        var manifest = JObject.Parse(File.ReadAllText(Path.Combine(outDir, "simulation.manifest.json")));
        Assert.That((string?)manifest["data"]!["sha256"], Has.Length.EqualTo(64));
        var both = CliRunner.Run("simulate", "--data", data, "--spec", "builtin:asia", "--treatment", "A", "--outcome", "Y", "--covariates", "Z");
        Assert.That(both.Code, Is.EqualTo(2));
        Assert.That(CliRunner.Run("simulate", "--data", data, "--treatment", "A", "--outcome", "Y").Err, Does.Contain("--covariates"));
    }

    [Test]
    public void Cate_ScoresTheLearnersAgainstThePerUnitTruthThatSampleWrites()
    {
        var dir = CliRunner.TempDir();
        var data = Path.Combine(dir, "het.csv");
        Assert.That(CliRunner.Run("sample", "--spec", CliRunner.Dag("heterogeneous.json"), "-n", "3000", "--seed", "2", "-o", data).Code, Is.EqualTo(0));
        var outPath = Path.Combine(dir, "het.cate.csv");
        var (code, stdout, err) = CliRunner.Run("cate", "--data", data, "--treatment", "A", "--outcome", "Y", "--covariates", "W1,W2", "--truth", "ite", "-o", outPath, "--json");
        Assert.That(code, Is.EqualTo(0), err);
        var report = JObject.Parse(stdout);
        var byName = report["learners"]!.ToDictionary(l => (string)l["learner"]!, l => l);
        // τ(W) = 1 + W1, and ite is exactly that: the linear learners recover it, the main-effects S-learner cannot.
        Assert.That((double)byName["t"]["pehe"]!, Is.LessThan(0.15));
        Assert.That((double)byName["dr"]["pehe"]!, Is.LessThan(0.15));
        Assert.That((double)byName["s"]["pehe"]!, Is.GreaterThan(0.8));
        Assert.That((double)byName["dr"]["coverage"]!, Is.InRange(0.8, 1.0));
        var lines = File.ReadAllLines(outPath);
        Assert.That(lines[0], Is.EqualTo("tau_t,tau_s,tau_x,tau_dr,se_dr,truth"));
        Assert.That(lines, Has.Length.EqualTo(3001));
        Assert.That(File.Exists(Path.Combine(dir, "het.cate.json")) && File.Exists(Path.Combine(dir, "het.cate.manifest.json")));
        var bad = CliRunner.Run("cate", "--data", data, "--treatment", "A", "--outcome", "Y", "--covariates", "W1,W2", "--learners", "t,r");
        Assert.That(bad.Code, Is.EqualTo(2));
        Assert.That(bad.Err, Does.Contain("unknown learner 'r'"));
    }

    [Test]
    public void Ate_BadOptions_AreOneLineErrors()
    {
        var dir = CliRunner.TempDir();
        var data = SampleConfounder(dir, 200);
        var (code, _, err) = CliRunner.Run("ate", "--data", data, "--treatment", "A", "--outcome", "Nope", "--covariates", "Z");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("no column 'Nope'"));
        var (code2, _, err2) = CliRunner.Run("ate", "--data", data, "--treatment", "A", "--outcome", "Y", "--covariates", "Z", "--estimators", "or,magic");
        Assert.That(code2, Is.EqualTo(2));
        Assert.That(err2, Does.Contain("unknown estimator 'magic'"));
    }

    [Test]
    public void Simulate_WritesTheTableAndOnePlotPerMetric()
    {
        var dir = Path.Combine(CliRunner.TempDir(), "sim");
        var (code, stdout, err) = CliRunner.Run("simulate", "--spec", CliRunner.Dag("confounder.json"), "--sizes", "100,200", "--reps", "10", "-o", dir);
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(stdout, Does.Contain("true ATE 0.2000 (exact (variable elimination))"));
        var lines = File.ReadAllLines(Path.Combine(dir, "simulation.csv"));
        Assert.That(lines, Has.Length.EqualTo(1 + 2 * 5));
        foreach (var metric in new[] { "bias", "variance", "mse", "rmse", "coverage" })
            Assert.That(System.Xml.Linq.XDocument.Load(Path.Combine(dir, metric + ".svg")).Root!.Name.LocalName, Is.EqualTo("svg"));
    }

    [Test]
    public void Hybrid_ComparesHybridAndFullyGenerativeData()
    {
        var dir = CliRunner.TempDir();
        var data = SampleConfounder(dir);
        var output = Path.Combine(dir, "hybrid.csv");
        var (code, stdout, err) = CliRunner.Run("hybrid", "--data", data, "--treatment", "A", "--outcome", "Y", "--covariates", "Z", "--generator", "bn", "-o", output, "--json");
        Assert.That(code, Is.EqualTo(0), err);
        var o = JObject.Parse(stdout);
        Assert.That(o["hybrid"]!.Value<double>("known_ate"), Is.EqualTo(0.2).Within(0.08));
        Assert.That(o["fully_generative"]!["known_ate"]!.Type, Is.EqualTo(JTokenType.Null));
        Assert.That(o["hybrid"]!["tstr"]!.Value<string>("metric"), Is.EqualTo("AUC"));
        Assert.That(File.ReadLines(output).First(), Is.EqualTo("Z,A,Y"));
        var manifest = JObject.Parse(File.ReadAllText(Path.Combine(dir, "hybrid.manifest.json")));
        Assert.That(manifest.Value<double>("known_ate"), Is.EqualTo(o["hybrid"]!.Value<double>("known_ate")));
    }

    [Test]
    public void AteAndHybrid_RequireTheCovariates_NeverGuessingThem()
    {
        var dir = CliRunner.TempDir();
        var data = SampleConfounder(dir);
        foreach (var verb in new[] { "ate", "hybrid" })
        {
            var (code, _, err) = CliRunner.Run(verb, "--data", data, "--treatment", "A", "--outcome", "Y");
            Assert.That(code, Is.EqualTo(2), err);
            Assert.That(err, Does.Contain("--covariates"));
            Assert.That(err.Trim().Split('\n'), Has.Length.EqualTo(1));
        }
    }

    [Test]
    public void Simulate_NamesAndRecordsTheContrast_AndHonoursTheTreatedState()
    {
        var dir = CliRunner.TempDir();
        var runs = new[] { ("default", Array.Empty<string>()), ("swapped", new[] { "--treated", "0", "--control", "1" }) }
            .Select(x => (x.Item1, CliRunner.Run(new[] { "simulate", "--spec", CliRunner.Dag("confounder.json"), "--sizes", "400", "--reps", "20", "-o", Path.Combine(dir, x.Item1) }.Concat(x.Item2).ToArray())))
            .ToDictionary(x => x.Item1, x => x.Item2);
        Assert.That(runs["default"].Code, Is.EqualTo(0), runs["default"].Err);
        Assert.That(runs["swapped"].Code, Is.EqualTo(0), runs["swapped"].Err);
        Assert.That(runs["default"].Out, Does.Contain("true ATE 0.2000").And.Contain("contrast: A = 1 (treated) vs 0 (control) on Y, scale Y"));
        Assert.That(runs["swapped"].Out, Does.Contain("true ATE -0.2000").And.Contain("contrast: A = 0 (treated) vs 1 (control) on Y"));
        foreach (var (name, sign) in new[] { ("default", 1.0), ("swapped", -1.0) })
        {
            var body = JObject.Parse(File.ReadAllText(Path.Combine(dir, name, "simulation.json")));
            Assert.That(body["contrast"]!.Value<string>("treated"), Is.EqualTo(sign > 0 ? "1" : "0"));
            Assert.That(body["contrast"]!.Value<string>("scale"), Is.EqualTo("Y"));
            var manifest = JObject.Parse(File.ReadAllText(Path.Combine(dir, name, "simulation.manifest.json")));
            Assert.That(manifest["options"]!["contrast"], Is.EqualTo(body["contrast"]));
            // The estimators follow the contrast: their mean over 20 replications is near ±0.2, not its negative.
            foreach (var row in body["rows"]!)
                Assert.That(row.Value<double>("Mean") * sign, Is.GreaterThan(0.1), $"{name} {row.Value<string>("Estimator")}");
        }
    }

    [Test]
    public void Sample_NamesPotentialOutcomeColumnsAfterTheStates_AndRecordsTheContrast()
    {
        var dir = CliRunner.TempDir();
        var output = Path.Combine(dir, "c.csv");
        var (code, _, err) = CliRunner.Run("sample", "--spec", CliRunner.Dag("clinical.json"), "--treatment", "statin", "--outcome", "cv_event", "--treated", "no", "--control", "yes", "-n", "50", "-o", output);
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(File.ReadLines(output).First(), Does.EndWith(",cv_event(statin=yes),cv_event(statin=no),ite"), "control first, then treated, each named after its state");
        var po = JObject.Parse(File.ReadAllText(Path.Combine(dir, "c.manifest.json")))["potential_outcomes"]!;
        Assert.That(po.Value<string>("treated"), Is.EqualTo("no"));
        Assert.That(po.Value<string>("scale"), Is.EqualTo("1[cv_event = yes]"));
        Assert.That(po.Value<string>("ite"), Does.StartWith("1[cv_event(statin=no) = yes] − 1[cv_event(statin=yes) = yes]"));
    }

    [Test]
    public void Ate_ReportsTheContrast_MissingRowsDropped_AndColumnTypes()
    {
        var dir = CliRunner.TempDir();
        var data = Path.Combine(dir, "d.csv");
        File.WriteAllLines(data, new[] { "arm,y,age,site" }.Concat(Enumerable.Range(0, 200).Select(i =>
            $"{(i % 2 == 0 ? "drug" : "placebo")},{(i * 7919 % 13 + (i % 2 == 0 ? 3 : 0))},{(i % 17 == 0 ? "NA" : (20 + i % 40).ToString())},s{i % 3}")));
        var args = new[] { "ate", "--data", data, "--treatment", "arm", "--treated", "drug", "--control", "placebo", "--outcome", "y", "--covariates", "age,site", "--json" };
        var (code, _, err) = CliRunner.Run(args);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err.Trim(), Does.StartWith($"{data}:2:").And.Contain("missing value ('NA') in column 'age'"));
        var (code2, stdout, err2) = CliRunner.Run(args.Append("--missing").Append("drop").ToArray());
        Assert.That(code2, Is.EqualTo(0), err2);
        var o = JObject.Parse(stdout);
        Assert.That(o.Value<int>("rows_dropped_missing"), Is.EqualTo(Enumerable.Range(0, 200).Count(i => i % 17 == 0)));
        Assert.That(o.Value<int>("rows_used"), Is.EqualTo(200 - o.Value<int>("rows_dropped_missing")));
        Assert.That(o["contrast"]!.Value<string>("treated"), Is.EqualTo("drug"));
        Assert.That(o["contrast"]!.Value<string>("scale"), Is.EqualTo("difference in means"));
        Assert.That(o["covariate_types"]!.Value<string>("age"), Is.EqualTo("numeric"));
        Assert.That(o["covariate_types"]!.Value<string>("site"), Is.EqualTo("categorical"));
        foreach (var e in o["estimates"]!)
            Assert.That(e.Value<double>("estimate"), Is.EqualTo(3).Within(4 * e.Value<double>("standard_error") + 0.5), e.Value<string>("estimator"));
    }

    [Test]
    public void Simulate_Nuisances_AddsOracleRows_AndFlexibleLearnersCrossFitByDefault()
    {
        var dir = CliRunner.TempDir();
        var (code, stdout, err) = CliRunner.Run("simulate", "--spec", CliRunner.Dag("xu_dgp_overlap.json"), "--sizes", "300", "--reps", "4", "--estimators", "aipw,tmle-weighted",
            "--nuisances", "fitted,oracle,oracle-q", "--json", "-o", dir);
        Assert.That(code, Is.EqualTo(0), err);
        var rows = JObject.Parse(stdout)["rows"]!.Select(r => (string?)r["Estimator"]).ToList();
        Assert.That(rows, Is.EqualTo(new[] { "aipw", "tmle-weighted", "aipw@oracle", "tmle-weighted@oracle", "aipw@oracle-q", "tmle-weighted@oracle-q" }));
        var manifest = JObject.Parse(File.ReadAllText(Path.Combine(dir, "simulation.manifest.json")));
        Assert.That(manifest.SelectToken("options.nuisances")!.Select(t => (string?)t), Is.EqualTo(new[] { "fitted", "oracle", "oracle-q" }));
        Assert.That((int)manifest.SelectToken("options.folds")!, Is.EqualTo(1));
        // A mediator's model has no oracle E[Y | A, W] in its outcome mechanism; an unknown source is a usage error.
        Assert.That(CliRunner.Run("simulate", "--spec", CliRunner.Dag("mediator.json"), "--nuisances", "oracle", "--sizes", "50", "--reps", "2", "-o", Path.Combine(dir, "m")).Code, Is.EqualTo(2));
        Assert.That(CliRunner.Run("simulate", "--spec", CliRunner.Dag("confounder.json"), "--nuisances", "truth", "--sizes", "50", "--reps", "2", "-o", Path.Combine(dir, "t")).Code, Is.EqualTo(2));
        // The super learner cross-fits with 5 folds unless --folds says otherwise.
        var data = SampleConfounder(dir, 600);
        var (c2, ate, e2) = CliRunner.Run("ate", "--data", data, "--treatment", "A", "--outcome", "Y", "--covariates", "Z", "--outcome-learner", "super", "--estimators", "aipw", "--json");
        Assert.That(c2, Is.EqualTo(0), e2);
        var o = JObject.Parse(ate);
        Assert.That((int)o["folds"]!, Is.EqualTo(5));
        Assert.That(Math.Abs((double)o["estimates"]![0]!["estimate"]! - 0.2), Is.LessThan(4 * (double)o["estimates"]![0]!["standard_error"]!));
    }
}
