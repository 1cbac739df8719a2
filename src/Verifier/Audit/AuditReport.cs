using HybridSynth.Verifier.CiTests;

namespace HybridSynth.Verifier.Audit;

/// <summary>One implied independence and what the data said about it.</summary>
public sealed record StatementResult(ObservedStatement Statement, CiTestResult Result, double HolmP, double BenjaminiHochbergP);

/// <summary>One edge of the graph and whether the data show its endpoints dependent (given the child's other observed parents).</summary>
public sealed record EdgeResult(string Parent, string Child, IReadOnlyList<string> Given, CiTestResult Result, bool Detected);

/// <summary>
/// The implied-independence audit of a dataset against a DAG: every statement's test, the
/// false-positive rate (rejections of implied independences) raw and after Holm and
/// Benjamini–Hochberg adjustment, and the power check over the edges. Each distinct statement is tested and counted once;
/// <see cref="DuplicateStatements"/> says how many copies the local Markov list had.
/// </summary>
public sealed record AuditReport(
    AuditOptions Options,
    long Rows,
    IReadOnlyList<string> Unobserved,
    IReadOnlyList<StatementResult> Statements,
    IReadOnlyList<ObservedStatement> Untestable,
    BinomialInterval FalsePositiveRate,
    long HolmRejections,
    long BenjaminiHochbergRejections,
    IReadOnlyList<EdgeResult> Edges,
    BinomialInterval EdgeDetectionRate,
    int DuplicateStatements = 0)
{
    /// <summary>
    /// What the per-dataset interval on <see cref="FalsePositiveRate"/> assumes: the statements are tested on the same rows,
    /// so they are correlated and the Wilson interval, which treats them as independent trials, is too narrow. The rate's
    /// honest interval comes from independent datasets (<see cref="ReplicatedAudit"/>, <c>verify --replicates K</c>, or a suite).
    /// </summary>
    public const string IntervalCaveat = "the Wilson interval treats the statements as independent trials, but they are tested on the same rows and are correlated, so it is too narrow; audit K independent datasets (verify --replicates K, or a suite) for the rate's interval across them";

    /// <summary>The statements with the smallest p-values (ties by text), as many as the options ask to show.</summary>
    public IEnumerable<StatementResult> Worst => Statements.OrderBy(s => s.Result.PValue).ThenBy(s => s.Statement.Text, StringComparer.Ordinal).Take(Options.Worst);
    /// <summary>The edges whose dependence the test did not detect at α (a lack of power, or data that do not follow the DAG).</summary>
    public IEnumerable<EdgeResult> MissedEdges => Edges.Where(e => !e.Detected);
}
