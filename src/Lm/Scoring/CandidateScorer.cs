namespace HybridSynth.Lm.Scoring;

/// <summary>The arithmetic shared by every backend: log-softmax rows and the domain distribution.</summary>
public static class CandidateScorer
{
    /// <summary>log Σ_j exp(logit_j), in double precision.</summary>
    public static double LogSumExp(ReadOnlySpan<float> logits)
    {
        var max = float.NegativeInfinity;
        foreach (var x in logits) if (x > max) max = x;
        double sum = 0;
        foreach (var x in logits) sum += Math.Exp(x - max);
        return max + Math.Log(sum);
    }

    /// <summary>log-softmax(logits)[t] for each t in <paramref name="tokens"/>.</summary>
    public static double[] LogProbabilities(ReadOnlySpan<float> logits, IReadOnlyList<int> tokens)
    {
        var lse = LogSumExp(logits);
        var result = new double[tokens.Count];
        for (var i = 0; i < tokens.Count; i++) result[i] = logits[tokens[i]] - lse;
        return result;
    }

    /// <summary>p_k ∝ exp(score_k / T), normalised over the domain (log-sum-exp in double precision).</summary>
    public static double[] Normalise(IReadOnlyList<double> scores, double temperature = 1.0)
    {
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), "the temperature must be > 0");
        var scaled = scores.Select(s => s / temperature).ToArray();
        var max = scaled.Max();
        var exp = scaled.Select(s => Math.Exp(s - max)).ToArray();
        var z = exp.Sum();
        return exp.Select(e => e / z).ToArray();
    }
}
