using System.Text;
using HybridSynth.Lm.Native;
using HybridSynth.Scm.Errors;

namespace HybridSynth.Lm.Runtime;

/// <summary>
/// A GGUF model loaded by llama.cpp with one context (a unified KV cache of
/// <see cref="LanguageModelOptions.MaxSequences"/> sequences). All use of the context is serialised
/// by a lock: one decode at a time. Dispose to free the native memory.
/// </summary>
public sealed unsafe class LanguageModel : IDisposable
{
    private readonly object _gate = new();
    private IntPtr _model;
    private IntPtr _context;

    private LanguageModel(string path, LanguageModelOptions options, IntPtr model, IntPtr context, string sha256)
    {
        Path = path;
        Options = options;
        _model = model;
        _context = context;
        Sha256 = sha256;
        Vocab = LlamaNative.llama_model_get_vocab(model);
        VocabularySize = LlamaNative.llama_vocab_n_tokens(Vocab);
        AddBos = LlamaNative.llama_vocab_get_add_bos(Vocab);
        Bos = LlamaNative.llama_vocab_bos(Vocab);
        Memory = context == IntPtr.Zero ? IntPtr.Zero : LlamaNative.llama_get_memory(context);
        ContextSize = context == IntPtr.Zero ? 0 : (int)LlamaNative.llama_n_ctx(context);
        Parameters = LlamaNative.llama_model_n_params(model);
        var buffer = stackalloc byte[256];
        var n = LlamaNative.llama_model_desc(model, buffer, 256);
        Description = n > 0 ? Encoding.UTF8.GetString(buffer, Math.Min(n, 255)) : "";
    }

    public string Path { get; }
    public string Sha256 { get; }
    public LanguageModelOptions Options { get; }
    public int VocabularySize { get; }
    public bool AddBos { get; }
    public int Bos { get; }
    public int ContextSize { get; }
    public ulong Parameters { get; }
    public string Description { get; }
    public string Version => LlamaBackend.EnsureInitialized();

    internal IntPtr Vocab { get; }
    internal IntPtr Memory { get; }
    internal IntPtr Context => _context != IntPtr.Zero ? _context : throw new ObjectDisposedException(nameof(LanguageModel));
    internal object Gate => _gate;

    /// <summary>Tokens decoded by this model so far (the cost measure of the perf harness).</summary>
    public long TokensEvaluated { get; internal set; }

    /// <summary>
    /// Loads only the vocabulary of a GGUF file (no weights, no context): enough to tokenise, for
    /// example with a vocabulary-only file such as llama.cpp's ggml-vocab-*.gguf. Scoring needs <see cref="Load"/>.
    /// </summary>
    public static LanguageModel LoadVocabulary(string path) => Load(path, new LanguageModelOptions(), vocabularyOnly: true);

    /// <summary>Loads a GGUF file. A missing, non-GGUF or unloadable file is a <see cref="SpecException"/> (one line, exit code 2).</summary>
    public static LanguageModel Load(string path, LanguageModelOptions? options = null) => Load(path, options ?? new LanguageModelOptions(), vocabularyOnly: false);

    private static LanguageModel Load(string path, LanguageModelOptions options, bool vocabularyOnly)
    {
        if (options.Threads < 1) throw new ArgumentOutOfRangeException(nameof(options), "at least one thread is needed");
        if (options.MaxSequences is < 2 or > 256) throw new ArgumentOutOfRangeException(nameof(options), "MaxSequences must be in 2..256");
        if (!File.Exists(path)) throw new SpecException(null, $"{path}: no such file");
        byte[] head = new byte[4];
        using (var f = File.OpenRead(path))
        {
            if (f.Read(head, 0, 4) < 4 || Encoding.ASCII.GetString(head) != "GGUF")
                throw new SpecException(path, 1, 1, "not a GGUF model (the file does not start with the magic 'GGUF')");
        }
        LlamaBackend.EnsureInitialized();
        var mp = LlamaNative.llama_model_default_params();
        mp.NGpuLayers = 0;
        mp.VocabOnly = (byte)(vocabularyOnly ? 1 : 0);
        var bytes = Encoding.UTF8.GetBytes(path + "\0");
        IntPtr model;
        fixed (byte* p = bytes) model = LlamaNative.llama_model_load_from_file(p, mp);
        if (model == IntPtr.Zero)
            throw new SpecException(path, 1, 1, "llama.cpp could not load this GGUF model (corrupt, truncated, or an unsupported architecture); set HYBRIDSYNTH_LLAMA_LOG=1 for its log");
        var sha = Scm.IO.FileDigest.Sha256(path);
        if (vocabularyOnly) return new LanguageModel(path, options, model, IntPtr.Zero, sha);
        var cp = LlamaNative.llama_context_default_params();
        cp.NCtx = (uint)options.ContextSize;
        cp.NBatch = (uint)options.BatchSize;
        cp.NUbatch = (uint)options.BatchSize;
        cp.NSeqMax = (uint)options.MaxSequences;
        cp.NThreads = options.Threads;
        cp.NThreadsBatch = options.Threads;
        cp.KvUnified = 1;
        cp.NoPerf = 1;
        cp.Embeddings = 0;
        // Flash attention off: on the CPU backend it was 1.5–1.8× slower for these short batches (measured with stories260K).
        cp.FlashAttnType = 0;
        // An F32 KV cache (ggml type 0) instead of the default F16 (1): with F16, scores computed from a cached
        // prompt and from one batch differed by up to 2e-4 on long candidates; with F32 they agree to ~1e-6.
        if (options.FloatKvCache) { cp.TypeK = 0; cp.TypeV = 0; }
        var context = LlamaNative.llama_init_from_model(model, cp);
        if (context == IntPtr.Zero)
        {
            LlamaNative.llama_model_free(model);
            throw new LanguageModelUnavailableException($"llama.cpp could not create a context for {path} (context {options.ContextSize}, {options.MaxSequences} sequences)");
        }
        return new LanguageModel(path, options, model, context, sha);
    }

    /// <summary>llama.cpp's tokenisation of <paramref name="text"/>; with <paramref name="addSpecial"/> a BOS is added when the model asks for one.</summary>
    public int[] Tokenize(string text, bool addSpecial)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var capacity = bytes.Length + 8;
        while (true)
        {
            var tokens = new int[capacity];
            int n;
            fixed (byte* p = bytes)
            fixed (int* t = tokens)
                n = LlamaNative.llama_tokenize(Vocab, p, bytes.Length, t, capacity, addSpecial, false);
            if (n >= 0) return tokens[..n];
            if (n == int.MinValue) throw new InvalidOperationException("tokenisation overflow");
            capacity = -n;
        }
    }

    /// <summary>The text of one token.</summary>
    public string Piece(int token)
    {
        var buffer = stackalloc byte[256];
        var n = LlamaNative.llama_token_to_piece(Vocab, token, buffer, 256, 0, true);
        return n <= 0 ? "" : Encoding.UTF8.GetString(buffer, n);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_context != IntPtr.Zero) { LlamaNative.llama_free(_context); _context = IntPtr.Zero; }
            if (_model != IntPtr.Zero) { LlamaNative.llama_model_free(_model); _model = IntPtr.Zero; }
        }
    }
}
