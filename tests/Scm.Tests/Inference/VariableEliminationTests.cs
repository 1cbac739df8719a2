using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.Interventions;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.Scm.Tests.Inference;

public class VariableEliminationTests
{
    [Test]
    public void EqualsBruteForceEnumeration_OnRandomNetworksWithEvidence()
    {
        var rng = new Random(11);
        for (var trial = 0; trial < 30; trial++)
        {
            var g = RandomModels.Dag(rng, rng.Next(3, 8), 0.4);
            var m = RandomModels.DiscreteModel(rng, g);
            var target = rng.Next(m.Count);
            var evidence = new Dictionary<int, int>();
            foreach (var v in Enumerable.Range(0, m.Count))
                if (v != target && rng.NextDouble() < 0.3) evidence[v] = rng.Next(m[v].Cardinality);
            var expected = RandomModels.Conditional(m, target, evidence);
            var actual = new VariableElimination(m).Query(target, evidence);
            Assert.That(actual, Is.EqualTo(expected).Within(1e-12), $"trial {trial}");
        }
    }

    [Test]
    public void Do_EqualsTheTruncatedFactorisation()
    {
        // P(y | do(x)) = Σ over the joint with P(x | pa_x) removed and x fixed, computed by brute force on random networks.
        var rng = new Random(12);
        for (var trial = 0; trial < 30; trial++)
        {
            var g = RandomModels.Dag(rng, rng.Next(3, 8), 0.45);
            var m = RandomModels.DiscreteModel(rng, g);
            var x = rng.Next(m.Count);
            var y = (x + 1 + rng.Next(m.Count - 1)) % m.Count;
            var xv = rng.Next(m[x].Cardinality);
            var truncated = TruncatedFactorisation(m, x, xv, y);
            var viaDo = ExactEffects.Interventional(m, y, new Dictionary<int, int>(), new[] { new HardIntervention(x, xv) });
            Assert.That(viaDo, Is.EqualTo(truncated).Within(1e-12), $"trial {trial}");
        }
    }

    private static double[] TruncatedFactorisation(HybridSynth.Scm.Model.CausalModel m, int x, int xv, int y)
    {
        var c = m.Variables.Select(v => v.Cardinality).ToArray();
        var result = new double[c[y]];
        var size = c.Aggregate(1, (a, b) => a * b);
        var assignment = new double[m.Count];
        for (var idx = 0; idx < size; idx++)
        {
            var rem = idx;
            for (var v = m.Count - 1; v >= 0; v--) { assignment[v] = rem % c[v]; rem /= c[v]; }
            if ((int)assignment[x] != xv) continue;
            var p = 1.0;
            for (var v = 0; v < m.Count; v++)
            {
                if (v == x) continue;
                var mech = (HybridSynth.Scm.Mechanisms.ICategoricalMechanism)m.Mechanisms[v];
                var probs = new double[c[v]];
                mech.Probabilities(mech.Parents.Select(q => assignment[q]).ToArray(), probs);
                p *= probs[(int)assignment[v]];
            }
            result[(int)assignment[y]] += p;
        }
        return result;
    }

    [Test]
    public void AsiaMarginals_MatchPublishedValues()
    {
        // Hand-computed: P(tub=yes) = 0.01·0.05 + 0.99·0.01 = 0.0104; P(lung=yes) = 0.5·0.1 + 0.5·0.01 = 0.055;
        // P(either=yes) = 1 − (1 − 0.0104)(1 − 0.055) = 0.064828 (tub and lung are independent); dysp by brute force.
        var m = SpecLoader.Load(SpecLoader.DefaultSpec).Model;
        var ve = new VariableElimination(m);
        Assert.That(ve.Query(m.IndexOf("tub"))[0], Is.EqualTo(0.0104).Within(1e-12));
        Assert.That(ve.Query(m.IndexOf("lung"))[0], Is.EqualTo(0.055).Within(1e-12));
        Assert.That(ve.Query(m.IndexOf("either"))[0], Is.EqualTo(0.064828).Within(1e-12));
        Assert.That(ve.Query(m.IndexOf("dysp")), Is.EqualTo(RandomModels.Conditional(m, m.IndexOf("dysp"), new Dictionary<int, int>())).Within(1e-12));
    }

