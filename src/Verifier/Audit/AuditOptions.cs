namespace HybridSynth.Verifier.Audit;

/// <summary>How an implied-independence audit runs.</summary>
public sealed record AuditOptions
{
    /// <summary>Which implied statements: the local Markov set or one minimal separator per non-adjacent pair.</summary>
    public StatementSet Set { get; init; } = StatementSet.Local;
    /// <summary>The significance level α of each test, in (0, 1).</summary>
    public double Alpha { get; init; } = 0.05;

    /// <summary>A name from <see cref="CiTests.CiTestRegistry"/>.</summary>
    public string Test { get; init; } = "auto";

    /// <summary>Permutations of a permutation test.</summary>
    public int Permutations { get; init; } = 999;
    /// <summary>The seed of the permutation tests.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Statements tested at once; the report does not depend on it.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>The most statements the audit tests; a graph implying more is refused with the count before any is built.</summary>
    public long MaxStatements { get; init; } = Scm.Graph.ImpliedIndependences.DefaultMaxStatements;

    /// <summary>How many of the smallest p-values the report lists.</summary>
    public int Worst { get; init; } = 10;
}
