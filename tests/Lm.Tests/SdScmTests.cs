using HybridSynth.Lm.Mechanisms;
using HybridSynth.Lm.Scoring;
using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.Interventions;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Sampling;
using HybridSynth.Scm.Tables;
using HybridSynth.Verifier.Audit;
using NUnit.Framework;

namespace HybridSynth.Lm.Tests;

/// <summary>SD-SCMs on the managed fake model (no native code): a sparse DAG A, C, F roots; A → B; B, C → D; D → E. States are single characters (one byte token each), so the random model does not favour short candidates by length alone.</summary>
public class SdScmTests
{
    public const string Spec = """
    {
      "name": "sparse_sdscm",
      "variables": [
        { "name": "A", "states": ["r", "g", "b"], "phrasings": [{ "prefix": "Colour: ", "suffix": ". " }, { "prefix": "It is ", "suffix": ". " }, { "prefix": "The paint is ", "suffix": "! " }], "mechanism": { "type": "language_model" } },
        { "name": "B", "states": ["y", "n"], "role": "treatment", "parents": ["A"], "phrasings": [{ "prefix": "Treated: ", "suffix": ". " }, { "prefix": "Given the drug? ", "suffix": ". " }], "mechanism": { "type": "language_model" } },
        { "name": "C", "states": ["1", "2", "3"], "phrasings": [{ "prefix": "Grade ", "suffix": ". " }, { "prefix": "Level ", "suffix": "; " }], "mechanism": { "type": "language_model" } },
        { "name": "D", "states": ["l", "h"], "role": "outcome", "parents": ["B", "C"], "phrasings": [{ "prefix": "Response ", "suffix": ". " }, { "prefix": "Outcome was ", "suffix": ". " }], "mechanism": { "type": "language_model" } },
        { "name": "E", "states": ["u", "d"], "parents": ["D"], "phrasings": [{ "prefix": "Trend ", "suffix": ". " }, { "prefix": "It went ", "suffix": ". " }], "mechanism": { "type": "language_model", "scoring": "reference" } },
        { "name": "F", "states": ["0", "1"], "phrasings": [{ "prefix": "Switch ", "suffix": ". " }, { "prefix": "Power ", "suffix": ". " }], "mechanism": { "type": "language_model", "temperature": 2.0 } }
      ]
    }
    """;

    private static (CausalModel Model, LanguageModelSession Session) Load(ILanguageModel lm, SdScmOptions? options = null)
    {
        var session = new LanguageModelSession(lm, options);
        return (JsonSpecReader.Read(Spec, "sparse.json", session.Readers), session);
    }

    [TestCase("A")]
    [TestCase("B")]
    [TestCase("D")]
    [TestCase("E")]
    [TestCase("F")]
    public void LanguageModelMechanisms_KeepTheMechanismContract(string variable)
    {
        // The causal core's mechanism contract (Scm.Tests/Support/MechanismContract), on the fake model: roots, a child,
        // two parents, reference scoring and a temperature; the batch path (prefetching distinct prompts) equals the row path.
        using var lm = Fixtures.Fake();
        var (m, _) = Load(lm);
        var mechanism = m.Mechanisms[m.IndexOf(variable)];
        Assert.That(mechanism, Is.InstanceOf<LanguageModelMechanism>());
        HybridSynth.Scm.Tests.Support.MechanismContract.Check(mechanism, mechanism.Parents.Select(p => m[p].Cardinality).ToArray(), units: 24);
    }

    [Test]
    public void Prompt_IsTheParentOnlyConcatenation_InTopologicalOrder()
    {
        using var lm = Fixtures.Fake();
        var (m, s) = Load(lm);
        var d = (LanguageModelMechanism)m.Mechanisms[m.IndexOf("D")];
        Assert.That(d.Parents.Select(p => m[p].Name), Is.EqualTo(new[] { "B", "C" }));
        var b = s.PhrasingOf(m[m.IndexOf("B")]);
        var c = s.PhrasingOf(m[m.IndexOf("C")]);
        var own = s.PhrasingOf(m[m.IndexOf("D")]);
        Assert.That(d.Prompt(new double[] { 0, 1 }), Is.EqualTo(b.Prefix + "y" + b.Suffix + c.Prefix + "2" + c.Suffix + own.Prefix));
        Assert.That(d.Prompt(new double[] { 0, 1 }), Does.Not.Contain("Colour").And.Not.Contain("paint").And.Not.Contain("It is"));
        var p = new double[2];
        d.Probabilities(new double[] { 1, 2 }, p);
        Assert.That(p.Sum(), Is.EqualTo(1.0).Within(1e-12));
        Assert.That(p.All(x => x > 0));
    }

