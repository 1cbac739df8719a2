using HybridSynth.Lm.Mechanisms;
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Sampling;
using HybridSynth.Scm.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.Lm.Tests;

public class BreastCancerSpecTests
{
    private static readonly string[] Order =
    {
        "age", "medical_condition", "medication", "menopausal_status", "carcinoma_type", "histology_grade", "mutation_1", "mutation_2",
        "hormone_level", "genomic_instability", "chromosomal_aberration", "her2_status", "pd_l1", "therapy",
    };

    [TestCase("breast_cancer_sdscm.json", 0)]
    [TestCase("breast_cancer_sdscm_hidden.json", 4)]
    public void Spec_HasTheFourteenVariables_EachCausedByAllEarlierOnes(string file, int hidden)
    {
        using var lm = Fixtures.Fake();
        var session = new LanguageModelSession(lm);
        var m = SpecLoader.Load(Paths.Dag(file), session.Readers).Model;
        Assert.That(m.Variables.Select(v => v.Name), Is.EqualTo(Order));
        for (var i = 0; i < m.Count; i++)
        {
            Assert.That(m.Graph.Parents(i).Select(m.Graph.Name).OrderBy(x => x), Is.EqualTo(Order.Take(i).OrderBy(x => x)), Order[i]);
            Assert.That(m.Mechanisms[i], Is.InstanceOf<LanguageModelMechanism>());
            Assert.That(m[i].Hidden, Is.EqualTo(i < hidden));
        }
        Assert.That(m[m.TreatmentIndex!.Value].Name, Is.EqualTo("pd_l1"));
        Assert.That(m[m.OutcomeIndex!.Value].Name, Is.EqualTo("therapy"));
        Assert.That(m[m.IndexOf("age")].Categorical.States, Is.EqualTo(new[] { "25", "35", "45", "55", "65", "75", "85" }));
        Assert.That(m[m.IndexOf("therapy")].Categorical.States, Has.Count.EqualTo(4));
        Assert.That(m.Variables.All(v => v.Phrasings.Count >= 2));
    }

    [Test]
    public void Spec_SamplesWithPerUnitOutcomeDistributionsUnderBothArms()
    {
        using var lm = Fixtures.Fake();
        var session = new LanguageModelSession(lm);
        var m = SpecLoader.Load(Paths.Dag("breast_cancer_sdscm.json"), session.Readers).Model;
        var contrast = TreatmentContrast.Resolve(m, null, null);
        Assert.That(contrast.Scale.Description, Is.EqualTo("1[therapy = pembrolizumab]"));
        var job = SampleJobs.Sample(m, 4, 1, new SamplingOptions { OutcomeDistributions = true }, contrast);
        var names = job.Schema.Select(c => c.Name).ToList();
        var block = job.Blocks.Single();
        foreach (var arm in new[] { "low", "high" })
        {
            var columns = names.Where(n => n.EndsWith($"|do(pd_l1={arm}))", StringComparison.Ordinal)).Select(n => names.IndexOf(n)).ToList();
            Assert.That(columns, Has.Count.EqualTo(4));
            for (var i = 0; i < block.Count; i++) Assert.That(columns.Sum(c => block.Columns[c][i]), Is.EqualTo(1.0).Within(1e-9));
        }
    }
}
