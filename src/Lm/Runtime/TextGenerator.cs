using System.Text;
using HybridSynth.Lm.Native;

namespace HybridSynth.Lm.Runtime;

/// <summary>
/// Free or grammar-constrained text generation: the prompt is decoded, then tokens are sampled one at
/// a time (temperature, then a seeded draw; greedy at temperature 0) until an end-of-generation token
/// or the token budget. With a GBNF grammar (llama.cpp's <c>llama_sampler_init_grammar</c>, root rule
/// <c>root</c>) only continuations the grammar allows are sampled. The same seed gives the same text.
/// </summary>
public sealed unsafe class TextGenerator(LanguageModel model)
{
    public LanguageModel Model { get; } = model;

    public string Generate(string prompt, int maxTokens, uint seed, double temperature = 0.8, string? grammar = null)
    {
        if (maxTokens < 1) throw new ArgumentOutOfRangeException(nameof(maxTokens));
        lock (Model.Gate)
        {
            var chain = LlamaSamplerNative.llama_sampler_chain_init(LlamaSamplerNative.llama_sampler_chain_default_params());
            try
            {
                if (grammar is not null)
                {
                    var g = Encoding.UTF8.GetBytes(grammar + "\0");
                    var root = "root\0"u8.ToArray();
                    IntPtr sampler;
                    fixed (byte* pg = g)
                    fixed (byte* pr = root)
                        sampler = LlamaSamplerNative.llama_sampler_init_grammar(Model.Vocab, pg, pr);
                    if (sampler == IntPtr.Zero) throw new ArgumentException("llama.cpp rejected the grammar (set HYBRIDSYNTH_LLAMA_LOG=1 for its message)", nameof(grammar));
                    LlamaSamplerNative.llama_sampler_chain_add(chain, sampler);
                }
                if (temperature <= 0) LlamaSamplerNative.llama_sampler_chain_add(chain, LlamaSamplerNative.llama_sampler_init_greedy());
                else
                {
                    LlamaSamplerNative.llama_sampler_chain_add(chain, LlamaSamplerNative.llama_sampler_init_temp((float)temperature));
                    LlamaSamplerNative.llama_sampler_chain_add(chain, LlamaSamplerNative.llama_sampler_init_dist(seed));
                }
                var tokens = Model.Tokenize(prompt, addSpecial: true);
                if (tokens.Length + maxTokens > Model.ContextSize)
                    throw new InvalidOperationException($"the prompt ({tokens.Length} tokens) and the budget ({maxTokens}) exceed the context of {Model.ContextSize}");
                Decoder.ClearMemory(Model);
                Decoder.Decode(Model, tokens.Select((t, i) => new BatchToken(t, i, new[] { 0 }, i == tokens.Length - 1)).ToList(), (_, _) => { });
                var bytes = new List<byte>();
                var position = tokens.Length;
                for (var k = 0; k < maxTokens; k++)
                {
                    var token = LlamaSamplerNative.llama_sampler_sample(chain, Model.Context, -1);
                    if (LlamaSamplerNative.llama_vocab_is_eog(Model.Vocab, token)) break;
                    bytes.AddRange(PieceBytes(token));
                    Decoder.Decode(Model, new[] { new BatchToken(token, position++, new[] { 0 }, true) }, (_, _) => { });
                }
                Decoder.ClearMemory(Model);
                return Encoding.UTF8.GetString(bytes.ToArray());
            }
            finally
            {
                LlamaSamplerNative.llama_sampler_free(chain);
            }
        }
    }

    private byte[] PieceBytes(int token)
    {
        var buffer = stackalloc byte[256];
        var n = LlamaNative.llama_token_to_piece(Model.Vocab, token, buffer, 256, 0, false);
        return n <= 0 ? Array.Empty<byte>() : new ReadOnlySpan<byte>(buffer, n).ToArray();
    }
}
