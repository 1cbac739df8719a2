using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Interventions;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Mechanisms;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.Scm.Tests.Mechanisms;

/// <summary>
/// <see cref="MechanismContract"/> over every mechanism kind of the causal core, as the specs and interventions make
/// them: CPTs (roots and children), linear-Gaussian, logistic, formulas (value with noise and lets, probability, logit)
/// and hard do() constants. The language-model mechanism runs the same contract in Lm.Tests.
/// </summary>
public class MechanismContractTests
{
    private static readonly string[] Specs = ["builtin:asia", "clinical.json", "linear_gaussian.json", "xu_dgp.json", "xu_dgp_randomised.json", "collider.json", "formulas"];

    /// <summary>Value formulas with noise and let-bindings, a probability formula over a categorical parent, and a logit one.</summary>
    private const string Formulas = """
    {"name": "formulas", "variables": [
      {"name": "X", "type": "continuous", "mechanism": {"type": "linear_gaussian", "sd": 1}},
      {"name": "B", "states": ["no", "yes"], "parents": ["X"], "mechanism": {"type": "formula", "logit": "-1 + 2 * X"}},
      {"name": "C", "states": ["lo", "hi"], "parents": ["B"], "mechanism": {"type": "formula", "probability": "0.2 + 0.6 * B"}},
      {"name": "Y", "type": "continuous", "parents": ["X", "B"], "mechanism": {"type": "formula", "let": {"m": "1 + X^2"}, "value": "m + 3 * B + 0.5 * Z"}},
      {"name": "W", "type": "continuous", "parents": ["Y", "C"], "mechanism": {"type": "formula", "value": "max(Y, 0) * (1 + C) + exp(-U)"}}
    ]}
    """;

    private static CausalModel Load(string spec) => spec == "formulas" ? JsonSpecReader.Read(Formulas, "formulas.json")
        : SpecLoader.Load(spec.StartsWith("builtin:", StringComparison.Ordinal) ? spec : Paths.Dag(spec)).Model;

    private static IReadOnlyList<int> Cardinalities(CausalModel m, IMechanism mechanism) =>
        mechanism.Parents.Select(p => m[p].IsCategorical ? m[p].Cardinality : 0).ToArray();

    public static IEnumerable<TestCaseData> EveryMechanismOfTheSpecs()
    {
        foreach (var spec in Specs)
        {
            var m = Load(spec);
            for (var v = 0; v < m.Count; v++)
                yield return new TestCaseData(spec, m[v].Name).SetName($"{spec}: {m[v].Name} ({m.Mechanisms[v].Kind})");
        }
    }

    [TestCaseSource(nameof(EveryMechanismOfTheSpecs))]
    public void KeepsTheMechanismContract(string spec, string variable)
    {
        var m = Load(spec);
        var mechanism = m.Mechanisms[m.IndexOf(variable)];
        MechanismContract.Check(mechanism, Cardinalities(m, mechanism), seed: (ulong)variable.Length + 3);
    }

    [Test]
    public void TheSpecsCoverEveryBuiltInKind_AndEveryFormulaForm()
    {
        var mechanisms = Specs.SelectMany(s => Load(s).Mechanisms).ToList();
        Assert.That(mechanisms.Select(x => x.Kind).Distinct().Order(), Is.SupersetOf(BuiltinMechanisms.Kinds));
        Assert.That(mechanisms.OfType<FormulaMechanism>().Select(f => f.Shape).Distinct().Order(),
            Is.EqualTo(new[] { FormulaMechanism.Form.Value, FormulaMechanism.Form.Probability, FormulaMechanism.Form.Logit }));
    }

    [Test]
    public void HardInterventionConstants_KeepTheContract([Values("smoke=yes", "either=no")] string assignment)
    {
        var m = Load("builtin:asia");
        var done = m.Intervene(InterventionParser.ParseHard(m, assignment));
        var v = done.IndexOf(assignment.Split('=')[0]);
        Assert.That(done.Mechanisms[v], Is.InstanceOf<ConstantMechanism>());
        MechanismContract.Check(done.Mechanisms[v], Array.Empty<int>());
        var continuous = Load("linear_gaussian.json");
        var name = continuous[0].Name;
        var set = continuous.Intervene(InterventionParser.ParseHard(continuous, $"{name}=1.5"));
        Assert.That(set.Mechanisms[0], Is.InstanceOf<ContinuousConstantMechanism>().And.Not.InstanceOf<ICategoricalMechanism>(), "a continuous constant has no probability table");
        MechanismContract.Check(set.Mechanisms[0], Array.Empty<int>());
        Assert.That(set.Mechanisms[0].Evaluate(Array.Empty<double>(), Array.Empty<double>()), Is.EqualTo(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConstantMechanism(2, 2), "a state code out of range");
    }

    [Test]
    public void TheContract_CatchesABrokenMechanism()
    {
        // A CPT whose batch path is wrong must fail the contract: the check can fail.
        var good = new CptMechanism([], [], 2, [0.3, 0.7]);
        Assert.Throws<AssertionException>(() => MechanismContract.Check(new WrongBatch(good), Array.Empty<int>()));
        Assert.DoesNotThrow(() => MechanismContract.Check(good, Array.Empty<int>()));
    }

    [Test]
    public void AnUnboundMechanism_RefusesToEvaluate_WithAModelError()
    {
        var unbound = new UnboundMechanism("language_model", "B", [0], 2, "a language model (--model)");
        Assert.That(unbound.Kind, Is.EqualTo("language_model"));
        Assert.Throws<ModelException>(() => unbound.Evaluate([0.0], [0.5]));
        Assert.Throws<ModelException>(() => unbound.Probabilities([0.0], new double[2]));
    }

    private sealed class WrongBatch(CptMechanism inner) : ICategoricalMechanism
    {
        public string Kind => inner.Kind;
        public IReadOnlyList<int> Parents => inner.Parents;
        public int NoiseDimension => inner.NoiseDimension;
        public NoiseKind NoiseKind => inner.NoiseKind;
        public int Cardinality => inner.Cardinality;
        public double Evaluate(ReadOnlySpan<double> parentValues, ReadOnlySpan<double> noise) => inner.Evaluate(parentValues, noise);
        public void EvaluateBatch(MechanismBatch batch, Span<double> output) => output[..batch.Count].Fill(1);
        public void Probabilities(ReadOnlySpan<double> parentValues, Span<double> probabilities) => inner.Probabilities(parentValues, probabilities);
    }
}
