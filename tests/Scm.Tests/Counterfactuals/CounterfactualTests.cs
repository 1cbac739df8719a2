using HybridSynth.Scm.Counterfactuals;
using HybridSynth.Scm.Interventions;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Sampling;
using HybridSynth.Scm.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.Scm.Tests.Counterfactuals;

public class CounterfactualTests
{
    private static (double[][] Factual, double[][] Counterfactual) Pair(CausalModel m, Intervention iv, int n, ulong seed)
    {
        var f = new AncestralSampler(m, seed).SampleRange(0, n);
        var c = new AncestralSampler(m.Intervene(iv), seed).SampleRange(0, n);
        return (f.Columns, c.Columns);
    }

    // One model per mechanism type: CPT (asia), linear-Gaussian, logistic + linear-Gaussian + CPT (clinical).
    [TestCase("asia.json", "smoke")]
    [TestCase("asia.json", "either")]
    [TestCase("linear_gaussian.json", "X3")]
    [TestCase("clinical.json", "statin")]
    [TestCase("clinical.json", "systolic_bp")]
    [TestCase("clinical.json", "smoker")]
    [TestCase("xu_dgp.json", "A")]
    [TestCase("xu_dgp.json", "W3")]
    [TestCase("xu_dgp.json", "W4")]
    public void Counterfactual_UnderTheFactualValue_EqualsTheFactualRow(string spec, string variable)
    {
        var m = SpecLoader.Load(Paths.Dag(spec)).Model;
        var v = m.IndexOf(variable);
        const int n = 5000;
        var factual = new AncestralSampler(m, 17).SampleRange(0, n);
        // Unit by unit, do(V = its own factual value) must reproduce the whole row bit for bit.
        for (var i = 0; i < n; i += 97)
        {
            var cf = new AncestralSampler(m.Intervene(new HardIntervention(v, factual.Columns[v][i])), 17).SampleRange(i, 1);
            for (var w = 0; w < m.Count; w++)
                Assert.That(BitConverter.DoubleToInt64Bits(cf.Columns[w][0]), Is.EqualTo(BitConverter.DoubleToInt64Bits(factual.Columns[w][i])), $"unit {i}, {m[w].Name}");
        }
    }

    [Test]
    public void CategoricalIntervention_MatchingUnitsAreUnchanged_OthersChangeOnlyDownstream()
    {
        var m = SpecLoader.Load(Paths.Dag("asia.json")).Model;
        var smoke = m.IndexOf("smoke");
        var (f, c) = Pair(m, new HardIntervention(smoke, 0), 20_000, 3);
        var downstream = m.Graph.Descendants(smoke);
        var changed = 0;
        for (var i = 0; i < 20_000; i++)
        {
            for (var w = 0; w < m.Count; w++)
            {
                if (w == smoke) continue;
                if (f[smoke][i] == 0 || !downstream.Contains(w)) Assert.That(c[w][i], Is.EqualTo(f[w][i]));
                else if (c[w][i] != f[w][i]) changed++;
            }
        }
        Assert.That(changed, Is.GreaterThan(100), "the intervention must change some descendants");
    }

    [Test]
    public void LinearGaussian_CounterfactualShiftsByTheStructuralCoefficients()
    {
        // do(X1 = x1 + 1) with the same noise: X2 moves by exactly 0.8, X3 by -0.7, X4 by 0.5·0.8 + 0.9·(−0.7) = −0.23.
        var m = SpecLoader.Load(Paths.Dag("linear_gaussian.json")).Model;
        var x1 = m.IndexOf("X1");
        var f = new AncestralSampler(m, 8).SampleRange(0, 200);
        for (var i = 0; i < 200; i++)
        {
            var c = new AncestralSampler(m.Intervene(new HardIntervention(x1, f.Columns[x1][i] + 1)), 8).SampleRange(i, 1);
            Assert.That(c.Columns[m.IndexOf("X2")][0] - f.Columns[m.IndexOf("X2")][i], Is.EqualTo(0.8).Within(1e-9));
            Assert.That(c.Columns[m.IndexOf("X3")][0] - f.Columns[m.IndexOf("X3")][i], Is.EqualTo(-0.7).Within(1e-9));
            Assert.That(c.Columns[m.IndexOf("X4")][0] - f.Columns[m.IndexOf("X4")][i], Is.EqualTo(-0.23).Within(1e-9));
        }
    }

    [Test]
    public void PairsTable_HasFactualAndCounterfactualColumnsForVisibleVariables()
    {
        var m = SpecLoader.Load(Paths.Dag("clinical.json")).Model;
        var job = CounterfactualJobs.Pairs(m, new[] { new HardIntervention(m.IndexOf("statin"), 1) }, 100, 1, new SamplingOptions());
        var names = job.Schema.Select(c => c.Name).ToList();
        Assert.That(names[0], Is.EqualTo("unit"));
        Assert.That(names, Does.Contain("cv_event").And.Contain("cv_event_cf"));
        Assert.That(names, Does.Not.Contain("frailty").And.Not.Contain("frailty_cf"));
        var block = job.Blocks.Single();
        var statinCf = block.Columns[names.IndexOf("statin_cf")];
        Assert.That(statinCf.All(x => x == 1));
    }

    [Test]
    public void PairsTable_RecyclingItsColumns_GivesTheSameBytes_AndReusesBothWorldsArrays()
    {
        // clinical: a hidden variable (not written, still sampled), logistic and Gaussian mechanisms.
        var m = SpecLoader.Load(Paths.Dag("clinical.json")).Model;
        var iv = new[] { new HardIntervention(m.IndexOf("statin"), 1) };
        Recycling.GivesTheSameBytes_AndReusesItsArrays("csv", (options, n) => CounterfactualJobs.Pairs(m, iv, n, 5, options), "cf");
    }

    [Test]
    public void PotentialOutcomes_AgreeWithTheFactualOutcome_UnderTheFactualTreatment()
    {
        var m = SpecLoader.Load(Paths.Dag("clinical.json")).Model;
        var contrast = HybridSynth.Scm.Inference.TreatmentContrast.Resolve(m, null, null);
        var job = SampleJobs.Sample(m, 20_000, 12, new SamplingOptions(), contrast);
        var names = job.Schema.Select(c => c.Name).ToList();
        var block = job.Blocks.Single();
        var a = block.Columns[names.IndexOf("statin")];
        var y = block.Columns[names.IndexOf("cv_event")];
        var y0 = block.Columns[names.IndexOf("cv_event(statin=no)")];
        var y1 = block.Columns[names.IndexOf("cv_event(statin=yes)")];
        var ite = block.Columns[names.IndexOf("ite")];
        for (var i = 0; i < block.Count; i++)
        {
            Assert.That(a[i] == 1 ? y1[i] : y0[i], Is.EqualTo(y[i]), $"consistency at unit {i}");
            Assert.That(ite[i], Is.EqualTo(y1[i] - y0[i]));
        }
        // The mean individual effect estimates the ATE (checked against Monte Carlo with its own seed within 5 SE of both).
        var mc = HybridSynth.Scm.Inference.MonteCarloEffects.AverageTreatmentEffect(m, contrast, 200_000, 77);
        var se = Math.Sqrt(ite.Select(x => (x - ite.Average()) * (x - ite.Average())).Average() / ite.Length);
        Assert.That(Math.Abs(ite.Average() - mc.Effect), Is.LessThan(5 * Math.Sqrt(se * se + mc.StandardError * mc.StandardError)));
    }
}
