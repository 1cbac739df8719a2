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

    public string Kind => "constant";
    public double Value { get; }
    public int Cardinality { get; }
    public IReadOnlyList<int> Parents => Array.Empty<int>();
    public int NoiseDimension => 0;
    public NoiseKind NoiseKind => NoiseKind.Uniform;

    public double Evaluate(ReadOnlySpan<double> parentValues, ReadOnlySpan<double> noise) => Value;

    public void EvaluateBatch(MechanismBatch batch, Span<double> output) => output[..batch.Count].Fill(Value);

    public void Probabilities(ReadOnlySpan<double> parentValues, Span<double> probabilities)
    {
        if (Cardinality == 0) throw new InvalidOperationException("a continuous constant has no probability table");
        probabilities.Clear();
        probabilities[(int)Value] = 1.0;
    }
}
