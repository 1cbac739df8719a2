using HybridSynth.Scm.Randomness;

namespace HybridSynth.Lm.Gguf;

/// <summary>The shape of a Llama-architecture model.</summary>
public sealed record ModelShape(int Vocabulary, int Embedding, int Layers, int Heads, int KvHeads, int FeedForward, int Context)
{
    /// <summary>A tiny model for tests (fast to write and to run).</summary>
    public static ModelShape Tiny { get; } = new(257, 32, 2, 4, 2, 64, 512);

    /// <summary>The shape of a 135M-parameter model (SmolLM-135M's: 30 layers, 576 wide, 9 heads, 3 KV heads, 1536 FFN, 49,152 tokens).</summary>
    public static ModelShape Small135M { get; } = new(49152, 576, 30, 9, 3, 1536, 2048);

    /// <summary>The width of one attention head.</summary>
    public int HeadDimension => Embedding / Heads;
}

/// <summary>
/// Writes a Llama-architecture GGUF with random weights and a byte-level GPT-2 tokenizer (256 byte
/// tokens in GPT-2's byte-to-unicode spelling, <c>&lt;|endoftext|&gt;</c> as BOS/EOS, no merges, padded
/// with unused tokens up to the vocabulary size). Nothing about the text it produces is meaningful,
/// but its compute cost and the tokenizer path are real: the test suite writes one on every fresh
/// clone, and the perf harness writes the 135M shape. Weights come from counter-based noise, so the
/// same seed writes the same file.
/// </summary>
public static class SyntheticModel
{
    /// <summary>
    /// Writes a Llama-architecture GGUF of the given shape with random weights drawn from <paramref name="seed"/> (Q8_0 when
    /// <paramref name="quantized"/>), for tests and benchmarks; <paramref name="chatTemplate"/>, when given, is stored as
    /// <c>tokenizer.chat_template</c>, as an instruct model's file carries it.
    /// </summary>
    public static void Write(string path, ModelShape shape, ulong seed, bool quantized = false, string? chatTemplate = null)
    {
        if (shape.Vocabulary < 257) throw new ArgumentException("the vocabulary needs at least 257 tokens (256 bytes + end of text)");
        if (shape.Embedding % shape.Heads != 0) throw new ArgumentException("the embedding width must be divisible by the head count");
        var tokens = new List<string>(shape.Vocabulary);
        var map = ByteToUnicode();
        for (var b = 0; b < 256; b++) tokens.Add(map[b].ToString());
        tokens.Add("<|endoftext|>");
        while (tokens.Count < shape.Vocabulary) tokens.Add($"<|unused_{tokens.Count}|>");
        var types = tokens.Select((_, i) => i < 256 ? 1 : 3).ToArray();

        var hd = shape.HeadDimension;
        var w = new GgufWriter()
            .Add("general.architecture", "llama")
            .Add("general.name", $"hybridsynth-synthetic-{shape.Layers}x{shape.Embedding}")
            .Add("general.alignment", GgufWriter.Alignment)
            .Add("llama.context_length", (uint)shape.Context)
            .Add("llama.embedding_length", (uint)shape.Embedding)
            .Add("llama.block_count", (uint)shape.Layers)
            .Add("llama.feed_forward_length", (uint)shape.FeedForward)
            .Add("llama.attention.head_count", (uint)shape.Heads)
            .Add("llama.attention.head_count_kv", (uint)shape.KvHeads)
            .Add("llama.attention.layer_norm_rms_epsilon", 1e-5f)
            .Add("llama.rope.dimension_count", (uint)hd)
            .Add("llama.rope.freq_base", 10000f)
            .Add("tokenizer.ggml.model", "gpt2")
            .Add("tokenizer.ggml.pre", "gpt-2")
            .Add("tokenizer.ggml.tokens", tokens)
            .Add("tokenizer.ggml.token_type", types)
            .Add("tokenizer.ggml.merges", Array.Empty<string>())
            .Add("tokenizer.ggml.bos_token_id", 256u)
            .Add("tokenizer.ggml.eos_token_id", 256u)
            .Add("tokenizer.ggml.add_bos_token", true);
        if (chatTemplate is not null) w.Add("tokenizer.chat_template", chatTemplate);

        var matrixType = quantized ? GgufWriter.TensorType.Q8_0 : GgufWriter.TensorType.F32;
        var tensorIndex = 0;
        void Matrix(string name, int ne0, int ne1, double scale)
        {
            var index = tensorIndex++;
            var shapeArr = new[] { (ulong)ne0, (ulong)ne1 };
            w.AddTensor(name, shapeArr, matrixType, () => quantized ? Q8(seed, index, ne0 * ne1, scale) : F32(seed, index, ne0 * ne1, scale));
        }
        void Norm(string name)
        {
            tensorIndex++;
            w.AddTensor(name, new[] { (ulong)shape.Embedding }, GgufWriter.TensorType.F32, () => Ones(shape.Embedding));
        }
        Matrix("token_embd.weight", shape.Embedding, shape.Vocabulary, 1.0);
        Norm("output_norm.weight");
        Matrix("output.weight", shape.Embedding, shape.Vocabulary, 1.0 / Math.Sqrt(shape.Embedding));
        for (var l = 0; l < shape.Layers; l++)
        {
            var s = 1.0 / Math.Sqrt(shape.Embedding);
            Norm($"blk.{l}.attn_norm.weight");
            Matrix($"blk.{l}.attn_q.weight", shape.Embedding, shape.Heads * hd, s);
            Matrix($"blk.{l}.attn_k.weight", shape.Embedding, shape.KvHeads * hd, s);
            Matrix($"blk.{l}.attn_v.weight", shape.Embedding, shape.KvHeads * hd, s);
            Matrix($"blk.{l}.attn_output.weight", shape.Heads * hd, shape.Embedding, s);
            Norm($"blk.{l}.ffn_norm.weight");
            Matrix($"blk.{l}.ffn_gate.weight", shape.Embedding, shape.FeedForward, s);
            Matrix($"blk.{l}.ffn_up.weight", shape.Embedding, shape.FeedForward, s);
            Matrix($"blk.{l}.ffn_down.weight", shape.FeedForward, shape.Embedding, 1.0 / Math.Sqrt(shape.FeedForward));
        }
        w.Write(path);
    }

