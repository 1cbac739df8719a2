using HybridSynth.HybridBridge.Data;
using HybridSynth.HybridBridge.Estimators;
using HybridSynth.HybridBridge.Hybrid;
using HybridSynth.HybridBridge.Simulation;
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.HybridBridge.Tests.Hybrid;

/// <summary>The hybrid experiment facade that the <c>hybrid</c> verb and C# users call.</summary>
public class HybridExperimentTests
{
    private static CausalData Xu(int n, ulong seed)
    {
        var m = SpecLoader.Load(Paths.Dag("xu_dgp_randomised.json")).Model;
        return SimulationEngine.Dataset(m, TreatmentContrast.Resolve(m, null, null), n, 0, seed);
    }

    [Test]
    public void Run_SplitsScoresBothArms_AndIsAFunctionOfTheSeed()
    {
        var real = Xu(1500, 5);
        var options = new HybridOptions { Generator = "copula", RandomisedDesign = true, Seed = 9 };
        var stages = new List<string>();
        var result = HybridExperiment.Run(real, 0.3, new[] { "or", "aipw" }, options, (what, work) => { stages.Add(what); return work(); });
        Assert.That(stages, Has.Count.EqualTo(2));
        Assert.That(result.Train.Count + result.Holdout.Count, Is.EqualTo(1500));
        // The holdout is the seeded split, the same one HoldoutSplit gives.
        Assert.That(result.Holdout.Outcome, Is.EqualTo(HoldoutSplit.Split(real, 0.3, 9).Holdout.Outcome));
        Assert.That(result.Arms.Select(a => a.Name), Is.EqualTo(new[] { "hybrid", "fully_generative" }));
        Assert.That(result.Hybrid.Synthetic.Data.Count, Is.EqualTo(result.Train.Count), "as many synthetic rows as training rows by default");
        // The hybrid data have a known ATE that the estimators recover; the fully generative baseline has none.
        foreach (var e in result.Hybrid.Estimates.Values)
            Assert.That(e.Estimate, Is.EqualTo(result.Hybrid.Synthetic.KnownAte).Within(4 * e.StandardError), e.Estimator);
        Assert.That(double.IsNaN(result.FullyGenerative.Synthetic.KnownAte));
        // Fresh draws are not copies of the training rows.
        Assert.That(result.Hybrid.Dcr.ShareExactCopies, Is.LessThan(0.01));

        var again = HybridExperiment.Run(real, 0.3, new[] { "or", "aipw" }, options);
        Assert.That(again.ToJson("copula").ToString(), Is.EqualTo(result.ToJson("copula").ToString()));
        var other = HybridExperiment.Run(real, 0.3, new[] { "or", "aipw" }, options with { Seed = 10 });
        Assert.That(other.Hybrid.Synthetic.Data.Outcome, Is.Not.EqualTo(result.Hybrid.Synthetic.Data.Outcome));
    }

    [Test]
    public void Dcr_IsMeasuredOnTheCovariatesAndOnTheWholeRecord()
    {
        // The bootstrap generator copies training covariates exactly; the hybrid's A and Y are fresh draws from ĝ and Q̂, so
        // on (W, A, Y) far fewer synthetic records are copies of a training record.
        var result = HybridExperiment.Run(Xu(1200, 6), 0.3, new[] { "or" }, new HybridOptions { Generator = "bootstrap", RandomisedDesign = true, Seed = 5 });
        var w = result.Hybrid.Dcr;
        var joint = result.Hybrid.DcrJoint!;
        Assert.That(w.ShareExactCopies, Is.GreaterThan(0.95), "bootstrap rows are training covariates");
        Assert.That(joint.ShareExactCopies, Is.LessThan(w.ShareExactCopies - 0.2));
        Assert.That(joint.SyntheticMedian, Is.GreaterThanOrEqualTo(w.SyntheticMedian));
        Assert.That(result.ToJson("bootstrap")["hybrid"]!["dcr_joint"]!["ShareExactCopies"]!.Type, Is.EqualTo(Newtonsoft.Json.Linq.JTokenType.Float));
    }

    [Test]
    public void ToJson_ReportsErrorsAgainstTheRealAndTheKnownAte()
    {
        var result = HybridExperiment.Run(Xu(800, 2), 0.25, new[] { "or" }, new HybridOptions { Generator = "bootstrap", RandomisedDesign = true, Seed = 3 });
        var json = result.ToJson("bootstrap");
        var or = json["hybrid"]!["estimates"]!["or"]!;
        Assert.That((double)or["error_vs_real"]!, Is.EqualTo(result.Hybrid.Estimates["or"].Estimate - result.Real["or"].Estimate).Within(1e-12));
        Assert.That((double)or["error_vs_known"]!, Is.EqualTo(result.Hybrid.Estimates["or"].Estimate - result.Hybrid.Synthetic.KnownAte).Within(1e-12));
        Assert.That(json["fully_generative"]!["known_ate"]!.Type, Is.EqualTo(Newtonsoft.Json.Linq.JTokenType.Null));
        Assert.That((int)json["train"]! + (int)json["holdout"]!, Is.EqualTo(800));
    }

    [Test]
    public void TheHybridAndTheFullyGenerativeCovariates_AreIndependentDraws([Values("bootstrap", "copula", "bn")] string generator)
    {
        // Each purpose draws from its own key (Seeds.GeneratorSample): with one shared key a bootstrap picked the same rows twice.
        var result = HybridExperiment.Run(Xu(600, 4), 0.3, new[] { "or" }, new HybridOptions { Generator = generator, RandomisedDesign = true, Seed = 5 });
        var hybridW = result.Hybrid.Synthetic.Data.Covariates;
        var generativeW = result.FullyGenerative.Synthetic.Data.Covariates;
        var same = Enumerable.Range(0, hybridW[0].Length).Count(i => Enumerable.Range(0, hybridW.Length).All(j => hybridW[j][i] == generativeW[j][i]));
        Assert.That(same, Is.LessThan(hybridW[0].Length / 5), $"{same} of {hybridW[0].Length} rows coincide");
    }

    [Test]
    public void Run_RefusesAHoldoutOutsideItsRange() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => HybridExperiment.Run(Xu(100, 1), 0.95, new[] { "or" }, new HybridOptions()));
}
