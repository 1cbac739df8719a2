namespace HybridSynth.Lm;

/// <summary>How a candidate's score is computed.</summary>
public enum ScoringMode
{
    /// <summary>The default: exact chain-rule log P(candidate | prompt) = Σ_t log p(token_t | prompt, tokens before t).</summary>
    ChainRule,

    /// <summary>
    /// Compatibility with the published SD-SCM code: the prompt tokenised with the model's BOS rule,
    /// each candidate tokenised on its own (no BOS, no merge with the prompt); feed prompt + candidate,
    /// take the next-token distribution AFTER the whole candidate, and average the log-probabilities it
    /// gives to the candidate's own token ids. Not a probability of the candidate; kept only to
    /// reproduce that code (the mechanism also builds the published prompt in this mode).
    /// </summary>
    Reference,
}
