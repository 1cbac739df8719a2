namespace HybridSynth.Lm.Scoring;

/// <summary>How a candidate's score is computed.</summary>
public enum ScoringMode
{
    /// <summary>The default: exact chain-rule log P(candidate | prompt) = Σ_t log p(token_t | prompt, tokens before t).</summary>
    ChainRule,

    /// <summary>
    /// Compatibility with the published SD-SCM code: feed prompt + candidate, take the next-token
    /// distribution AFTER the whole candidate, and average the log-probabilities it gives to the
    /// candidate's own token ids. Not a probability of the candidate; kept only to reproduce that code.
    /// </summary>
    Reference,
}
