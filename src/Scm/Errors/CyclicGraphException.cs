namespace HybridSynth.Scm.Errors;

/// <summary>The edges given do not form a DAG; <see cref="Cycle"/> names one directed cycle, first node repeated at the end.</summary>
public sealed class CyclicGraphException : Exception
{
    /// <summary>A cycle, given as node names with the first repeated at the end (a → b → a is ["a", "b", "a"]).</summary>
    public CyclicGraphException(IReadOnlyList<string> cycle)
        : base("the graph has a directed cycle: " + string.Join(" -> ", cycle))
    {
        Cycle = cycle;
    }

    /// <summary>The cycle's node names, first repeated at the end.</summary>
    public IReadOnlyList<string> Cycle { get; }
}
