using HybridSynth.Scm.Errors;

namespace HybridSynth.Scm.Variables;

/// <summary>
/// A variable of a causal model: its name, domain, whether it is hidden (a latent: sampled but
/// never written) and its role. <see cref="Location"/> is where the spec declared it, for errors.
/// </summary>
public sealed record Variable(string Name, VariableDomain Domain, bool Hidden = false, VariableRole Role = VariableRole.None)
{
    /// <summary>Where the variable is declared in its spec, for located errors.</summary>
    public SourceLocation? Location { get; init; }

    /// <summary>Free-text description from the spec (not used in computation).</summary>
    public string? Description { get; init; }

    /// <summary>For an outcome: the state whose probability effects are about (the ITE is 1[Y(1) = event] − 1[Y(0) = event]); null for the default scale.</summary>
    public string? EventState { get; init; }

    /// <summary>Sentence templates for realizing the variable in text, each with a <c>{value}</c> slot (empty: defaults are used).</summary>
    public IReadOnlyList<string> Templates { get; init; } = Array.Empty<string>();

    /// <summary>Other surface forms of each state, for realization and extraction (state name → synonyms).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Synonyms { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Names the variable goes by in text (empty: its name, with underscores as spaces).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = Array.Empty<string>();

    /// <summary>Alternative phrasings of the variable's value in text (a family: a configuration seed picks one); empty when none is given.</summary>
    public IReadOnlyList<Phrasing> Phrasings { get; init; } = Array.Empty<Phrasing>();

    /// <summary>True for a finite domain.</summary>
    public bool IsCategorical => Domain.IsCategorical;

    /// <summary>The finite domain; an error for a continuous variable.</summary>
    public CategoricalDomain Categorical =>
        Domain as CategoricalDomain ?? throw new ModelException($"variable '{Name}' is continuous, not categorical");

    /// <summary>The number of states.</summary>
    public int Cardinality => Categorical.Cardinality;

    /// <summary>The text of a value: the state name for a categorical variable, the round-trip number otherwise.</summary>
    public string Format(double value) =>
        Domain is CategoricalDomain c ? c.States[(int)value] : value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
