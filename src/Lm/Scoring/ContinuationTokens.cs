namespace HybridSynth.Lm.Scoring;

/// <summary>
/// A prompt and candidates tokenised for scoring.
/// <para><see cref="ScoringMode.ChainRule"/>: each candidate is tokenised together with the prompt (so a
/// tokenizer that merges across the boundary — a BPE " 25", a SentencePiece leading space — is treated
/// as it would be in running text). The shared context is the longest token prefix common to the
/// prompt and every prompt+candidate tokenisation; each candidate's own tokens are what follows. Any
/// prompt text re-tokenised into the candidates is the same text for every candidate, so it cancels
/// when probabilities are normalised over the domain.</para>
/// <para><see cref="ScoringMode.Reference"/> (the published SD-SCM code): the context is the prompt
/// tokenised with the model's BOS rule; each candidate is tokenised on its own, without special tokens.</para>
/// </summary>
public sealed record ContinuationTokens(int[] Context, int[][] Candidates)
{
    /// <summary>The tokens of each candidate as it continues the prompt (tokenising prompt + candidate, so merges across the boundary are the model's own), and the shared prompt prefix.</summary>
    public static ContinuationTokens Of(ILanguageModel model, string prompt, IReadOnlyList<string> candidates, ScoringMode mode = ScoringMode.ChainRule)
    {
        if (candidates.Count == 0) throw new ArgumentException("no candidates");
        foreach (var c in candidates)
            if (c.Length == 0) throw new ArgumentException("a candidate is the empty string");
        var p = model.Tokenize(prompt, addSpecial: true);
        if (mode == ScoringMode.Reference)
        {
            if (p.Length == 0) throw new ArgumentException("the prompt is empty and the model adds no BOS token: there is no context to condition on; give the variable a prefix");
            var own = candidates.Select(c => model.Tokenize(c, addSpecial: false)).ToArray();
            for (var k = 0; k < own.Length; k++)
                if (own[k].Length == 0) throw new ArgumentException($"candidate '{candidates[k]}' has no tokens");
            return new ContinuationTokens(p, own);
        }
        var full = candidates.Select(c => model.Tokenize(prompt + c, addSpecial: true)).ToArray();
        var shared = p.Length;
        foreach (var f in full)
        {
            var k = 0;
            while (k < shared && k < f.Length && f[k] == p[k]) k++;
            shared = k;
        }
        if (shared == 0)
            throw new ArgumentException("the prompt is empty and the model adds no BOS token: there is no context to condition on; give the variable a prefix");
        var rest = full.Select(f => f[shared..]).ToArray();
        for (var k = 0; k < rest.Length; k++)
            if (rest[k].Length == 0) throw new ArgumentException($"candidate '{candidates[k]}' adds no token after the prompt");
        return new ContinuationTokens(p[..shared], rest);
    }
}
