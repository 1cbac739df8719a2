using HybridSynth.Realizer.Questions;
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.Interventions;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Mechanisms;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Sampling;
using HybridSynth.Scm.Tests.Support;
using HybridSynth.Scm.Variables;
using HybridSynth.Verifier.Extraction;
using NUnit.Framework;

namespace HybridSynth.Realizer.Tests;

/// <summary>The answers of <c>questions</c> against computations that share no code with them: enumeration of the joint, and the sampler itself.</summary>
public class CausalQuestionsTests
{
    private static CausalModel Asia => JsonSpecReader.ReadFile(Paths.Dag("asia.json"));

    /// <summary>P(Y = y | X = x) or, with <paramref name="intervene"/>, P(Y = y | do(X = x)) by summing the factorised joint over all 2⁸ worlds.</summary>
    private static double Enumerate(CausalModel m, int y, int yv, int x, int xv, bool intervene)
    {
        double numerator = 0, denominator = 0;
        var worlds = 1 << m.Count;
        var values = new double[m.Count];
        for (var w = 0; w < worlds; w++)
        {
            for (var v = 0; v < m.Count; v++) values[v] = (w >> v) & 1;
            if ((int)values[x] != xv) continue;
            var p = 1.0;
            for (var v = 0; v < m.Count; v++)
            {
                if (intervene && v == x) continue;
                var mech = (ICategoricalMechanism)m.Mechanisms[v];
                var probs = new double[2];
                mech.Probabilities(mech.Parents.Select(q => values[q]).ToArray(), probs);
                p *= probs[(int)values[v]];
            }
            denominator += p;
            if ((int)values[y] == yv) numerator += p;
        }
        return numerator / denominator;
    }

    [Test]
    public void RungsOneAndTwo_MatchEnumerationOfTheJoint()
    {
        var m = Asia;
        var questions = new CausalQuestions(new TextLexicon(m)).Generate(160, 3);
        var checkedCount = 0;
        foreach (var q in questions.Where(q => q.Rung < 3))
        {
            var parts = q.Estimand.Replace("P(", "").Split(new[] { " | do(", " | ", "))", ")" }, StringSplitOptions.RemoveEmptyEntries);
            int Var(string s) => m.IndexOf(s.Split('=')[0].Trim());
            int State(string s) => m[Var(s)].Categorical.States.ToList().IndexOf(s.Split('=')[1].Trim().Split(' ')[0]);
            var intervene = q.Estimand.Contains("do(");
            var y = parts[0];
            var x1 = parts[1];
            var p1 = Enumerate(m, Var(y), State(y), Var(x1), State(x1), intervene);
            switch (q.Kind)
            {
                case "conditional" or "do": Assert.That(q.Answer, Is.EqualTo(p1).Within(1e-12), q.Estimand); break;
                default:
                {
                    var x0 = parts.Last(p => p.Contains('=') && !p.StartsWith(y, StringComparison.Ordinal) && p != x1);
                    var p0 = Enumerate(m, Var(y), State(y), Var(x0), State(x0), intervene);
                    if (q.Kind == "ate") Assert.That(q.Answer, Is.EqualTo(p1 - p0).Within(1e-12), q.Estimand);
                    else Assert.That(q.Answer, Is.EqualTo(p1 > p0 + 1e-12 ? 1 : 0), q.Estimand);
                    break;
                }
            }
            checkedCount++;
        }
        Assert.That(checkedCount, Is.EqualTo(100));
    }

