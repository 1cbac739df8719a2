namespace HybridSynth.Scm.Mechanisms;

/// <summary>
/// A structural equation V := f(Pa(V), U_V). Deterministic given its inputs: all randomness comes in
/// as the unit's noise U_V, so that the same noise replayed on a mutilated model gives the
/// counterfactual. Values are doubles: a categorical value is its 0-based state code.
/// </summary>
public interface IMechanism
{
    /// <summary>The registry name of this kind of mechanism ("cpt", "linear_gaussian", ...).</summary>
    string Kind { get; }

    /// <summary>Indices (in the model) of the parents, in the order <see cref="Evaluate"/> reads them.</summary>
    IReadOnlyList<int> Parents { get; }

    /// <summary>How many noise coordinates one unit needs.</summary>
    int NoiseDimension { get; }

    /// <summary>The law of each noise coordinate.</summary>
    NoiseKind NoiseKind { get; }

    /// <summary>f(parents, noise) for one unit; <paramref name="parentValues"/> is aligned with <see cref="Parents"/>.</summary>
    double Evaluate(ReadOnlySpan<double> parentValues, ReadOnlySpan<double> noise);

    /// <summary>f for a batch of units at once (columns aligned with <see cref="Parents"/>); the fast path of sampling.</summary>
    void EvaluateBatch(MechanismBatch batch, Span<double> output);
}

/// <summary>
/// A mechanism over a finite domain that samples by inverse CDF: with P(V = k | pa) = p_k,
/// V = min{ k : U &lt; p_0 + … + p_k }. Knowing p lets exact inference tabulate the mechanism.
/// </summary>
public interface ICategoricalMechanism : IMechanism
{
    int Cardinality { get; }

    /// <summary>Writes P(V = k | parents) for k = 0..Cardinality−1.</summary>
    void Probabilities(ReadOnlySpan<double> parentValues, Span<double> probabilities);
}
