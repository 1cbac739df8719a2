using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Formulas;
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Mechanisms;
using HybridSynth.Scm.Sampling;
using HybridSynth.Scm.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.Scm.Tests.Formulas;

public class FormulaTests
{
    private static double Eval(string text, params (string Name, double Value)[] vars)
    {
        var node = FormulaParser.Parse(text, name =>
        {
            var i = Array.FindIndex(vars, v => v.Name == name);
            return i < 0 ? null : new ParentNode(i);
        });
        var scope = new FormulaScope(vars.Length, 1, 0);
        for (var i = 0; i < vars.Length; i++) scope.Parents[i] = vars[i].Value;
        scope.Noise[0] = 0.975;
        var tree = node.Evaluate(scope);
        // The compiled (postfix, non-recursive) program gives the very same value.
        Assert.That(FormulaProgram.Compile(node).Evaluate(scope), Is.EqualTo(tree));
        return tree;
    }

    [TestCase("2 + 3 * 4 ^ 2", 50)]
    [TestCase("-2 ^ 2", -4)]
    [TestCase("2 ^ 3 ^ 2", 512)]
    [TestCase("(1 + 2) * 3 - 4 / 8", 8.5)]
    [TestCase("1.5e2 + .5", 150.5)]
    [TestCase("max(1, min(5, 3)) + abs(-2)", 5)]
    [TestCase("x > 1", 1)]
    [TestCase("x <= 1", 0)]
    [TestCase("expit(0) + log(e) + cos(0) + pow(2, 3)", 10.5)]
    [TestCase("Z", 1.959963984540054)]
    [TestCase("U1", 0.975)]
    public void Evaluates(string text, double expected) => Assert.That(Eval(text, ("x", 2)), Is.EqualTo(expected).Within(1e-12));

    [TestCase("2 +", 3, "ends where a value was expected")]
    [TestCase("foo(1)", 0, "unknown function 'foo'")]
    [TestCase("y + 1", 0, "unknown name 'y'")]
    [TestCase("(1 + 2", 6, "expected ')'")]
    [TestCase("1 $ 2", 2, "unexpected '$'")]
    [TestCase("max(1)", 0, "max takes 2 argument(s)")]
    public void SyntaxErrors_HaveTheirOffset(string text, int offset, string message)
    {
        var e = Assert.Throws<FormulaSyntaxException>(() => Eval(text, ("x", 1)))!;
        Assert.That(e.Offset, Is.EqualTo(offset));
        Assert.That(e.Message, Does.Contain(message));
    }

    private const string Spec = """
    {"variables": [
      {"name": "X", "type": "continuous", "mechanism": {"type": "linear_gaussian", "sd": 1}},
      {"name": "B", "states": ["no", "yes"], "parents": ["X"], "mechanism": {"type": "formula", "logit": "-1 + 2 * X"}},
      {"name": "Y", "type": "continuous", "parents": ["X", "B"], "mechanism": {"type": "formula", "let": {"m": "1 + X^2"}, "value": "m + 3 * B + 0.5 * Z"}}
    ]}
    """;

    [Test]
    public void FormulaMechanisms_SampleTheirLaws()
    {
        var m = JsonSpecReader.Read(Spec, "f.json");
        Assert.That(m.Mechanisms[m.IndexOf("Y")].NoiseDimension, Is.EqualTo(1));
        const int n = 200_000;
        var c = new AncestralSampler(m, 3).SampleRange(0, n);
        var x = c.Columns[0];
        var b = c.Columns[1];
        var y = c.Columns[2];
        // E[Y] = 1 + E[X²] + 3 P(B = yes) with P(B = yes) = E[expit(−1 + 2X)]; check the residual law instead: Y − (1 + X² + 3B) ~ N(0, 0.25).
        var r = Enumerable.Range(0, n).Select(i => y[i] - (1 + x[i] * x[i] + 3 * b[i])).ToArray();
        Assert.That(Math.Abs(r.Average()), Is.LessThan(5 * 0.5 / Math.Sqrt(n)));
        Assert.That(Math.Abs(r.Select(v => v * v).Average() - 0.25), Is.LessThan(5 * 0.25 * Math.Sqrt(2.0 / n)));
        // B given X: among X in (0.4, 0.6) the share of yes is ≈ expit(−1 + 2·0.5) = 0.5.
        var band = Enumerable.Range(0, n).Where(i => x[i] > 0.45 && x[i] < 0.55).ToArray();
        var share = band.Count(i => b[i] == 1) / (double)band.Length;
        Assert.That(Math.Abs(share - 0.5), Is.LessThan(5 * 0.5 / Math.Sqrt(band.Length) + 0.02));
    }

