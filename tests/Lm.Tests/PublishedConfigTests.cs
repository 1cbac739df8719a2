using HybridSynth.Lm.Mechanisms;
using HybridSynth.Lm.Published;
using HybridSynth.Scm.Errors;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.Lm.Tests;

/// <summary>The published SD-SCM code's config format and its config-seed choices.</summary>
public class PublishedConfigTests
{
    private static string Config => Path.Combine(Paths.RepoRoot, "benchmarks/dags/breast_cancer_published_config.json");

    [Test]
    public void NumpyLegacyRandInt_MatchesNumpy()
    {
        // np.random.seed(s); [np.random.randint(low=0, high=k, size=1)[0] for k in ks], recorded with numpy 1.24.2.
        int[] ks = { 3, 2, 2, 2, 5, 1, 4, 7, 2, 3 };
        var expected = new Dictionary<uint, int[]>
        {
            [0] = new[] { 0, 1, 1, 0, 3, 0, 3, 3, 1, 1 },
            [1] = new[] { 1, 1, 0, 0, 1, 0, 3, 5, 1, 0 },
            [42] = new[] { 2, 1, 0, 0, 2, 0, 3, 4, 0, 2 },
            [123456789] = new[] { 0, 0, 0, 1, 2, 0, 1, 4, 1, 2 },
        };
        foreach (var (seed, values) in expected)
        {
            var rng = new NumpyLegacyRandom(seed);
            Assert.That(ks.Select(rng.RandInt), Is.EqualTo(values), $"seed {seed}");
        }
    }

    [TestCase(0ul, new[] { 0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1 })]
    [TestCase(3ul, new[] { 2, 0, 1, 1, 0, 0, 0, 1, 1, 1, 0, 1, 1, 1 })]
    [TestCase(2024ul, new[] { 0, 0, 0, 0, 1, 0, 0, 1, 1, 1, 1, 0, 1, 0 })]
    public void ConfigSeed_PicksThePairsThePublishedCodePicks(ulong seed, int[] expected)
    {
        // The published sample_setup_dict on this config, recorded with numpy 1.24.2.
        using var lm = Fixtures.Fake();
        var session = new LanguageModelSession(lm);
        var loaded = SpecLoader.Load(Config, session.Readers, PublishedSdScmConfig.Translator(seed));
        Assert.That(loaded.Format, Is.EqualTo("json-translated"));
        var m = loaded.Model;
        Assert.That(m.Count, Is.EqualTo(14));
        var spec = Newtonsoft.Json.Linq.JObject.Parse(File.ReadAllText(Config));
        var space = (Newtonsoft.Json.Linq.JArray)spec["setup_sequence_sample_space"]!;
        for (var i = 0; i < m.Count; i++)
        {
            var pair = space[i]["possible_prefix_suffix_pairs"]![expected[i]]!;
            var phrasing = session.PhrasingOf(m[i]);
            Assert.That((phrasing.Prefix, phrasing.Suffix), Is.EqualTo(((string)pair[0]!, (string)pair[1]!)), m[i].Name);
            Assert.That(m.Mechanisms[i], Is.InstanceOf<LanguageModelMechanism>());
            Assert.That(((LanguageModelMechanism)m.Mechanisms[i]).Scoring, Is.EqualTo(ScoringMode.Reference));
        }
        Assert.That(m[m.TreatmentIndex!.Value].Name, Is.EqualTo("pd_l1"));
        Assert.That(m[m.OutcomeIndex!.Value].Name, Is.EqualTo("therapy"));
    }

    [Test]
    public void PublishedPrompt_IsSpaceJoinedSentences_ThenASpaceAndThePrefix()
    {
        using var lm = Fixtures.Fake();
        var session = new LanguageModelSession(lm);
        var m = SpecLoader.Load(Config, session.Readers, PublishedSdScmConfig.Translator(3)).Model;
        var med = (LanguageModelMechanism)m.Mechanisms[m.IndexOf("medication")];
        var age = session.PhrasingOf(m[m.IndexOf("age")]);
        var cond = session.PhrasingOf(m[m.IndexOf("medical_condition")]);
        var own = session.PhrasingOf(m[m.IndexOf("medication")]);
        // context = '' + ' ' + text(age) + ' ' + text(condition); full_prefix = context + ' ' + prefix.
        Assert.That(med.Prompt(new double[] { 2, 1 }), Is.EqualTo($" {age.Prefix}45{age.Suffix} {cond.Prefix}type 2 diabetes mellitus{cond.Suffix} {own.Prefix}"));
        Assert.That(med.Candidates, Is.EqualTo(m[m.IndexOf("medication")].Categorical.States));
    }

    [Test]
    public void FixedAndUniformChoices_BecomeTables_AndErrorsAreLocated()
    {
        var dir = Paths.TempDir();
        var path = Path.Combine(dir, "c.json");
        File.WriteAllText(path, """
        {"setup_sequence_sample_space": [
          {"variable_name": "X", "candidate_set": ["a", "b"], "parent_indices": null, "exogenous": true, "intervention_choice": "uniform", "possible_prefix_suffix_pairs": [["X is ", "."]]},
          {"variable_name": "Y", "candidate_set": ["c", "d", "e"], "parent_indices": [0], "exogenous": false, "intervention_choice": 2, "possible_prefix_suffix_pairs": [["Y is ", "."]]}
        ]}
        """);
        var m = SpecLoader.Load(path, null, PublishedSdScmConfig.Translator(1)).Model;
        var p = new double[2];
        ((Scm.Mechanisms.ICategoricalMechanism)m.Mechanisms[0]).Probabilities(ReadOnlySpan<double>.Empty, p);
        Assert.That(p, Is.EqualTo(new[] { 0.5, 0.5 }));
        var q = new double[3];
        ((Scm.Mechanisms.ICategoricalMechanism)m.Mechanisms[1]).Probabilities(ReadOnlySpan<double>.Empty, q);
        Assert.That(q, Is.EqualTo(new[] { 0.0, 0.0, 1.0 }));
        File.WriteAllText(path, """
        {"setup_sequence_sample_space": [
          {"variable_name": "X", "candidate_set": ["a", "b"], "parent_indices": [1], "exogenous": true, "intervention_choice": null, "possible_prefix_suffix_pairs": [["X is ", "."]]}
        ]}
        """);
        var e = Assert.Throws<SpecException>(() => SpecLoader.Load(path, null, PublishedSdScmConfig.Translator(1)))!;
        Assert.That(e.ToOneLine(), Does.StartWith($"{path}:2:").And.Contain("parent index"));
    }
}
