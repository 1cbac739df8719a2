namespace HybridSynth.Verifier.Audit;

/// <summary>A proportion with its binomial standard error √(p(1−p)/m) and the Wilson score 95% interval.</summary>
public sealed record BinomialInterval(long Successes, long Trials, double Rate, double StandardError, double Lower, double Upper)
{
    /// <summary>The share <paramref name="successes"/>/<paramref name="trials"/> with its 95% Wilson interval (0 and [0, 1] when there are no trials).</summary>
    public static BinomialInterval Of(long successes, long trials)
    {
        if (trials == 0) return new BinomialInterval(0, 0, 0, 0, 0, 1);
        var p = (double)successes / trials;
        const double z = Scm.Numerics.SpecialFunctions.Z975;
        var denominator = 1 + z * z / trials;
        var centre = (p + z * z / (2 * trials)) / denominator;
        var half = z * Math.Sqrt(p * (1 - p) / trials + z * z / (4.0 * trials * trials)) / denominator;
        return new BinomialInterval(successes, trials, p, Math.Sqrt(p * (1 - p) / trials), Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
