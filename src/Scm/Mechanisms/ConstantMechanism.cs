namespace HybridSynth.Scm.Mechanisms;

/// <summary>V := c, the mechanism a hard intervention do(V = c) installs. No parents, no noise.</summary>
public sealed class ConstantMechanism : ICategoricalMechanism
{
    /// <param name="value">The value (a state code for a categorical variable).</param>
    /// <param name="cardinality">The state count for a categorical variable, 0 for a continuous one.</param>
    public ConstantMechanism(double value, int cardinality)
    {
        Value = value;
        Cardinality = cardinality;
    }

    /// <inheritdoc />
    public string Kind => "constant";
    /// <summary>The value set (a state code for a categorical variable).</summary>
    public double Value { get; }
    /// <summary>The domain size (0 for a continuous variable).</summary>
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
        if (Cardinality == 0) throw new InvalidOperationException("a continuous constant has no probability table");
        probabilities.Clear();
        probabilities[(int)Value] = 1.0;
    }
}
