using HybridSynth.Scm.Formulas;

namespace HybridSynth.Scm.Mechanisms;

/// <summary>
/// A structural equation written as a formula over the parents and the unit's noise.
/// <list type="bullet">
/// <item>Continuous: V := f(parents, U₁…, Z₁…) (the <c>value</c> formula).</item>
/// <item>Binary: P(V = state 2 | parents) = p(parents) (a <c>probability</c> formula, clamped to [0, 1]) or
/// expit(η(parents)) (a <c>logit</c> formula), sampled by inverse CDF on one uniform; such a
/// mechanism is categorical, so exact inference can tabulate it when its parents are categorical.</item>
/// </list>
/// Let-bindings (<c>"let": {"tau": "…"}</c>) are evaluated first, in order. A categorical parent's value is its state code.
/// </summary>
public sealed class FormulaMechanism : ICategoricalMechanism
{
    public enum Form { Value, Probability, Logit }

    private readonly int[] _parents;
    private readonly (string Name, FormulaNode Node)[] _lets;
    private readonly FormulaNode _body;
    private readonly int _noise;

    public FormulaMechanism(IReadOnlyList<int> parents, IReadOnlyList<(string Name, FormulaNode Node)> lets, FormulaNode body, Form form, string text)
    {
        _parents = parents.ToArray();
        _lets = lets.ToArray();
        _body = body;
        Shape = form;
        Text = text;
        var used = Math.Max(FormulaParser.NoiseDimension(body), _lets.Select(l => FormulaParser.NoiseDimension(l.Node)).DefaultIfEmpty(0).Max());
        if (form != Form.Value && used > 0) throw new ArgumentException("a probability or logit formula cannot use noise symbols: its randomness is the Bernoulli draw");
        _noise = form == Form.Value ? used : 1;
    }

    public string Kind => "formula";
    public Form Shape { get; }
    public string Text { get; }
    public IReadOnlyList<int> Parents => _parents;
    public int NoiseDimension => _noise;
    public NoiseKind NoiseKind => NoiseKind.Uniform;

    /// <summary>2 for a binary (probability or logit) formula; 0 for a continuous one (not categorical).</summary>
    public int Cardinality => Shape == Form.Value ? 0 : 2;

    private double Body(ReadOnlySpan<double> parentValues, ReadOnlySpan<double> noise)
    {
        var scope = new FormulaScope(_parents.Length, Math.Max(1, noise.Length), _lets.Length);
        parentValues.CopyTo(scope.Parents);
        noise.CopyTo(scope.Noise);
        for (var i = 0; i < _lets.Length; i++) scope.Lets[i] = _lets[i].Node.Evaluate(scope);
        return _body.Evaluate(scope);
    }

    /// <summary>P(V = state 2 | parents) for a binary formula.</summary>
    public double ProbabilityOfSecond(ReadOnlySpan<double> parentValues)
    {
        var x = Body(parentValues, ReadOnlySpan<double>.Empty);
        var p = Shape == Form.Logit ? 1 / (1 + Math.Exp(-x)) : x;
        return double.IsNaN(p) ? throw new InvalidOperationException($"the formula '{Text}' gave NaN") : Math.Clamp(p, 0, 1);
    }

    public void Probabilities(ReadOnlySpan<double> parentValues, Span<double> probabilities)
    {
        if (Shape == Form.Value) throw new InvalidOperationException("a value formula has no probability table");
        var p = ProbabilityOfSecond(parentValues);
        probabilities[0] = 1 - p;
        probabilities[1] = p;
    }

    public double Evaluate(ReadOnlySpan<double> parentValues, ReadOnlySpan<double> noise)
    {
        if (Shape == Form.Value) return Body(parentValues, noise);
        Span<double> p = stackalloc double[2];
        Probabilities(parentValues, p);
        return InverseCdf.Sample(p, noise[0]);
    }

    public void EvaluateBatch(MechanismBatch batch, Span<double> output) => MechanismBatch.EvaluateRows(this, batch, output);
}
