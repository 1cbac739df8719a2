using HybridSynth.Scm.Inference;
using HybridSynth.Scm.Interventions;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.Scm.Tests.Inference;

public class EffectTests
{
    [TestCase("confounder.json", 0.55, 0.35)]
    [TestCase("mediator.json", 0.54, 0.19)]
    [TestCase("collider.json", 0.4, 0.4)]
    public void ExactAte_EqualsTheHandComputedValue(string spec, double treated, double control)
    {
        var m = SpecLoader.Load(Paths.Dag(spec)).Model;
        var c = TreatmentContrast.Resolve(m, null, null);
        var e = ExactEffects.AverageTreatmentEffect(m, c);
        Assert.That(e.MeanTreated, Is.EqualTo(treated).Within(1e-12));
        Assert.That(e.MeanControl, Is.EqualTo(control).Within(1e-12));
        Assert.That(e.Effect, Is.EqualTo(treated - control).Within(1e-12));
    }

    [Test]
    public void ExactCate_ConditionsOnTheCovariate()
    {
        // Confounder: P(Y=1 | do(A=a), Z=z) = P(Y=1 | z, a): z=1 gives 0.8 - 0.6 = 0.2, z=0 gives 0.3 - 0.1 = 0.2.
        var m = SpecLoader.Load(Paths.Dag("confounder.json")).Model;
        var c = TreatmentContrast.Resolve(m, null, null);
        var e = ExactEffects.AverageTreatmentEffect(m, c, new Dictionary<int, int> { [m.IndexOf("Z")] = 1 });
        Assert.That(e.MeanTreated, Is.EqualTo(0.8).Within(1e-12));
        Assert.That(e.MeanControl, Is.EqualTo(0.6).Within(1e-12));
    }

    [Test]
    public void MonteCarloAte_AgreesWithExact_WithinItsStandardError()
    {
        var m = SpecLoader.Load(Paths.Dag("mediator.json")).Model;
        var c = TreatmentContrast.Resolve(m, null, null);
        var mc = MonteCarloEffects.AverageTreatmentEffect(m, c, 100_000, seed: 5);
        Assert.That(mc.StandardError, Is.GreaterThan(0).And.LessThan(0.01));
        Assert.That(Math.Abs(mc.Effect - 0.35), Is.LessThan(4 * mc.StandardError));
    }

    [Test]
    public void MonteCarloMean_OfLinearGaussian_UnderDo_MatchesTheClosedForm()
    {
        // do(X1 = 1): X2 = 1.8, X3 = -1.2, X4 = 0.5·1.8 + 0.9·(-1.2) = -0.18, E[X5] = 2 - 0.4·(-1.2) + 1.2·(-0.18) = 2.264.
        var m = SpecLoader.Load(Paths.Dag("linear_gaussian.json")).Model;
        var (mean, se, _) = MonteCarloEffects.Interventional(m, m.IndexOf("X5"), 200_000, 9, null, new[] { new HardIntervention(m.IndexOf("X1"), 1.0) });
        Assert.That(Math.Abs(mean[0] - 2.264), Is.LessThan(4 * se[0]));
        // Var(X5 | do(X1=1)): X3 noise 0.7Z3, X2 noise 0.6Z2, X4 = 0.5X2 + 0.9X3 + 0.5Z4, X5 = -0.4X3 + 1.2X4 + Z5
        // X5 noise = 1.2·0.5·0.6 Z2 + (−0.4 + 1.2·0.9)·0.7 Z3 + 0.6 Z4 + Z5 → sd known; SE = sd/√n.
        var sd = Math.Sqrt(Math.Pow(0.36, 2) + Math.Pow(0.68 * 0.7, 2) + 0.36 + 1);
        Assert.That(se[0], Is.EqualTo(sd / Math.Sqrt(200_000)).Within(0.02 * sd / Math.Sqrt(200_000)));
    }

