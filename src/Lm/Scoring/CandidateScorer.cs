using HybridSynth.Lm.Runtime;

namespace HybridSynth.Lm.Scoring;

/// <summary>
/// Scores a finite set of candidate strings after a prompt with a language model.
/// <list type="bullet">
/// <item><see cref="ChainRule"/>: log P(c | prompt) for every candidate in one batched decode: the
/// shared context is decoded once in sequence 0 and copied (in a unified KV cache, by tagging) to one
/// sequence per candidate; the candidates' token trie is then decoded as one batch in which every
/// trie node is a single token carrying the ids of all the candidates that pass through it.</item>
/// <item><see cref="ChainRuleNaive"/>: the same quantity, one candidate at a time from an empty cache
/// (the reference the trie is tested against, and the "naive" cost of the perf harness).</item>
/// <item><see cref="Reference"/>: the published SD-SCM code's score (see <see cref="ScoringMode.Reference"/>).</item>
/// </list>
/// Results depend only on (prompt, candidates), never on earlier calls: the cache is cleared first.
/// </summary>
public sealed class CandidateScorer
{
    public CandidateScorer(LanguageModel model)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
    }

    public LanguageModel Model { get; }

    public double[] Score(string prompt, IReadOnlyList<string> candidates, ScoringMode mode) =>
        mode == ScoringMode.ChainRule ? ChainRule(prompt, candidates) : Reference(prompt, candidates);

    public double[] ChainRule(string prompt, IReadOnlyList<string> candidates)
    {
        lock (Model.Gate)
        {
            var tokens = ContinuationTokens.Of(Model, prompt, candidates);
            var context = tokens.Context;
            var scores = new double[candidates.Count];
            Decoder.ClearMemory(Model);
            // The shared context in sequence 0, with logits at its last token: they score every first candidate token.
            double[] first = Array.Empty<double>();
            var firstTokens = tokens.Candidates.Select(c => c[0]).Distinct().ToArray();
            Decoder.Decode(Model, context.Select((t, i) => new BatchToken(t, i, new[] { 0 }, i == context.Length - 1)).ToList(),
                (_, logits) => first = LogProbabilities(logits, firstTokens));
            var firstIndex = firstTokens.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i);
            for (var k = 0; k < scores.Length; k++) scores[k] = first[firstIndex[tokens.Candidates[k][0]]];

            // Candidates in groups that fit the context's sequences (sequence 0 keeps the context).
            var group = Model.Options.MaxSequences - 1;
            for (var start = 0; start < candidates.Count; start += group)
            {
                var members = Enumerable.Range(start, Math.Min(group, candidates.Count - start)).ToArray();
                var trie = new TokenTrie(members.Select(k => tokens.Candidates[k]).ToArray());
                var internalNodes = trie.Internal;
                if (internalNodes.Count == 0) continue;
                if (context.Length + trie.All.Count > Model.ContextSize)
                    throw new InvalidOperationException($"the prompt ({context.Length} tokens) and the candidates' trie ({trie.All.Count} tokens) do not fit the context of {Model.ContextSize}; raise the context size");
                for (var m = 0; m < members.Length; m++) Decoder.CopySequence(Model, 0, m + 1);
                var batch = internalNodes.Select(n => new BatchToken(n.Token, context.Length + n.Depth - 1,
                    n.Continuing.Select(m => m + 1).ToArray(), true)).ToList();
                var next = new Dictionary<TokenTrie.Node, double[]>();
                var needed = internalNodes.ToDictionary(n => n, n => n.Children.Keys.ToArray());
                Decoder.Decode(Model, batch, (i, logits) => next[internalNodes[i]] = LogProbabilities(logits, needed[internalNodes[i]]));
                for (var m = 0; m < members.Length; m++)
                {
                    var path = trie.Paths[m];
                    for (var d = 1; d < path.Length; d++)
                    {
                        var node = path[d - 1];
                        var childTokens = needed[node];
                        scores[members[m]] += next[node][Array.IndexOf(childTokens, path[d].Token)];
                    }
                }
                for (var m = 0; m < members.Length; m++) Decoder.RemoveSequence(Model, m + 1);
            }
            Decoder.ClearMemory(Model);
            return scores;
        }
    }

    public double[] ChainRuleNaive(string prompt, IReadOnlyList<string> candidates)
    {
        lock (Model.Gate)
        {
            var tokens = ContinuationTokens.Of(Model, prompt, candidates);
            var context = tokens.Context;
            var scores = new double[candidates.Count];
            for (var k = 0; k < candidates.Count; k++)
            {
                var own = tokens.Candidates[k];
                var sequence = context.Concat(own).ToArray();
                Decoder.ClearMemory(Model);
                var total = 0.0;
                Decoder.Decode(Model, sequence.Select((t, i) => new BatchToken(t, i, new[] { 0 }, i >= context.Length - 1 && i < sequence.Length - 1)).ToList(),
                    (i, logits) => total += LogProbabilities(logits, new[] { sequence[i + 1] })[0]);
                scores[k] = total;
            }
            Decoder.ClearMemory(Model);
            return scores;
        }
    }

    public double[] Reference(string prompt, IReadOnlyList<string> candidates)
    {
        lock (Model.Gate)
        {
            var tokens = ContinuationTokens.Of(Model, prompt, candidates);
            var scores = new double[candidates.Count];
            for (var k = 0; k < candidates.Count; k++)
            {
                var own = tokens.Candidates[k];
                var sequence = tokens.Context.Concat(own).ToArray();
                Decoder.ClearMemory(Model);
                Decoder.Decode(Model, sequence.Select((t, i) => new BatchToken(t, i, new[] { 0 }, i == sequence.Length - 1)).ToList(),
                    (_, logits) => scores[k] = LogProbabilities(logits, own).Average());
            }
            Decoder.ClearMemory(Model);
            return scores;
        }
    }

    private static double[] LogProbabilities(ReadOnlySpan<float> logits, int[] tokens)
    {
        var lse = Decoder.LogSumExp(logits);
        var result = new double[tokens.Length];
        for (var i = 0; i < tokens.Length; i++) result[i] = logits[tokens[i]] - lse;
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
