namespace HybridSynth.Scm.Mechanisms;

/// <summary>
/// V := c for a categorical V, the mechanism a hard intervention do(V = state) installs: no parents, no noise, and the
/// one-hot distribution on c. A continuous do(V = x) installs a <see cref="ContinuousConstantMechanism"/>, which has no
/// probability table; <see cref="For"/> picks the right one.
/// </summary>
public sealed class ConstantMechanism : ICategoricalMechanism
{
    /// <param name="value">The state code, in [0, <paramref name="cardinality"/>).</param>
    /// <param name="cardinality">The variable's state count, ≥ 1.</param>
    public ConstantMechanism(double value, int cardinality)
    {
        if (cardinality < 1) throw new ArgumentOutOfRangeException(nameof(cardinality), cardinality, "a categorical constant needs at least one state (a continuous one is a ContinuousConstantMechanism)");
        if (value != Math.Floor(value) || value < 0 || value >= cardinality) throw new ArgumentOutOfRangeException(nameof(value), value, $"a state code in [0, {cardinality})");
        Value = value;
        Cardinality = cardinality;
    }

    /// <summary>The constant mechanism for a variable with <paramref name="cardinality"/> states (0: continuous).</summary>
    public static IMechanism For(double value, int cardinality) =>
        cardinality == 0 ? new ContinuousConstantMechanism(value) : new ConstantMechanism(value, cardinality);

    /// <inheritdoc />
    public string Kind => "constant";
    /// <summary>The value set (a state code for a categorical variable).</summary>
    public double Value { get; }
    /// <summary>The variable's state count.</summary>
    public int Cardinality { get; }
    /// <inheritdoc />
    public IReadOnlyList<int> Parents => Array.Empty<int>();
    /// <inheritdoc />
    public int NoiseDimension => 0;
    /// <inheritdoc />
    public NoiseKind NoiseKind => NoiseKind.Uniform;

    /// <inheritdoc />
    public double Evaluate(ReadOnlySpan<double> parentValues, ReadOnlySpan<double> noise) => Value;

    /// <inheritdoc />
    public void EvaluateBatch(MechanismBatch batch, Span<double> output) => output[..batch.Count].Fill(Value);

    /// <inheritdoc />
    public void Probabilities(ReadOnlySpan<double> parentValues, Span<double> probabilities)
    {
        probabilities.Clear();
        probabilities[(int)Value] = 1.0;
    }
}

/// <summary>V := x for a continuous V, the mechanism a hard intervention do(V = x) installs: no parents, no noise.</summary>
public sealed class ContinuousConstantMechanism(double value) : IMechanism
{
    /// <inheritdoc />
    public string Kind => "constant";
    /// <summary>The value set.</summary>
    public double Value { get; } = double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "a finite value");
    /// <inheritdoc />
    public IReadOnlyList<int> Parents => Array.Empty<int>();
    /// <inheritdoc />
    public int NoiseDimension => 0;
    /// <inheritdoc />
    public NoiseKind NoiseKind => NoiseKind.Uniform;

    /// <inheritdoc />
    public double Evaluate(ReadOnlySpan<double> parentValues, ReadOnlySpan<double> noise) => Value;

    /// <inheritdoc />
    public void EvaluateBatch(MechanismBatch batch, Span<double> output) => output[..batch.Count].Fill(Value);
}
