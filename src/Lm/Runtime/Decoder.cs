using HybridSynth.Lm.Native;

namespace HybridSynth.Lm.Runtime;

/// <summary>One token of a decode batch: id, position, the sequences it belongs to, and whether its logits are wanted.</summary>
public readonly record struct BatchToken(int Token, int Position, int[] Sequences, bool Output);

/// <summary>
/// Decodes batches of tokens on a model's context and hands back log-softmax rows for the tokens
/// marked as output. Splits batches at the model's batch size (callers order tokens so that each
/// comes after the tokens it attends to).
/// </summary>
internal static unsafe class Decoder
{
    /// <summary>Decodes <paramref name="tokens"/>; for each output token (in order) calls <paramref name="onOutput"/> with its index in <paramref name="tokens"/> and its logits.</summary>
    public static void Decode(LanguageModel model, IReadOnlyList<BatchToken> tokens, Action<int, ReadOnlySpan<float>> onOutput)
    {
        var max = model.Options.BatchSize;
        for (var start = 0; start < tokens.Count; start += max)
        {
            var count = Math.Min(max, tokens.Count - start);
            var maxSeq = 1;
            for (var i = 0; i < count; i++) maxSeq = Math.Max(maxSeq, tokens[start + i].Sequences.Length);
            var batch = LlamaNative.llama_batch_init(count, 0, maxSeq);
            try
            {
                batch.NTokens = count;
                for (var i = 0; i < count; i++)
                {
                    var t = tokens[start + i];
                    batch.Token[i] = t.Token;
                    batch.Pos[i] = t.Position;
                    batch.NSeqId[i] = t.Sequences.Length;
                    for (var s = 0; s < t.Sequences.Length; s++) batch.SeqId[i][s] = t.Sequences[s];
                    batch.Logits[i] = (sbyte)(t.Output ? 1 : 0);
                }
                var rc = LlamaNative.llama_decode(model.Context, batch);
                if (rc != 0)
                    throw new InvalidOperationException(rc == 1
                        ? $"llama_decode found no KV-cache slot for {count} tokens; raise the context size (now {model.ContextSize})"
                        : $"llama_decode failed with code {rc}");
                model.TokensEvaluated += count;
                for (var i = 0; i < count; i++)
                {
                    if (!tokens[start + i].Output) continue;
                    var logits = LlamaNative.llama_get_logits_ith(model.Context, i);
                    if (logits == null) throw new InvalidOperationException("llama.cpp returned no logits for an output token");
                    onOutput(start + i, new ReadOnlySpan<float>(logits, model.VocabularySize));
                }
            }
            finally
            {
                LlamaNative.llama_batch_free(batch);
            }
        }
    }

    /// <summary>log Σ_j exp(logit_j), in double precision.</summary>
    public static double LogSumExp(ReadOnlySpan<float> logits)
    {
        var max = float.NegativeInfinity;
        foreach (var x in logits) if (x > max) max = x;
        double sum = 0;
        foreach (var x in logits) sum += Math.Exp(x - max);
        return max + Math.Log(sum);
    }

    public static void ClearMemory(LanguageModel model) => LlamaNative.llama_memory_clear(model.Memory, false);

    public static void CopySequence(LanguageModel model, int source, int destination) =>
        LlamaNative.llama_memory_seq_cp(model.Memory, source, destination, -1, -1);

    public static void RemoveSequence(LanguageModel model, int sequence) =>
        LlamaNative.llama_memory_seq_rm(model.Memory, sequence, -1, -1);
}
