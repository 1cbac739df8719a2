using HybridSynth.Scm.Errors;

namespace HybridSynth.Scm.Mechanisms;

/// <summary>
/// A categorical mechanism read for its structure only: its kind, parents and domain size are known,
/// but it needs something the spec cannot supply (a language model) before it can be evaluated. Reading
/// a spec this way gives the graph, the variables and their roles, so describing it, auditing data
/// against it or exporting its graph needs no model. Exact inference refuses it (it tabulates no
/// configurations) and evaluating it is a clear <see cref="ModelException"/> naming what is missing.
/// </summary>
public sealed class UnboundMechanism(string kind, string variable, IReadOnlyList<int> parents, int cardinality, string requirement)
    : ICategoricalMechanism, ITabulationLimit
{
    /// <inheritdoc />
    public string Kind { get; } = kind;
    /// <inheritdoc />
    public IReadOnlyList<int> Parents { get; } = parents.ToArray();
    /// <inheritdoc />
    public int Cardinality { get; } = cardinality;
    /// <inheritdoc />
    public int NoiseDimension => 1;
    /// <inheritdoc />
    public NoiseKind NoiseKind => NoiseKind.Uniform;

    /// <summary>None: exact inference must not tabulate it.</summary>
    public long MaxConfigurations => 0;

    /// <summary>What binding the mechanism needs (for the error message).</summary>
    public string Requirement { get; } = requirement;

    private ModelException Unbound() => new($"'{variable}' has a {Kind} mechanism, which needs {Requirement}");

    /// <summary>Throws: an unbound mechanism cannot be evaluated.</summary>
    public void Probabilities(ReadOnlySpan<double> parentValues, Span<double> probabilities) => throw Unbound();

    /// <summary>Throws: an unbound mechanism cannot be evaluated.</summary>
    public double Evaluate(ReadOnlySpan<double> parentValues, ReadOnlySpan<double> noise) => throw Unbound();

    /// <summary>Throws: an unbound mechanism cannot be evaluated.</summary>
    public void EvaluateBatch(MechanismBatch batch, Span<double> output) => throw Unbound();
}