    [Test]
    public void Probabilities_AreTheNormalisedChainRuleScores()
    {
        using var lm = Fixtures.Fake();
        var (m, s) = Load(lm);
        var d = (LanguageModelMechanism)m.Mechanisms[m.IndexOf("D")];
        var prompt = d.Prompt(new double[] { 1, 0 });
        var expected = CandidateScorer.Normalise(lm.Score(prompt, new[] { "l", "h" }, ScoringMode.ChainRule));
        var p = new double[2];
        d.Probabilities(new double[] { 1, 0 }, p);
        Assert.That(p, Is.EqualTo(expected).Within(1e-6));
        var e = (LanguageModelMechanism)m.Mechanisms[m.IndexOf("E")];
        Assert.That(e.Scoring, Is.EqualTo(ScoringMode.Reference));
        Assert.That(((LanguageModelMechanism)m.Mechanisms[m.IndexOf("F")]).Temperature, Is.EqualTo(2.0));
    }

    [Test]
    public void NullCounterfactual_ReproducesTheFactualRow_AndMatchingDoToo()
    {
        using var lm = Fixtures.Fake();
        var (m, _) = Load(lm);
        const int n = 400;
        var factual = new AncestralSampler(m, 11).SampleRange(0, n);
        var replay = new AncestralSampler(m.Intervene(), 11).SampleRange(0, n);
        for (var v = 0; v < m.Count; v++) Assert.That(replay.Columns[v], Is.EqualTo(factual.Columns[v]));
        var b = m.IndexOf("B");
        for (var i = 0; i < n; i += 37)
        {
            var cf = new AncestralSampler(m.Intervene(new HardIntervention(b, factual.Columns[b][i])), 11).SampleRange(i, 1);
            for (var v = 0; v < m.Count; v++) Assert.That(cf.Columns[v][0], Is.EqualTo(factual.Columns[v][i]), m[v].Name);
        }
        // Under do(B = yes) only B's descendants can change.
        var yes = new AncestralSampler(m.Intervene(new HardIntervention(b, 0)), 11).SampleRange(0, n);
        foreach (var v in new[] { "A", "C", "F" }) Assert.That(yes.Columns[m.IndexOf(v)], Is.EqualTo(factual.Columns[m.IndexOf(v)]));
    }

    [Test]
    public void Memoisation_ScoresEachDistinctPromptOnce()
    {
        using var lm = Fixtures.Fake();
        var (m, s) = Load(lm);
        new AncestralSampler(m, 3).SampleRange(0, 500);
        // Parent configurations: A 1, B 3, C 1, D 2×3, E 2, F 1 = 14 at most.
        Assert.That(s.DistinctPrompts, Is.LessThanOrEqualTo(14));
        Assert.That(s.Calls, Is.EqualTo(6 * 500));
        Assert.That(s.CacheHits, Is.EqualTo(s.Calls - s.DistinctPrompts));
        var tokens = lm.Statistics.TokensDecoded;
        new AncestralSampler(m, 4).SampleRange(0, 500);
        Assert.That(lm.Statistics.TokensDecoded - tokens, Is.LessThan(200), "a second dataset over the same prompts costs (almost) no decoding");
    }

    [Test]
    public void ExactGroundTruth_TabulatesTheLmCpts_AndMatchesTheSample()
    {
        using var lm = Fixtures.Fake();
        var (m, _) = Load(lm);
        var d = m.IndexOf("D");
        var exact = new VariableElimination(m).Query(d);
        const int n = 20_000;
        var sample = new AncestralSampler(m, 5).SampleRange(0, n).Columns[d];
        var high = sample.Count(x => x == 1) / (double)n;
        Assert.That(Math.Abs(high - exact[1]), Is.LessThan(4 * Math.Sqrt(exact[1] * exact[0] / n) + 1e-9));
        var contrast = TreatmentContrast.Resolve(m, null, null);
        var ate = ExactEffects.AverageTreatmentEffect(m, contrast);
        var mc = MonteCarloEffects.AverageTreatmentEffect(m, contrast, 20_000, 6);
        Assert.That(Math.Abs(mc.Effect - ate.Effect), Is.LessThan(4 * mc.StandardError + 1e-9));
    }

    [Test]
    public void TabulationLimit_SendsLargeConfigurationsToMonteCarlo()
    {
        using var lm = Fixtures.Fake();
        var (m, _) = Load(lm, new SdScmOptions { MaxTabulatedConfigurations = 2 });
        var ve = new VariableElimination(m);
        Assert.That(ve.IsFeasible(new[] { m.IndexOf("D") }, Array.Empty<int>(), out var reason), Is.False);
        Assert.That(reason, Does.Contain("language_model mechanism of").And.Contain("Monte Carlo"));
        Assert.Throws<ModelException>(() => ve.Query(m.IndexOf("D")));
    }

    [Test]
    public void ConfigurationSeed_PicksOnePhrasingPerVariable()
    {
        using var lm = Fixtures.Fake();
        var choices = new List<string>();
        foreach (var seed in new ulong[] { 1, 2, 3, 4 })
        {
            var (_, s) = Load(lm, new SdScmOptions { ConfigurationSeed = seed });
            Assert.That(s.PhrasingChoices.Keys.OrderBy(k => k), Is.EqualTo(new[] { "A", "B", "C", "D", "E", "F" }));
            choices.Add(string.Join(",", s.PhrasingChoices.OrderBy(k => k.Key).Select(k => k.Value)));
        }
        Assert.That(choices.Distinct().Count(), Is.GreaterThan(1));
        var (_, again) = Load(lm, new SdScmOptions { ConfigurationSeed = 1 });
        Assert.That(string.Join(",", again.PhrasingChoices.OrderBy(k => k.Key).Select(k => k.Value)), Is.EqualTo(choices[0]));
    }

