namespace HybridSynth.Scm.Errors;

/// <summary>The edges given do not form a DAG; <see cref="Cycle"/> names one directed cycle, first node repeated at the end.</summary>
public sealed class CyclicGraphException : Exception
{
    public CyclicGraphException(IReadOnlyList<string> cycle)
        : base("the graph has a directed cycle: " + string.Join(" -> ", cycle))
    {
        Cycle = cycle;
    }

    public IReadOnlyList<string> Cycle { get; }
}