    [Test]
    public void FormulaErrorsInASpec_PointIntoTheFormula()
    {
        const string bad = "{\"variables\": [\n {\"name\": \"X\", \"type\": \"continuous\", \"mechanism\": {\"type\": \"formula\", \"value\": \"1 + W\"}}\n]}";
        var e = Assert.Throws<SpecException>(() => JsonSpecReader.Read(bad, "f.json"))!;
        Assert.That(e.ToOneLine(), Is.EqualTo("f.json:2:85: in the formula of 'X': unknown name 'W' (not a parent, a let-binding, a noise symbol U/Z or a constant)"));
    }

    [Test]
    public void ProbabilityFormulas_AreTabulatedByExactInference()
    {
        var m = SpecLoader.Load(Paths.Dag("xu_dgp.json")).Model;
        // W3 ~ Bern(0.3 + 0.35 (W1 + W2)/2) with W1, W2 ~ Bern(1/2): P(W3 = 1) = 0.3 + 0.35 · 0.5 = 0.475.
        Assert.That(new VariableElimination(m).Query(m.IndexOf("W3"))[1], Is.EqualTo(0.475).Within(1e-12));
        Assert.That(m.Mechanisms[m.IndexOf("W3")], Is.InstanceOf<FormulaMechanism>());
    }

    [Test]
    public void XuDgp_TrueAte_ByQuadrature_IsAbout0418_AndAgreesWithMonteCarlo()
    {
        var m = SpecLoader.Load(Paths.Dag("xu_dgp.json")).Model;
        var c = TreatmentContrast.Resolve(m, null, null);
        var q24 = new QuadratureEffects(24).AverageTreatmentEffect(m, c);
        var q40 = new QuadratureEffects(40).AverageTreatmentEffect(m, c);
        Assert.That(q24.Effect, Is.EqualTo(q40.Effect).Within(1e-6), "converged in the number of nodes");
        Assert.That(q24.Effect, Is.EqualTo(0.418).Within(0.001));
        var mc = MonteCarloEffects.AverageTreatmentEffect(m, c, 400_000, 9, threads: 2);
        Assert.That(Math.Abs(mc.Effect - q24.Effect), Is.LessThan(4 * mc.StandardError));
        // The randomised design has the same ATE (the treatment mechanism does not enter E[Y | do(A)]).
        var r = SpecLoader.Load(Paths.Dag("xu_dgp_randomised.json")).Model;
        Assert.That(new QuadratureEffects(24).AverageTreatmentEffect(r, TreatmentContrast.Resolve(r, null, null)).Effect, Is.EqualTo(q24.Effect).Within(1e-12));
    }

    [Test]
    public void Quadrature_EqualsVariableElimination_OnDiscreteModels()
    {
        foreach (var spec in new[] { "confounder.json", "mediator.json" })
        {
            var m = SpecLoader.Load(Paths.Dag(spec)).Model;
            var c = TreatmentContrast.Resolve(m, null, null);
            Assert.That(new QuadratureEffects().AverageTreatmentEffect(m, c).Effect, Is.EqualTo(ExactEffects.AverageTreatmentEffect(m, c).Effect).Within(1e-12));
        }
    }

    /// <summary>W := Z; X := the formula over W (continuous, or binary with a probability formula).</summary>
    private static string OneFormula(string value, string type = "continuous", string key = "value")
    {
        var x = type == "continuous"
            ? "{\"name\": \"X\", \"type\": \"continuous\", "
            : "{\"name\": \"X\", \"states\": [\"0\", \"1\"], ";
        return "{\"variables\": [\n"
            + "  {\"name\": \"W\", \"type\": \"continuous\", \"mechanism\": {\"type\": \"formula\", \"value\": \"Z\"}},\n  "
            + x + "\"parents\": [\"W\"], \"mechanism\": {\"type\": \"formula\", \"" + key + "\": \"" + value + "\"}}\n]}";
    }

    [TestCase("W / 0")]
    [TestCase("log(-1 - W * W)")]
    [TestCase("exp(1000 + W * 0)")]
    public void NonFiniteValues_AreErrorsNamingTheVariableAndTheUnit(string formula)
    {
        var m = JsonSpecReader.Read(OneFormula(formula), "f.json");
        var e = Assert.Catch<ModelException>(() => new AncestralSampler(m, 1).SampleRange(40, 100))!;
        Assert.That(e.Message, Does.StartWith("'X' of unit 40:").And.Contain(formula));
    }

