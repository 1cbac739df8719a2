namespace HybridSynth.Scm.Variables;

/// <summary>The set of values a variable takes: named categorical states or the real line.</summary>
public abstract record VariableDomain
{
    public abstract bool IsCategorical { get; }
}

/// <summary>A finite domain of named states; a value is stored as its 0-based state code.</summary>
public sealed record CategoricalDomain : VariableDomain
{
    private readonly Dictionary<string, int> _codes;

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

    public IReadOnlyList<string> States { get; }
    public int Cardinality => States.Count;
    public override bool IsCategorical => true;

    public bool TryCode(string state, out int code) => _codes.TryGetValue(state, out code);

    public bool Equals(CategoricalDomain? other) => other is not null && States.SequenceEqual(other.States);
    public override int GetHashCode() => States.Aggregate(17, (h, s) => h * 31 + s.GetHashCode(StringComparison.Ordinal));
}

/// <summary>Real-valued.</summary>
public sealed record ContinuousDomain : VariableDomain
{
    public static readonly ContinuousDomain Instance = new();
    public override bool IsCategorical => false;
}