    /// <summary>Rung 3 against the sampler: the factual and the do() world drawn with one seed share their noise, so the fraction of
    /// units with X = x', Y = y' whose do() outcome is y estimates P(Y_x = y | x', y'); each exact answer lies within 4.5 binomial SE.</summary>
    [Test]
    public void Counterfactuals_MatchTheSamplersOwnCounterfactuals()
    {
        var m = Asia;
        const int n = 400_000;
        var factual = new AncestralSampler(m, 17).SampleRange(0, n);
        var questions = new CausalQuestions(new TextLexicon(m)).Generate(240, 5).Where(q => q.Rung == 3 && q.Kind != "counterfactual-yes-no").ToList();
        var compared = 0;
        foreach (var q in questions)
        {
            var x = m.IndexOf(q.Treatment);
            var y = m.IndexOf(q.Outcome);
            var inner = q.Estimand[(q.Estimand.IndexOf("_{", StringComparison.Ordinal) + 2)..];
            var x1 = St(m, x, inner[(inner.IndexOf('=') + 1)..inner.IndexOf('}')]);
            var yv = St(m, y, inner[(inner.IndexOf("}=", StringComparison.Ordinal) + 2)..inner.IndexOf(' ')]);
            var given = inner[(inner.IndexOf("| ", StringComparison.Ordinal) + 2)..].TrimEnd(')').Split(", ").Select(g => (m.IndexOf(g.Split('=')[0]), St(m, m.IndexOf(g.Split('=')[0]), g.Split('=')[1]))).ToList();
            var world = new AncestralSampler(m.Intervene(new HardIntervention(x, x1)), 17).SampleRange(0, n);
            int kept = 0, hit = 0;
            for (var i = 0; i < n; i++)
            {
                if (given.Any(g => (int)factual.Columns[g.Item1][i] != g.Item2)) continue;
                kept++;
                if ((int)world.Columns[y][i] == yv) hit++;
            }
            if (kept < 2000) continue;
            var se = Math.Sqrt(Math.Max(q.Answer * (1 - q.Answer), 1.0 / kept) / kept);
            Assert.That(hit / (double)kept, Is.EqualTo(q.Answer).Within(4.5 * se + 1e-12), $"{q.Estimand}: {hit}/{kept}");
            compared++;
        }
        Assert.That(compared, Is.GreaterThanOrEqualTo(20));
    }

    private static int St(CausalModel m, int v, string state) => m[v].Categorical.States.ToList().IndexOf(state);

    [Test]
    public void TwinNetwork_MatchesTheClosedFormOfTwoBinaryVariables()
    {
        // X → Y, both {0, 1}; Y = 0 iff U < P(Y=0 | X). With q_x = P(Y=0 | X=x): P(Y_1 = 1 | X=0, Y=0) = max(0, q_0 − q_1) / q_0.
        var vars = new[] { new Variable("X", new CategoricalDomain(["0", "1"])), new Variable("Y", new CategoricalDomain(["0", "1"])) };
        var mechs = new IMechanism[] { new CptMechanism([], [], 2, [0.3, 0.7]), new CptMechanism([0], [2], 2, [0.8, 0.2, 0.35, 0.65]) };
        var m = new CausalModel("two", vars, mechs);
        var p = ExactCounterfactuals.Query(m, 1, 0, 1, new Dictionary<int, int> { [0] = 0, [1] = 0 });
        Assert.That(p[1], Is.EqualTo((0.8 - 0.35) / 0.8).Within(1e-15));
        var q = ExactCounterfactuals.Query(m, 1, 0, 1, new Dictionary<int, int> { [0] = 0, [1] = 1 });
        Assert.That(q[1], Is.EqualTo(1.0).Within(1e-15)); // Y was 1 with the larger threshold, so it stays 1
        var ett = ExactCounterfactuals.Query(m, 1, 0, 1, new Dictionary<int, int> { [0] = 0 });
        Assert.That(ett[1], Is.EqualTo(0.65).Within(1e-15)); // no confounding: ETT = P(Y=1 | do(X=1))
    }

    [Test]
    public void YesNoAnswersAreBalanced_AndTheSetIsReproducible()
    {
        var g = new CausalQuestions(new TextLexicon(Asia));
        var a = g.Generate(96, 9);
        var yesNo = a.Where(q => q.Form == "yes-no").ToList();
        Assert.That(yesNo.Count(q => q.Answer == 1), Is.EqualTo(yesNo.Count / 2));
        Assert.That(a.Select(q => q.ToJson().ToString()), Is.EqualTo(g.Generate(96, 9).Select(q => q.ToJson().ToString())));
        Assert.That(a.Select(q => q.Question), Is.Not.EqualTo(g.Generate(96, 10).Select(q => q.Question)));
        Assert.That(a.Select(q => q.Rung).Distinct().Order(), Is.EqualTo(new[] { 1, 2, 3 }));
    }
}
