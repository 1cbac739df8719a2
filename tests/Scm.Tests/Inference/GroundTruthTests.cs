using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.Scm.Tests.Inference;

/// <summary>The one ground-truth cascade: exact → quadrature → Monte Carlo, or the method asked for.</summary>
public class GroundTruthTests
{
    private static readonly MonteCarloSettings Mc = new(200_000, 3, 2);

    [Test]
    public void Auto_IsExactOnADiscreteModel_QuadratureOnAGaussianOne_AndMonteCarloWhenConditioningAContinuousModel()
    {
        var confounder = SpecLoader.Load(Paths.Dag("confounder.json")).Model;
        var c = TreatmentContrast.Resolve(confounder, null, null);
        var exact = GroundTruth.AverageTreatmentEffect(confounder, c, GroundTruthMethod.Auto, Mc);
        Assert.That(exact.Method, Is.EqualTo(GroundTruthMethod.Exact));
        Assert.That(exact.Estimate.Effect, Is.EqualTo(0.2).Within(1e-15));

        var xu = SpecLoader.Load(Paths.Dag("xu_dgp.json")).Model;
        var cx = TreatmentContrast.Resolve(xu, null, null);
        var quadrature = GroundTruth.AverageTreatmentEffect(xu, cx, GroundTruthMethod.Auto, Mc);
        Assert.That(quadrature.Method, Is.EqualTo(GroundTruthMethod.Quadrature));
        Assert.That(quadrature.QuadraturePoints, Is.GreaterThan(0));
        Assert.That(quadrature.Estimate.Effect, Is.EqualTo(0.418468).Within(5e-7), "the README's figure");
        Assert.That(GroundTruth.ChooseForEffect(xu, cx, GroundTruthMethod.Auto, new Dictionary<int, int> { [xu.IndexOf("W1")] = 0 }),
            Is.EqualTo(GroundTruthMethod.MonteCarlo).Or.EqualTo(GroundTruthMethod.Exact));
    }

    [Test]
    public void MonteCarlo_AgreesWithTheExactValue_WithinItsStandardError()
    {
        var m = SpecLoader.Load(Paths.Dag("confounder.json")).Model;
        var c = TreatmentContrast.Resolve(m, null, null);
        var mc = GroundTruth.AverageTreatmentEffect(m, c, GroundTruthMethod.MonteCarlo, Mc);
        Assert.That(mc.Method, Is.EqualTo(GroundTruthMethod.MonteCarlo));
        // Rao–Blackwellised: each unit contributes P(Y | do(A = 1), Z) − P(Y | do(A = 0), Z), which is 0.2 for every Z here,
        // so the estimate is 0.2 up to rounding and its standard error (with its rule-of-three floor) is tiny.
        Assert.That(mc.Estimate.StandardError, Is.GreaterThan(0).And.LessThan(0.01));
        Assert.That(Math.Abs(mc.Estimate.Effect - 0.2), Is.LessThan(4 * mc.Estimate.StandardError + 1e-12));
        var clinical = SpecLoader.Load(Paths.Dag("clinical.json")).Model;
        var cc = TreatmentContrast.Resolve(clinical, "statin", "cv_event");
        var truth = GroundTruth.AverageTreatmentEffect(clinical, cc, GroundTruthMethod.Auto, Mc);
        var sim = GroundTruth.AverageTreatmentEffect(clinical, cc, GroundTruthMethod.MonteCarlo, Mc);
        Assert.That(truth.Method, Is.Not.EqualTo(GroundTruthMethod.MonteCarlo));
        Assert.That(sim.Estimate.StandardError, Is.GreaterThan(1e-5));
        Assert.That(Math.Abs(sim.Estimate.Effect - truth.Estimate.Effect), Is.LessThan(4 * sim.Estimate.StandardError), "a heterogeneous effect, simulated");
    }

    [Test]
    public void AMethodThatCannotApply_SaysWhy()
    {
        var xu = SpecLoader.Load(Paths.Dag("xu_dgp.json")).Model;
        var cx = TreatmentContrast.Resolve(xu, null, null);
        Assert.That(Assert.Throws<ModelException>(() => GroundTruth.AverageTreatmentEffect(xu, cx, GroundTruthMethod.Exact, Mc))!.Message, Does.Contain("continuous"));
        var clinical = SpecLoader.Load(Paths.Dag("clinical.json")).Model;
        var cc = TreatmentContrast.Resolve(clinical, "statin", "cv_event");
        var given = new Dictionary<int, int> { [clinical.IndexOf("smoker")] = 1 };
        Assert.That(Assert.Throws<ModelException>(() => GroundTruth.ChooseForEffect(clinical, cc, GroundTruthMethod.Quadrature, given))!.Message, Does.Contain("does not condition on --given"));
    }

    [Test]
    public void Distribution_IsVariableEliminationWhenFeasible_AndMonteCarloOtherwise()
    {
        var asia = SpecLoader.Load("builtin:asia").Model;
        var dysp = asia.IndexOf("dysp");
        var evidence = new Dictionary<int, int> { [asia.IndexOf("xray")] = 0 };
        var exact = GroundTruth.Distribution(asia, dysp, GroundTruthMethod.Auto, Mc, evidence);
        Assert.That(exact.Exact, Is.True);
        Assert.That(exact.Values, Is.EqualTo(new VariableElimination(asia).Query(dysp, evidence)));
        var mc = GroundTruth.Distribution(asia, dysp, GroundTruthMethod.MonteCarlo, Mc, evidence);
        Assert.That(mc.Exact, Is.False);
        for (var k = 0; k < 2; k++)
            Assert.That(Math.Abs(mc.Values[k] - exact.Values[k]), Is.LessThan(4 * mc.StandardErrors![k] + 1e-12), $"state {k}");
    }
}
