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
    /// <summary>The number of states K.</summary>
    int Cardinality { get; }

    /// <summary>Writes P(V = k | parents) for k = 0..Cardinality−1.</summary>
    void Probabilities(ReadOnlySpan<double> parentValues, Span<double> probabilities);

    /// <summary>
    /// The whole conditional table P(V | Pa): one row of <see cref="Cardinality"/> probabilities per parent
    /// configuration, configurations in mixed radix with the last parent fastest (<paramref name="parentCardinalities"/>
    /// aligned with <see cref="IMechanism.Parents"/>). By default each row comes from <see cref="Probabilities"/>; a
    /// stored table copies itself.
    /// </summary>
    void Tabulate(IReadOnlyList<int> parentCardinalities, Span<double> table)
    {
        var k = Cardinality;
        var values = new double[parentCardinalities.Count];
        var rows = table.Length / k;
        for (var r = 0; r < rows; r++)
        {
            var rem = r;
            for (var j = values.Length - 1; j >= 0; j--)
            {
                values[j] = rem % parentCardinalities[j];
                rem /= parentCardinalities[j];
            }
            Probabilities(values, table.Slice(r * k, k));
        }
    }

    /// <summary>The number of states each parent must have, when the mechanism fixes it (a table does); null otherwise.</summary>
    IReadOnlyList<int>? RequiredParentCardinalities => null;
}
