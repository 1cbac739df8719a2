namespace HybridSynth.Scm.Mechanisms;

/// <summary>
/// V := β₀ + Σ_i β_i·x_i + σ·Z with Z ~ N(0,1). A categorical parent enters by its state code.
/// </summary>
public sealed class LinearGaussianMechanism : IMechanism
{
    private readonly int[] _parents;
    private readonly double[] _weights;

    /// <summary>V := intercept + Σ wᵢ·parentᵢ + σ·Z with Z ~ N(0, 1).</summary>
    public LinearGaussianMechanism(IReadOnlyList<int> parents, double intercept, IReadOnlyList<double> weights, double sigma)
    {
        if (parents.Count != weights.Count) throw new ArgumentException("one weight per parent is needed");
        if (!(sigma >= 0) || double.IsInfinity(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "σ must be finite and ≥ 0");
        _parents = parents.ToArray();
        _weights = weights.ToArray();
        Intercept = intercept;
        Sigma = sigma;
    }

    /// <inheritdoc />
    public string Kind => "linear_gaussian";
    /// <inheritdoc />
    public IReadOnlyList<int> Parents => _parents;
    /// <summary>The weights wᵢ, in <see cref="Parents"/> order.</summary>
    public IReadOnlyList<double> Weights => _weights;
    /// <summary>The intercept.</summary>
    public double Intercept { get; }
    /// <summary>The noise standard deviation σ ≥ 0.</summary>
    public double Sigma { get; }
    /// <inheritdoc />
    public int NoiseDimension => 1;
    /// <inheritdoc />
    public NoiseKind NoiseKind => NoiseKind.StandardNormal;

    /// <summary>E[V | parents] = β₀ + Σ β_i x_i.</summary>
    public double Mean(ReadOnlySpan<double> parentValues)
    {
        var m = Intercept;
        for (var i = 0; i < _weights.Length; i++) m += _weights[i] * parentValues[i];
        return m;
    }

    /// <summary>β₀ + σ·z + Σ β_i x_i, summed in that order, the batch path's order, so that both give the same bits.</summary>
    public double Evaluate(ReadOnlySpan<double> parentValues, ReadOnlySpan<double> noise)
    {
        var v = Intercept + Sigma * noise[0];
        for (var i = 0; i < _weights.Length; i++) v += _weights[i] * parentValues[i];
        return v;
    }

    /// <inheritdoc />
    public void EvaluateBatch(MechanismBatch batch, Span<double> output)
    {
        var n = batch.Count;
        var z = batch.NoiseColumns[0];
        for (var i = 0; i < n; i++) output[i] = Intercept + Sigma * z[i];
        for (var q = 0; q < _weights.Length; q++)
        {
            var w = _weights[q];
            var col = batch.ParentColumns[q];
            for (var i = 0; i < n; i++) output[i] += w * col[i];
        }
    }
}