    [Test]
    public void LargeNetwork_QueryIsRefusedClearly_WhenTheFactorLimitIsExceeded()
    {
        var m = BifReader.ReadFile(Paths.Bif("munin"));
        var ve = new VariableElimination(m, maxFactorEntries: 1e4);
        // Evidence on every leaf keeps the whole network relevant; with a limit of 1e4 entries the plan must be refused before any work.
        var leaves = Enumerable.Range(0, m.Count).Where(v => m.Graph.Children(v).Count == 0).ToList();
        var evidence = leaves.Skip(1).ToDictionary(v => v, _ => 0);
        var e = Assert.Throws<ModelException>(() => ve.Query(leaves[0], evidence))!;
        Assert.That(e.Message, Does.Contain("too large for exact inference"));
    }

    [Test]
    public void ContinuousAncestor_IsRefused()
    {
        var m = SpecLoader.Load(Paths.Dag("clinical.json")).Model;
        var e = Assert.Throws<ModelException>(() => new VariableElimination(m).Query(m.IndexOf("cv_event")))!;
        Assert.That(e.Message, Does.Contain("continuous"));
    }

    [Test]
    public void ImpossibleEvidence_IsReported()
    {
        var m = SpecLoader.Load(SpecLoader.DefaultSpec).Model;
        // either = no while lung = yes has probability zero (deterministic OR).
        var e = Assert.Throws<ModelException>(() => new VariableElimination(m).Query(m.IndexOf("dysp"),
            new Dictionary<int, int> { [m.IndexOf("either")] = 1, [m.IndexOf("lung")] = 0 }))!;
        Assert.That(e.Message, Does.Contain("probability zero"));
    }

    [Test]
    public void AllMarginalsAtOnce_EqualBruteForce_OnRandomNetworksWithEvidence()
    {
        var rng = new Random(23);
        for (var trial = 0; trial < 40; trial++)
        {
            var g = RandomModels.Dag(rng, rng.Next(2, 9), 0.4);
            var m = RandomModels.DiscreteModel(rng, g);
            var evidence = new Dictionary<int, int>();
            foreach (var v in Enumerable.Range(0, m.Count))
                if (rng.NextDouble() < 0.25) evidence[v] = rng.Next(m[v].Cardinality);
            var targets = Enumerable.Range(0, m.Count).Where(v => !evidence.ContainsKey(v)).ToList();
            if (targets.Count == 0) continue;
            var all = new VariableElimination(m).Marginals(targets, evidence);
            for (var q = 0; q < targets.Count; q++)
                Assert.That(all[q], Is.EqualTo(RandomModels.Conditional(m, targets[q], evidence)).Within(1e-12), $"trial {trial}, target {targets[q]}");
        }
    }

    [TestCase("alarm")]
    [TestCase("hailfinder")]
    [TestCase("win95pts")]
    public void AllMarginalsAtOnce_EqualOneQueryPerNode_OnBnlearnNetworks(string network)
    {
        var m = BifReader.ReadFile(Paths.Bif(network));
        var ve = new VariableElimination(m);
        var targets = Enumerable.Range(0, m.Count).ToList();
        var all = ve.Marginals(targets);
        foreach (var t in targets) Assert.That(all[t], Is.EqualTo(ve.Query(t)).Within(1e-12), m[t].Name);
        // With evidence, and under an intervention (the truncated factorisation).
        var evidence = new Dictionary<int, int> { [m.Count - 1] = 0 };
        var mutilated = m.Intervene([new HardIntervention(0, m[0].Cardinality - 1)]);
        var veDo = new VariableElimination(mutilated);
        var some = targets.Where(t => t != m.Count - 1).ToList();
        var given = veDo.Marginals(some, evidence);
        for (var q = 0; q < some.Count; q++) Assert.That(given[q], Is.EqualTo(veDo.Query(some[q], evidence)).Within(1e-12), m[some[q]].Name);
    }
}
