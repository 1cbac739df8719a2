using HybridSynth.Verifier.CiTests;

namespace HybridSynth.Verifier.Audit;

/// <summary>One implied independence and what the data said about it.</summary>
public sealed record StatementResult(ObservedStatement Statement, CiTestResult Result, double HolmP, double BenjaminiHochbergP);

/// <summary>One edge of the graph and whether the data show its endpoints dependent (given the child's other observed parents).</summary>
public sealed record EdgeResult(string Parent, string Child, IReadOnlyList<string> Given, CiTestResult Result, bool Detected);

/// <summary>
/// The implied-independence audit of a dataset against a DAG: every statement's test, the
/// false-positive rate (rejections of implied independences) raw and after Holm and
/// Benjamini–Hochberg adjustment, and the power check over the edges.
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
    BinomialInterval EdgeDetectionRate)
{
    /// <summary>The statements with the smallest p-values (ties by text), as many as the options ask to show.</summary>
    public IEnumerable<StatementResult> Worst => Statements.OrderBy(s => s.Result.PValue).ThenBy(s => s.Statement.Text, StringComparer.Ordinal).Take(Options.Worst);
    /// <summary>The edges whose dependence the test did not detect at α (a lack of power, or data that do not follow the DAG).</summary>
    public IEnumerable<EdgeResult> MissedEdges => Edges.Where(e => !e.Detected);
}
