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
    /// <summary>What the formula gives.</summary>
    public enum Form
    {
        /// <summary>The variable's value (noise symbols allowed).</summary>
        Value,
        /// <summary>P(V = 1), sampled by one uniform.</summary>
        Probability,
        /// <summary>logit P(V = 1), sampled by one uniform.</summary>
        Logit,
    }

    private readonly int[] _parents;
    private readonly (string Name, FormulaProgram Program)[] _lets;
    private readonly FormulaProgram _body;
    private readonly int _noise;

    /// <summary>A formula mechanism.</summary>
    /// <param name="parents">The parents' model indices (the formula's parent slots).</param>
    /// <param name="lets">Let-bindings, evaluated in order.</param>
    /// <param name="body">The formula.</param>
    /// <param name="form">Whether the formula is the value, a probability or a logit.</param>
    /// <param name="text">The formula's text, for reports.</param>
    /// <param name="variable">The variable's name, for errors.</param>
    public FormulaMechanism(IReadOnlyList<int> parents, IReadOnlyList<(string Name, FormulaNode Node)> lets, FormulaNode body, Form form, string text, string variable = "")
    {
        _parents = parents.ToArray();
        // Compiled to postfix: evaluation never recurses, whatever the formula's depth.
        _lets = lets.Select(l => (l.Name, FormulaProgram.Compile(l.Node))).ToArray();
        _body = FormulaProgram.Compile(body);
        Shape = form;
        Text = text;
        Variable = variable;
        var used = Math.Max(_body.NoiseDimension, _lets.Select(l => l.Program.NoiseDimension).DefaultIfEmpty(0).Max());
        if (form != Form.Value && used > 0) throw new ArgumentException("a probability or logit formula cannot use noise symbols: its randomness is the Bernoulli draw");
        _noise = form == Form.Value ? used : 1;
    }

    /// <inheritdoc />
    public string Kind => "formula";
    /// <summary>Whether the formula gives the value, P(V = 1) or logit P(V = 1).</summary>
    public Form Shape { get; }
    /// <summary>The formula's text.</summary>
    public string Text { get; }

    /// <summary>The variable the formula defines (for messages).</summary>
    public string Variable { get; }
    /// <inheritdoc />
    public IReadOnlyList<int> Parents => _parents;
    /// <inheritdoc />
    public int NoiseDimension => _noise;
    /// <inheritdoc />
    public NoiseKind NoiseKind => NoiseKind.Uniform;

    /// <summary>2 for a binary (probability or logit) formula; 0 for a continuous one (not categorical).</summary>
    public int Cardinality => Shape == Form.Value ? 0 : 2;

    private FormulaScope NewScope(int noise) => new(_parents.Length, Math.Max(1, noise), _lets.Length);

    /// <summary>The formula's value in <paramref name="scope"/> (one of <see cref="NewScope"/>'s, reused row after row by a batch:
    /// every slot read is written first), after the checks.</summary>
    private double Body(FormulaScope scope, ReadOnlySpan<double> parentValues, ReadOnlySpan<double> noise)
    {
        parentValues.CopyTo(scope.Parents);
        noise.CopyTo(scope.Noise);
        for (var i = 0; i < _lets.Length; i++) scope.Lets[i] = _lets[i].Program.Evaluate(scope);
        var value = _body.Evaluate(scope);
        if (Shape == Form.Value && !double.IsFinite(value))
            throw new FormulaValueException(Variable, $"the formula '{Text}' gave {Describe(value)}{At(parentValues)}");
        return value;
    }

    private static string Describe(double x) => double.IsNaN(x) ? "NaN (for example log of a negative number, 0/0 or sqrt(-1))"
        : x > 0 ? "+∞ (an overflow, such as exp(1000), or a division by zero)" : "−∞ (an overflow or a division by zero)";

    private string At(ReadOnlySpan<double> parentValues) => parentValues.Length == 0 ? ""
        : " with parents (" + string.Join(", ", parentValues.ToArray().Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + ")";

    /// <summary>Probabilities this far outside [0, 1] are rounding and are clamped; anything further is an error.</summary>
    public const double ProbabilityTolerance = 1e-9;

    /// <summary>P(V = state 2 | parents) for a binary formula.</summary>
    public double ProbabilityOfSecond(ReadOnlySpan<double> parentValues) => ProbabilityOfSecond(NewScope(0), parentValues);

    private double ProbabilityOfSecond(FormulaScope scope, ReadOnlySpan<double> parentValues)
    {
        var x = Body(scope, parentValues, ReadOnlySpan<double>.Empty);
        var p = Shape == Form.Logit ? Numerics.SpecialFunctions.Expit(x) : x;
        if (double.IsNaN(p) || (Shape == Form.Logit && double.IsNaN(x)))
            throw new FormulaValueException(Variable, $"the {(Shape == Form.Logit ? "logit" : "probability")} formula '{Text}' gave NaN{At(parentValues)}");
        if (p < -ProbabilityTolerance || p > 1 + ProbabilityTolerance)
            throw new FormulaValueException(Variable, $"the probability formula '{Text}' gave {p.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}{At(parentValues)}; a probability must be in [0, 1]");
        return Math.Clamp(p, 0, 1);
    }

    /// <inheritdoc />
    public void Probabilities(ReadOnlySpan<double> parentValues, Span<double> probabilities)
    {
        if (Shape == Form.Value) throw new InvalidOperationException("a value formula has no probability table");
        var p = ProbabilityOfSecond(parentValues);
        probabilities[0] = 1 - p;
        probabilities[1] = p;
    }

    /// <inheritdoc />
    public double Evaluate(ReadOnlySpan<double> parentValues, ReadOnlySpan<double> noise) => Evaluate(NewScope(noise.Length), parentValues, noise);

    private double Evaluate(FormulaScope scope, ReadOnlySpan<double> parentValues, ReadOnlySpan<double> noise)
    {
        if (Shape == Form.Value) return Body(scope, parentValues, noise);
        var second = ProbabilityOfSecond(scope, parentValues);
        Span<double> p = stackalloc double[2];
        p[0] = 1 - second; // as Probabilities writes them
        p[1] = second;
        return InverseCdf.Sample(p, noise[0]);
    }

    /// <inheritdoc />
    public void EvaluateBatch(MechanismBatch batch, Span<double> output)
    {
        try
        {
            // Row by row with one scope for the batch (not one scope and three arrays a row).
            var p = _parents.Length;
            Span<double> parents = p <= 64 ? stackalloc double[p] : new double[p];
            Span<double> noise = _noise <= 64 ? stackalloc double[_noise] : new double[_noise];
            var scope = NewScope(_noise);
            for (var i = 0; i < batch.Count; i++)
            {
                for (var k = 0; k < p; k++) parents[k] = batch.ParentColumns[k][i];
                for (var k = 0; k < _noise; k++) noise[k] = batch.NoiseColumns[k][i];
                output[i] = Evaluate(scope, parents, noise);
            }
        }
        catch (FormulaValueException e) when (e.Unit is null)
        {
            // Find the row: evaluate again one by one (only on this error path).
            var p = _parents.Length;
            var parents = new double[p];
            var noise = new double[_noise];
            for (var i = 0; i < batch.Count; i++)
            {
                for (var k = 0; k < p; k++) parents[k] = batch.ParentColumns[k][i];
                for (var k = 0; k < _noise; k++) noise[k] = batch.NoiseColumns[k][i];
                try { Evaluate(parents, noise); }
                catch (FormulaValueException row) { throw row.ForUnit(batch.Unit(i)); }
            }
            throw;
        }
    }
}

/// <summary>A formula that gives no usable value (NaN, ±∞, a probability outside [0, 1]): a model error naming the variable and, where known, the unit.</summary>
public sealed class FormulaValueException(string variable, string detail, long? unit = null)
    : Errors.ModelException($"'{variable}' of unit {(unit is null ? "?" : unit.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))}: {detail}")
{
    /// <summary>The variable whose formula failed.</summary>
    public string VariableName { get; } = variable;
    /// <summary>What went wrong.</summary>
    public string Detail { get; } = detail;
    /// <summary>The unit, when known.</summary>
    public long? Unit { get; } = unit;

    /// <summary>The same error for a known unit.</summary>
    public FormulaValueException ForUnit(long unit) => new(VariableName, Detail, unit);
}
