namespace HybridSynth.Verifier.CiTests;

/// <summary>
/// The outcome of one conditional-independence test of X ⟂ Y | Z: statistic, degrees of freedom and
/// p-value under H0 (independence). When nothing could be tested (every stratum degenerate, too few
/// rows), <see cref="Untestable"/> says why and the numbers are not meaningful; never NaN otherwise.
/// </summary>
public sealed record CiTestResult(string Method, double Statistic, double DegreesOfFreedom, double PValue, long SampleSize, string? Untestable = null)
{
    /// <summary>True when the test ran (its numbers are meaningful).</summary>
    public bool IsTestable => Untestable is null;

    /// <summary>A result that records why nothing could be tested (p-value 1, never a rejection).</summary>
    public static CiTestResult NotTestable(string method, long n, string reason) => new(method, 0, 0, 1, n, reason);

    /// <summary>The decision at level α, a separate pure step: reject independence iff p &lt; α.</summary>
    public bool RejectsAt(double alpha) => IsTestable && PValue < alpha;
}