    private static double Normal(ulong key, long i) => CounterNoise.StandardNormal(CounterNoise.Uniform(key, i));

    private static byte[] F32(ulong seed, int index, int n, double scale)
    {
        var key = CounterNoise.Key(seed, NoiseStreams.SyntheticWeights, "gguf", index);
        var bytes = new byte[n * 4];
        for (var i = 0; i < n; i++) BitConverter.TryWriteBytes(bytes.AsSpan(i * 4), (float)(scale * Normal(key, i)));
        return bytes;
    }

    /// <summary>Q8_0 blocks: an f16 scale d and 32 signed bytes q; value = d·q.</summary>
    private static byte[] Q8(ulong seed, int index, int n, double scale)
    {
        var key = CounterNoise.Key(seed, NoiseStreams.SyntheticWeights, "gguf", index);
        var blocks = n / 32;
        var bytes = new byte[blocks * 34];
        var d = (Half)(scale * 3.0 / 127.0);
        for (var b = 0; b < blocks; b++)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(b * 34), d);
            for (var j = 0; j < 32; j++)
            {
                var q = Math.Clamp(Math.Round(Normal(key, (long)b * 32 + j) * 127.0 / 3.0), -127, 127);
                bytes[b * 34 + 2 + j] = unchecked((byte)(sbyte)q);
            }
        }
        return bytes;
    }

    private static byte[] Ones(int n)
    {
        var bytes = new byte[n * 4];
        for (var i = 0; i < n; i++) BitConverter.TryWriteBytes(bytes.AsSpan(i * 4), 1f);
        return bytes;
    }

    /// <summary>GPT-2's reversible byte → printable-character map: printable Latin-1 bytes map to themselves, the rest to U+0100 onward.</summary>
    public static char[] ByteToUnicode()
    {
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[b] = printable ? (char)b : (char)next++;
        }
        return map;
    }
}