    [Test]
    public void OutcomeScale_UsesNumericStatesOrTheSecondState()
    {
        var m = SpecLoader.Load(Paths.Dag("clinical.json")).Model;
        var c = TreatmentContrast.Resolve(m, null, null);
        Assert.That(c.Scale.Description, Is.EqualTo("1[cv_event = yes]"));
        Assert.That(c.TreatedCode, Is.EqualTo(1));
    }

    [Test]
    public void MonteCarloAte_IsRaoBlackwellised_ForCategoricalOutcomes()
    {
        // Averaging P(Y=1 | parents) instead of the drawn Y. On the mediator model over 30 seeds the estimates centre on
        // the exact 0.35 and their spread matches the reported SE.
        var m = SpecLoader.Load(Paths.Dag("mediator.json")).Model;
        var c = TreatmentContrast.Resolve(m, null, null);
        const int n = 4000;
        var estimates = Enumerable.Range(0, 30).Select(s => MonteCarloEffects.AverageTreatmentEffect(m, c, n, (ulong)(100 + s))).ToList();
        var mean = estimates.Average(e => e.Effect);
        var sd = Math.Sqrt(estimates.Sum(e => (e.Effect - mean) * (e.Effect - mean)) / 29);
        var se = estimates.Average(e => e.StandardError);
        Assert.That(Math.Abs(mean - 0.35), Is.LessThan(4 * se / Math.Sqrt(30)));
        Assert.That(sd / se, Is.InRange(0.6, 1.5), "the SE describes the spread over seeds");
        // On the confounder model every unit's conditional effect is 0.2 (0.3−0.1 and 0.8−0.6): the Rao–Blackwellised
        // estimate is exact, where the difference of drawn indicators would have an SE near sqrt(0.5/n).
        var conf = SpecLoader.Load(Paths.Dag("confounder.json")).Model;
        var e2 = MonteCarloEffects.AverageTreatmentEffect(conf, TreatmentContrast.Resolve(conf, null, null), n, 7);
        Assert.That(e2.Effect, Is.EqualTo(0.2).Within(1e-12));
        Assert.That(e2.StandardError, Is.LessThan(1e-9));
    }

    [Test]
    public void MonteCarloAte_WhoseEffectNeverVaries_DoesNotClaimAZeroStandardError()
    {
        // Y ignores A and is 1 for every unit: the effect is exactly 0 and every unit's difference is 0. The interval
        // must not be [0, 0] pretending to be exact: it is the rule-of-three bound ±3/n.
        const string spec = """
        { "variables": [
            { "name": "A", "states": ["0", "1"], "role": "treatment", "mechanism": { "type": "cpt", "table": [[0.5, 0.5]] } },
            { "name": "Y", "states": ["0", "1"], "role": "outcome", "parents": ["A"], "mechanism": { "type": "cpt", "table": [[0, 1], [0, 1]] } } ] }
        """;
        var m = JsonSpecReader.Read(spec, "flat.json");
        var e = MonteCarloEffects.AverageTreatmentEffect(m, TreatmentContrast.Resolve(m, null, null), 1000, 1);
        Assert.That(e.Effect, Is.EqualTo(0));
        Assert.That(e.StandardError, Is.GreaterThan(0));
        Assert.That(e.Interval95.Upper, Is.EqualTo(0.003).Within(1e-12));
    }

    [Test]
    public void Quadrature_RespectsTheTabulationLimitOfExpensiveMechanisms()
    {
        // A mechanism with a tabulation limit (a language model) must not be enumerated past it: auto then uses Monte Carlo.
        var m = SpecLoader.Load(SpecLoader.DefaultSpec).Model;
        var v = m.IndexOf("either");
        var limited = m.Intervene(new SoftIntervention(v, new HybridSynth.Scm.Mechanisms.UnboundMechanism("language_model", "either", m.Mechanisms[v].Parents, 2, "a model"), "test"));
        var q = new QuadratureEffects();
        Assert.That(q.IsFeasible(m, m.IndexOf("dysp"), out _), Is.True);
        Assert.That(q.IsFeasible(limited, limited.IndexOf("dysp"), out var why), Is.False);
        Assert.That(why, Does.Contain("parent configurations").And.Contain("Monte Carlo"));
    }
}