    [Test]
    public void ProbabilitiesOutsideTheUnitInterval_OrNaN_AreErrors_NotClamped()
    {
        foreach (var (formula, what) in new[] { ("1.5 + W * 0", "must be in [0, 1]"), ("sqrt(-1) + W", "NaN") })
        {
            var m = JsonSpecReader.Read(OneFormula(formula, "categorical", "probability"), "p.json");
            var e = Assert.Catch<ModelException>(() => new AncestralSampler(m, 1).SampleRange(0, 10))!;
            Assert.That(e.Message, Does.Contain("'X' of unit 0:").And.Contain(what));
        }
        // Rounding just outside [0, 1] is clamped.
        var ok = JsonSpecReader.Read(OneFormula("1 + 1e-12 + W * 0", "categorical", "probability"), "q.json");
        Assert.That(new AncestralSampler(ok, 1).SampleRange(0, 10).Columns[1], Is.All.EqualTo(1.0));
    }

    [Test]
    public void DeepNesting_IsALocatedError_AndAHugeFlatSumEvaluates()
    {
        var deep = new string('(', 10_000) + "1" + new string(')', 10_000);
        var e = Assert.Throws<FormulaSyntaxException>(() => FormulaParser.Parse(deep, _ => null))!;
        Assert.That(e.Message, Does.Contain("nests more than"));
        Assert.Throws<FormulaSyntaxException>(() => FormulaParser.Parse(new string('-', 10_000) + "1", _ => null));
        // 100,000 terms: a left-deep tree of that depth, evaluated without recursion.
        var flat = string.Join(" + ", Enumerable.Repeat("1", 100_000));
        var node = FormulaParser.Parse(flat, _ => null);
        Assert.That(FormulaProgram.Compile(node).Evaluate(new FormulaScope(0, 1, 0)), Is.EqualTo(100_000));
        var m = JsonSpecReader.Read(OneFormula(flat + " + W * 0"), "flat.json");
        Assert.That(new AncestralSampler(m, 1).SampleRange(0, 3).Columns[1], Is.All.EqualTo(100_000));
    }

    [Test]
    public void ABatch_GivesEachRowsOwnValue_BitForBit_AndAllocatesNothingPerRow()
    {
        // xu_dgp's outcome (a let-binding with sin, log, abs, ^, exp, tanh and cos, then a logit) and a value formula with
        // every operator, comparison and function, against the one-row path and the formula tree.
        var xu = SpecLoader.Load(Paths.Dag("xu_dgp.json")).Model;
        var everything = JsonSpecReader.Read(OneFormula(
            "W - 2 * W / 3 + W ^ 2 + (W < 0.3) + (W > 0.6) + (W <= 0.4) + (W >= 0.5) + (W == 1) + (W != 0) + sin(W) + cos(W) + tan(W)"
            + " + exp(W) + log(W + 1) + sqrt(W) + abs(-W) + tanh(W) + expit(W) + logit(W / 2 + 0.25) + floor(3 * W) + ceil(3 * W)"
            + " + sign(W - 0.5) + min(W, 0.5) + max(W, 0.5) + pow(W, 1.5) + Z + U1"), "all.json");
        foreach (var (model, v) in new[] { (xu, xu.IndexOf("Y")), (everything, 1) })
        {
            var mech = (FormulaMechanism)model.Mechanisms[v];
            const int rows = 2_000;
            var rng = new Random(5);
            var parents = mech.Parents.Select(_ => Enumerable.Range(0, rows).Select(_ => model == xu ? rng.Next(2) : rng.NextDouble() * 0.99).ToArray()).ToArray();
            var noise = Enumerable.Range(0, mech.NoiseDimension).Select(_ => Enumerable.Range(0, rows).Select(_ => rng.NextDouble()).ToArray()).ToArray();
            var batch = new MechanismBatch(parents, noise, rows, 0);
            var output = new double[rows];
            mech.EvaluateBatch(batch, output); // warm
            var before = GC.GetAllocatedBytesForCurrentThread();
            mech.EvaluateBatch(batch, output);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.That(allocated, Is.LessThan(1_024), $"bytes allocated by a batch of {rows} rows of {model[v].Name}");
            for (var i = 0; i < rows; i++)
            {
                var p = parents.Select(c => c[i]).ToArray();
                var u = noise.Select(c => c[i]).ToArray();
                Assert.That(BitConverter.DoubleToInt64Bits(output[i]), Is.EqualTo(BitConverter.DoubleToInt64Bits(mech.Evaluate(p, u))), $"{model[v].Name}, row {i}");
            }
        }
    }
}
