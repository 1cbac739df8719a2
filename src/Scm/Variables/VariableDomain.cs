namespace HybridSynth.Scm.Variables;

/// <summary>The set of values a variable takes: named categorical states or the real line.</summary>
public abstract record VariableDomain
{
    /// <summary>True for a finite set of states, false for the real line.</summary>
    public abstract bool IsCategorical { get; }
}

/// <summary>A finite domain of named states; a value is stored as its 0-based state code.</summary>
public sealed record CategoricalDomain : VariableDomain
{
    private readonly Dictionary<string, int> _codes;

    /// <summary>A domain of at least one distinct state name, coded 0..K−1 in the given order.</summary>
    public CategoricalDomain(IReadOnlyList<string> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        if (states.Count == 0) throw new ArgumentException("a categorical domain needs at least one state", nameof(states));
        States = states.ToArray();
        _codes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < States.Count; i++)
            if (!_codes.TryAdd(States[i], i))
                throw new ArgumentException($"duplicate state '{States[i]}'", nameof(states));
    }

    /// <summary>The state names, by code.</summary>
    public IReadOnlyList<string> States { get; }
    /// <summary>The number of states K.</summary>
    public int Cardinality => States.Count;
    /// <inheritdoc />
    public override bool IsCategorical => true;

    /// <summary>The code of <paramref name="state"/>, if it is one of the states.</summary>
    public bool TryCode(string state, out int code) => _codes.TryGetValue(state, out code);

    /// <summary>True when both domains have the same states in the same order.</summary>
    public bool Equals(CategoricalDomain? other) => other is not null && States.SequenceEqual(other.States);
    /// <inheritdoc />
    public override int GetHashCode() => States.Aggregate(17, (h, s) => h * 31 + s.GetHashCode(StringComparison.Ordinal));
}

/// <summary>Real-valued.</summary>
public sealed record ContinuousDomain : VariableDomain
{
    /// <summary>The one continuous domain.</summary>
    public static readonly ContinuousDomain Instance = new();
    /// <inheritdoc />
    public override bool IsCategorical => false;
}