    [Test]
    public void SdScmData_KeepTheDagsIndependences()
    {
        // The audit on data from the sparse SD-SCM: the false-positive rate over 8 datasets is near α.
        using var lm = Fixtures.Fake();
        var (m, _) = Load(lm);
        long rejected = 0, tested = 0, detected = 0, edges = 0;
        for (ulong seed = 0; seed < 8; seed++)
        {
            var chunk = new AncestralSampler(m, 100 + seed).SampleRange(0, 3000);
            var report = IndependenceAudit.Run(m, DataTable.FromColumns(m.Variables, chunk.Columns), new AuditOptions());
            rejected += report.FalsePositiveRate.Successes;
            tested += report.FalsePositiveRate.Trials;
            detected += report.EdgeDetectionRate.Successes;
            edges += report.EdgeDetectionRate.Trials;
        }
        Assert.That(tested, Is.GreaterThanOrEqualTo(80));
        // ±4 binomial standard errors around α = 0.05 for ≈100 statements.
        Assert.That(rejected / (double)tested, Is.InRange(0.0, 0.05 + 4 * Math.Sqrt(0.05 * 0.95 / tested)));
        // And the data do carry the edges' dependences (the random model's effects are weak, so not all are found).
        Assert.That(detected / (double)edges, Is.GreaterThan(0.5), $"edges detected {detected}/{edges}");
    }

    [Test]
    public void ReferenceMode_BuildsThePublishedPrompt_AndNeverScoresTheSuffix()
    {
        using var lm = Fixtures.Fake();
        var (m, s) = Load(lm);
        var e = (LanguageModelMechanism)m.Mechanisms[m.IndexOf("E")];
        var d = s.PhrasingOf(m[m.IndexOf("D")]);
        var own = s.PhrasingOf(m[m.IndexOf("E")]);
        // Each parent's rendered sentence preceded by one space, then a space and the prefix.
        Assert.That(e.Prompt(new double[] { 1 }), Is.EqualTo(" " + d.Prefix + "h" + d.Suffix + " " + own.Prefix));
        Assert.That(e.ScoreSuffix, Is.False);
        Assert.That(e.Candidates, Is.EqualTo(new[] { "u", "d" }));
        var p = new double[2];
        e.Probabilities(new double[] { 1 }, p);
        Assert.That(p, Is.EqualTo(CandidateScorer.Normalise(lm.Score(e.Prompt(new double[] { 1 }), new[] { "u", "d" }, ScoringMode.Reference))).Within(1e-15));
    }

    [Test]
    public void ReferenceMode_OrdersParentsByVariableIndex()
    {
        const string spec = """
        {
          "variables": [
            { "name": "Z", "states": ["a", "b"], "parents": ["X"], "phrasing": { "prefix": "Z=", "suffix": "." }, "mechanism": { "type": "language_model", "scoring": "reference" } },
            { "name": "X", "states": ["p", "q"], "phrasing": { "prefix": "X=", "suffix": "." }, "mechanism": { "type": "language_model" } },
            { "name": "Y", "states": ["c", "d"], "parents": ["Z", "X"], "phrasing": { "prefix": "Y=", "suffix": "." }, "mechanism": { "type": "language_model", "scoring": "reference" } }
          ]
        }
        """;
        using var lm = Fixtures.Fake();
        var session = new LanguageModelSession(lm);
        var m = JsonSpecReader.Read(spec, "order.json", session.Readers);
        var y = (LanguageModelMechanism)m.Mechanisms[m.IndexOf("Y")];
        // Topological order is X, Z; ascending variable order is Z (0), X (1): the published prompt lists Z first.
        Assert.That(y.Parents.Select(p => m[p].Name), Is.EqualTo(new[] { "X", "Z" }));
        Assert.That(y.Prompt(new double[] { 1, 0 }), Is.EqualTo(" Z=a. X=q. Y="));
    }

    [Test]
    public void DepthFirstSampling_GivesTheColumnWiseValues_WithFewerDecodes()
    {
        using var lm = Fixtures.Fake();
        var (m, _) = Load(lm);
        var sampler = new AncestralSampler(m, 9);
        Assert.That(sampler.DepthFirst, Is.True);
        var chunk = sampler.SampleRange(0, 300);
        // Row by row through Evaluate: the definition of the values.
        for (var i = 0; i < 300; i += 7)
        {
            var values = new double[m.Count];
            foreach (var v in m.Graph.TopologicalOrder)
            {
                var mech = m.Mechanisms[v];
                values[v] = mech.Evaluate(mech.Parents.Select(p => values[p]).ToArray(), new[] { Scm.Randomness.CounterNoise.Uniform(Scm.Randomness.CounterNoise.Key(9, Scm.Randomness.NoiseStreams.Exogenous, m[v].Name, 0), i) });
                Assert.That(chunk.Columns[v][i], Is.EqualTo(values[v]), $"{m[v].Name} of unit {i}");
            }
        }
    }
}
