namespace HybridSynth.Scm.Mechanisms;

/// <summary>
/// A binary variable with logit P(V = state 1 | parents) = β₀ + Σ_i β_i·x_i (a categorical parent
/// enters by its state code). Sampled by inverse CDF on one uniform: V = 1 iff U ≥ 1 − p.
/// </summary>
public sealed class LogisticMechanism : ICategoricalMechanism
{
    private readonly int[] _parents;
    private readonly double[] _weights;

    /// <summary>P(V = 1 | parents) = expit(intercept + Σ wᵢ·parentᵢ), sampled by inverse CDF.</summary>
    public LogisticMechanism(IReadOnlyList<int> parents, double intercept, IReadOnlyList<double> weights)
    {
        if (parents.Count != weights.Count) throw new ArgumentException("one weight per parent is needed");
        _parents = parents.ToArray();
        _weights = weights.ToArray();
        Intercept = intercept;
    }

    /// <inheritdoc />
    public string Kind => "logistic";
    /// <inheritdoc />
    public IReadOnlyList<int> Parents => _parents;
    /// <summary>The weights wᵢ, in <see cref="Parents"/> order.</summary>
    public IReadOnlyList<double> Weights => _weights;
    /// <summary>The intercept.</summary>
    public double Intercept { get; }
    /// <inheritdoc />
    public int Cardinality => 2;
    /// <inheritdoc />
    public int NoiseDimension => 1;
    /// <inheritdoc />
    public NoiseKind NoiseKind => NoiseKind.Uniform;

    /// <summary>P(V = 1 | parents) = 1 / (1 + e^{−η}).</summary>
    public double ProbabilityOfOne(ReadOnlySpan<double> parentValues)
    {
        var eta = Intercept;
        for (var i = 0; i < _weights.Length; i++) eta += _weights[i] * parentValues[i];
        return Numerics.SpecialFunctions.Expit(eta);
    }

    /// <inheritdoc />
    public void Probabilities(ReadOnlySpan<double> parentValues, Span<double> probabilities)
    {
        var p = ProbabilityOfOne(parentValues);
        probabilities[0] = 1 - p;
        probabilities[1] = p;
    }

    /// <inheritdoc />
    public double Evaluate(ReadOnlySpan<double> parentValues, ReadOnlySpan<double> noise)
    {
        Span<double> p = stackalloc double[2];
        Probabilities(parentValues, p);
        return InverseCdf.Sample(p, noise[0]);
    }

    /// <inheritdoc />
    public void EvaluateBatch(MechanismBatch batch, Span<double> output) => MechanismBatch.EvaluateRows(this, batch, output);
}
