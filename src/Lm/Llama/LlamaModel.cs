using System.Text;
using HybridSynth.Lm.Scoring;
using HybridSynth.Scm.Errors;
using LLama.Exceptions;
using LLama.Native;

namespace HybridSynth.Lm.Llama;

/// <summary>
/// A GGUF model run by llama.cpp through LLamaSharp, with one context: a unified KV cache of
/// <see cref="LlamaModelOptions.MaxSequences"/> sequences. All use of the context is serialised by a
/// lock (one decode at a time).
/// <para>Scoring (<see cref="ScoringStrategy.PrefixCache"/>, the default): sequence 0 holds the KV cache
/// of the last prompt, decoded as a fixed plan of segments (the parents' sentences, and at most
/// <see cref="LlamaModelOptions.BatchSize"/> tokens each) that depends only on the prompt itself. A new
/// prompt keeps the leading segments whose tokens and plan equal the cached ones, removes the rest and
/// decodes only its own remaining segments; the candidates' token trie is then decoded as one batch in
/// which each node is one token carrying every candidate's sequence that passes through it. Because
/// each prompt is always computed by the same decode calls on the same cells, a score does not depend
/// on which prompts came before: kept and freshly decoded prefixes give bit-identical results (a test
/// checks it), so memoised output is the same for any thread count, chunk size or order of calls.</para>
/// </summary>
public sealed class LlamaModel : ILanguageModel, IPromptLogProbabilities
{
    private readonly object _gate = new();
    private readonly SafeLlamaModelHandle _model;
    private readonly SafeLLamaContextHandle? _context;
    private readonly LLamaBatch _batch = new();
    private readonly Lineage _lineage = new();
    private long _decoded, _reused, _decodes, _prompts, _hits;

    private LlamaModel(string path, LlamaModelOptions options, SafeLlamaModelHandle model, SafeLLamaContextHandle? context, string sha256, LlamaBackendInfo backend, int gpuLayers)
    {
        Path = path;
        Options = options;
        _model = model;
        _context = context;
        Backend = backend;
        GpuLayers = gpuLayers;
        VocabularySize = model.Vocab.Count;
        Bos = model.Vocab.BOS is { } b ? (int)b : -1;
        AddsBos = model.Vocab.ShouldAddBOS;
        ContextSize = context is null ? 0 : (int)context.ContextSize;
        BatchSize = context is null ? 0 : (int)context.BatchSize;
        MaxSequences = context is null ? 0 : (int)context.MaxSeq;
        Identity = new ModelIdentity("llama.cpp", System.IO.Path.GetFileName(path), sha256, new SortedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["path"] = path,
            ["sha256"] = sha256,
            ["description"] = model.Description,
            ["parameters"] = model.ParameterCount,
            ["layers"] = model.LayerCount,
            ["vocabulary"] = VocabularySize,
            ["context"] = ContextSize,
            ["threads"] = options.Threads,
            ["gpu_layers"] = gpuLayers,
            ["kv_cache"] = options.FloatKvCache ? "f32" : "f16",
            ["strategy"] = options.Strategy.ToString(),
            ["backend"] = $"LLamaSharp {backend.LlamaSharpVersion} (llama.cpp {LlamaBackendInfo.LlamaCppCommit}), {backend.Variant}",
            ["devices"] = string.Join(", ", backend.Devices),
        });
    }

    /// <summary>The GGUF file.</summary>
    public string Path { get; }
    /// <summary>The options it was loaded with.</summary>
    public LlamaModelOptions Options { get; }
    /// <summary>The llama.cpp backend in use (CPU, CUDA…).</summary>
    public LlamaBackendInfo Backend { get; }
    /// <inheritdoc />
    public ModelIdentity Identity { get; }
    /// <summary>The number of tokens in the vocabulary.</summary>
    public int VocabularySize { get; }
    /// <summary>The beginning-of-sequence token.</summary>
    public int Bos { get; }
    /// <summary>True when tokenising with special tokens adds BOS.</summary>
    public bool AddsBos { get; }
    /// <inheritdoc />
    public int ContextSize { get; }

    /// <summary>Tokens per decode call (the requested batch size, capped at the context).</summary>
    public int BatchSize { get; }

    /// <summary>Sequences of the context (the prompt's and one per candidate scored at once).</summary>
    public int MaxSequences { get; }

    /// <summary>Layers offloaded to a GPU (0 on the CPU backend).</summary>
    public int GpuLayers { get; }

    /// <inheritdoc />
    public LanguageModelStatistics Statistics
    {
        get
        {
            lock (_gate) return new LanguageModelStatistics { TokensDecoded = _decoded, TokensReused = _reused, Decodes = _decodes, PromptsScored = _prompts, PrefixHits = _hits };
        }
    }

    /// <summary>
    /// Loads only the vocabulary of a GGUF file (no weights, no context): enough to tokenise, for
    /// example with a vocabulary-only file such as llama.cpp's ggml-vocab-*.gguf. Scoring needs <see cref="Load"/>.
    /// </summary>
    public static LlamaModel LoadVocabulary(string path) => Load(path, new LlamaModelOptions(), vocabularyOnly: true);

    /// <summary>Loads a GGUF file. A missing, non-GGUF or unloadable file is a <see cref="SpecException"/> (one line, exit code 2).</summary>
    public static LlamaModel Load(string path, LlamaModelOptions? options = null) => Load(path, options ?? new LlamaModelOptions(), vocabularyOnly: false);

    private static LlamaModel Load(string path, LlamaModelOptions options, bool vocabularyOnly)
    {
        if (options.Threads < 1 || options.Threads > LlamaModelOptions.MaxThreads)
            throw new ArgumentOutOfRangeException(nameof(options), $"the thread count must be in 1..{LlamaModelOptions.MaxThreads} (the cores of this machine)");
        if (options.MaxSequences is < 2 or > 256) throw new ArgumentOutOfRangeException(nameof(options), "MaxSequences must be in 2..256");
        if (options.ContextSize is < 64 or > 1 << 20) throw new ArgumentOutOfRangeException(nameof(options), "the context must be in 64..1048576 tokens");
        if (options.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), "the batch size must be ≥ 1");
        if (options.GpuLayers is < 0) throw new ArgumentOutOfRangeException(nameof(options), "the GPU layer count must be ≥ 0");
        InputFileException.RequireFile(path);
        var head = new byte[4];
        using (var f = File.OpenRead(path))
        {
            if (f.Read(head, 0, 4) < 4 || Encoding.ASCII.GetString(head) != "GGUF")
                throw new SpecException(path, 1, 1, "not a GGUF model (the file does not start with the magic 'GGUF')");
        }
        var backend = LlamaRuntime.EnsureInitialized();
        var mp = LLamaModelParams.Default();
        var gpuLayers = options.GpuLayers ?? (backend.GpuOffload ? 9999 : 0);
        mp.n_gpu_layers = gpuLayers;
        mp.vocab_only = vocabularyOnly;
        SafeLlamaModelHandle model;
        try
        {
            model = SafeLlamaModelHandle.LoadFromFile(path, mp);
        }
        catch (Exception e) when (e is LoadWeightsFailedException or RuntimeError or InvalidOperationException)
        {
            throw new SpecException(path, 1, 1, $"llama.cpp could not load this GGUF model (corrupt, truncated, or an unsupported architecture); set {LlamaRuntime.LogVariable}=1 for its log");
        }
        var sha = Scm.IO.FileDigest.Sha256(path);
        if (gpuLayers > 0) gpuLayers = Math.Min(gpuLayers, model.LayerCount + 1);
        if (vocabularyOnly) return new LlamaModel(path, options, model, null, sha, backend, 0);
        var cp = LLamaContextParams.Default();
        cp.n_ctx = (uint)options.ContextSize;
        // llama.cpp asserts that a batch fits the context: cap the batch at the context size.
        cp.n_batch = (uint)Math.Min(options.BatchSize, options.ContextSize);
        cp.n_ubatch = cp.n_batch;
        cp.n_seq_max = (uint)options.MaxSequences;
        cp.n_threads = options.Threads;
        cp.n_threads_batch = options.Threads;
        cp.kv_unified = true;
        cp.no_perf = true;
        cp.embeddings = false;
        // Flash attention off: on the CPU backend it was 1.5–1.8× slower for these short batches (measured with stories260K).
        cp.llama_flash_attn_type = LLamaFlashAttentionType.LLAMA_FLASH_ATTENTION_TYPE_DISABLED;
        // An F32 KV cache instead of the default F16: with F16, scores computed from a cached prompt and
        // from one batch differed by up to 2e-4 on long candidates; with F32 they agree to ~1e-6.
        if (options.FloatKvCache) { cp.type_k = GGMLType.GGML_TYPE_F32; cp.type_v = GGMLType.GGML_TYPE_F32; }
        SafeLLamaContextHandle context;
        try
        {
            context = SafeLLamaContextHandle.Create(model, cp);
        }
        catch (Exception e) when (e is RuntimeError or InvalidOperationException)
        {
            model.Dispose();
            throw new LanguageModelUnavailableException($"llama.cpp could not create a context for {path} (context {options.ContextSize}, {options.MaxSequences} sequences): {e.Message}");
        }
        return new LlamaModel(path, options, model, context, sha, backend, gpuLayers);
    }

    private SafeLLamaContextHandle Context => _context ?? throw new InvalidOperationException("this model was loaded for its vocabulary only");

    /// <inheritdoc />
    public int[] Tokenize(string text, bool addSpecial)
    {
        var tokens = _model.Tokenize(text, addSpecial, false, Encoding.UTF8);
        var result = new int[tokens.Length];
        for (var i = 0; i < tokens.Length; i++) result[i] = (int)tokens[i];
        return result;
    }

    /// <inheritdoc />
    public string Piece(int token) => Encoding.UTF8.GetString(PieceBytes(token, special: true));

    private byte[] PieceBytes(int token, bool special)
    {
        Span<byte> buffer = stackalloc byte[256];
        var n = (int)_model.TokenToSpan((LLamaToken)token, buffer, 0, special);
        if (n > buffer.Length)
        {
            var big = new byte[n];
            n = (int)_model.TokenToSpan((LLamaToken)token, big, 0, special);
            return big[..n];
        }
        return buffer[..n].ToArray();
    }

    /// <inheritdoc />
    public double[] Score(string prompt, IReadOnlyList<string> candidates, ScoringMode mode, IReadOnlyList<int>? segments = null)
    {
        lock (_gate)
        {
            var tokens = ContinuationTokens.Of(this, prompt, candidates, mode);
            _prompts++;
            if (Options.Strategy == ScoringStrategy.Naive) return Naive(tokens, mode);
            var plan = Plan(prompt, tokens.Context, Options.Strategy == ScoringStrategy.PrefixCache ? segments : null);
            var lastLogits = DecodeContext(tokens.Context, plan, keep: Options.Strategy == ScoringStrategy.PrefixCache);
            return mode == ScoringMode.ChainRule
                ? TrieChainRule(tokens, lastLogits)
                : TrieReference(tokens);
        }
    }

    /// <summary>
    /// The decode plan of a context: the ends of its decode calls. Segment boundaries (character
    /// offsets) map to token counts as the longest common prefix of the context and the tokens of the
    /// prompt's text up to the boundary, a function of the prompt alone; no call exceeds the batch size.
    /// </summary>
    private List<int> Plan(string prompt, int[] context, IReadOnlyList<int>? segments)
    {
        var ends = new List<int>();
        var previous = 0;
        void Add(int end)
        {
            while (end - previous > BatchSize) { previous += BatchSize; ends.Add(previous); }
            if (end > previous) { ends.Add(end); previous = end; }
        }
        if (segments is not null)
        {
            foreach (var offset in segments)
            {
                if (offset <= 0 || offset >= prompt.Length) continue;
                var head = Tokenize(prompt[..offset], addSpecial: true);
                var k = 0;
                while (k < head.Length && k < context.Length && head[k] == context[k]) k++;
                if (k > previous && k < context.Length) Add(k);
            }
        }
        Add(context.Length);
        return ends;
    }

    /// <summary>Brings sequence 0 to <paramref name="context"/> decoded by <paramref name="plan"/>; returns the logits after its last token.</summary>
    private float[] DecodeContext(int[] context, List<int> plan, bool keep)
    {
        var ctx = Context;
        var kept = 0;
        if (keep)
        {
            while (kept < plan.Count && kept < _lineage.Ends.Count && _lineage.Ends[kept] == plan[kept]
                   && _lineage.Tokens.AsSpan(kept == 0 ? 0 : plan[kept - 1], plan[kept] - (kept == 0 ? 0 : plan[kept - 1]))
                       .SequenceEqual(context.AsSpan(kept == 0 ? 0 : plan[kept - 1], plan[kept] - (kept == 0 ? 0 : plan[kept - 1]))))
                kept++;
        }
        var keptEnd = kept == 0 ? 0 : plan[kept - 1];
        if (kept == 0) ctx.MemoryClear(true);
        else ctx.MemorySequenceRemove((LLamaSeqId)0, (LLamaPos)keptEnd, (LLamaPos)(-1));
        _lineage.Truncate(kept);
        if (kept > 0) { _hits++; _reused += keptEnd; }
        for (var s = kept; s < plan.Count; s++)
        {
            var start = s == 0 ? 0 : plan[s - 1];
            _batch.Clear();
            for (var i = start; i < plan[s]; i++) _batch.Add((LLamaToken)context[i], (LLamaPos)i, (LLamaSeqId)0, i == plan[s] - 1);
            Decode(plan[s] - start);
            _lineage.Append(context.AsSpan(start, plan[s] - start), plan[s], ctx.GetLogitsIth(_batch.TokenCount - 1).ToArray());
        }
        return _lineage.Logits[^1];
    }

    private void Decode(int count)
    {
        var rc = Context.Decode(_batch);
        _decodes++;
        _decoded += count;
        if (rc != DecodeResult.Ok)
        {
            _lineage.Truncate(0);
            Context.MemoryClear(true);
            throw new InvalidOperationException(rc == DecodeResult.NoKvSlot
                ? $"llama.cpp found no KV-cache slot for {count} tokens; raise the context size (now {ContextSize})"
                : $"llama.cpp could not decode a batch of {count} tokens ({rc})");
        }
    }

    /// <summary>Candidates in groups that fit the context's sequences (sequence 0 keeps the prompt).</summary>
    private IEnumerable<int[]> Groups(int count)
    {
        var group = MaxSequences - 1;
        for (var start = 0; start < count; start += group)
            yield return Enumerable.Range(start, Math.Min(group, count - start)).ToArray();
    }

    private double[] TrieChainRule(ContinuationTokens tokens, float[] contextLogits)
    {
        var context = tokens.Context;
        var scores = new double[tokens.Candidates.Length];
        var lse = CandidateScorer.LogSumExp(contextLogits);
        for (var k = 0; k < scores.Length; k++) scores[k] = contextLogits[tokens.Candidates[k][0]] - lse;
        foreach (var members in Groups(scores.Length))
        {
            var trie = new TokenTrie(members.Select(k => tokens.Candidates[k]).ToArray());
            var nodes = trie.Internal;
            if (nodes.Count == 0) continue;
            var rows = DecodeTrie(context.Length, members.Length, nodes, n => n.Continuing, _ => true, trie.All.Count);
            for (var m = 0; m < members.Length; m++)
            {
                var path = trie.Paths[m];
                for (var d = 1; d < path.Length; d++) scores[members[m]] += rows[path[d - 1]][path[d].Token];
            }
        }
        return scores;
    }

    private double[] TrieReference(ContinuationTokens tokens)
    {
        var context = tokens.Context;
        var scores = new double[tokens.Candidates.Length];
        foreach (var members in Groups(scores.Length))
        {
            var trie = new TokenTrie(members.Select(k => tokens.Candidates[k]).ToArray());
            var rows = DecodeTrie(context.Length, members.Length, trie.ByDepth, n => n.Through, n => n.Ending.Count > 0, trie.All.Count);
            for (var m = 0; m < members.Length; m++)
            {
                var own = trie.Candidates[m];
                var row = rows[trie.Paths[m][^1]];
                scores[members[m]] = own.Average(t => row[t]);
            }
        }
        return scores;
    }

    /// <summary>Copies sequence 0 to the group's sequences, decodes the trie nodes and returns the log-softmax row of each output node.</summary>
    private Dictionary<TokenTrie.Node, double[]> DecodeTrie(int contextLength, int members, IReadOnlyList<TokenTrie.Node> nodes,
        Func<TokenTrie.Node, List<int>> sequencesOf, Func<TokenTrie.Node, bool> output, int trieSize)
    {
        if (contextLength + trieSize > ContextSize)
            throw new InvalidOperationException($"the prompt ({contextLength} tokens) and the candidates' trie ({trieSize} tokens) do not fit the context of {ContextSize}; raise the context size");
        var ctx = Context;
        for (var m = 0; m < members; m++) ctx.MemorySequenceCopy((LLamaSeqId)0, (LLamaSeqId)(m + 1), (LLamaPos)0, (LLamaPos)(-1));
        var rows = new Dictionary<TokenTrie.Node, double[]>();
        Span<LLamaSeqId> seqs = stackalloc LLamaSeqId[MaxSequences];
        try
        {
            for (var start = 0; start < nodes.Count; start += BatchSize)
            {
                var count = Math.Min(BatchSize, nodes.Count - start);
                _batch.Clear();
                for (var i = 0; i < count; i++)
                {
                    var n = nodes[start + i];
                    var list = sequencesOf(n);
                    for (var s = 0; s < list.Count; s++) seqs[s] = (LLamaSeqId)(list[s] + 1);
                    _batch.Add((LLamaToken)n.Token, (LLamaPos)(contextLength + n.Depth - 1), seqs[..list.Count], output(n));
                }
                Decode(count);
                for (var i = 0; i < count; i++)
                {
                    var n = nodes[start + i];
                    if (!output(n)) continue;
                    var logits = ctx.GetLogitsIth(i);
                    var lse = CandidateScorer.LogSumExp(logits);
                    var row = new double[logits.Length];
                    for (var t = 0; t < row.Length; t++) row[t] = logits[t] - lse;
                    rows[n] = row;
                }
            }
        }
        finally
        {
            for (var m = 0; m < members; m++) ctx.MemorySequenceRemove((LLamaSeqId)(m + 1), (LLamaPos)0, (LLamaPos)(-1));
        }
        return rows;
    }

    /// <summary>One candidate at a time from an empty cache (the reference the trie is tested against, and the "naive" cost).</summary>
    private double[] Naive(ContinuationTokens tokens, ScoringMode mode)
    {
        var ctx = Context;
        var context = tokens.Context;
        var scores = new double[tokens.Candidates.Length];
        _lineage.Truncate(0);
        for (var k = 0; k < scores.Length; k++)
        {
            var own = tokens.Candidates[k];
            var sequence = context.Concat(own).ToArray();
            if (sequence.Length > ContextSize) throw new InvalidOperationException($"the prompt and candidate ({sequence.Length} tokens) do not fit the context of {ContextSize}; raise the context size");
            ctx.MemoryClear(true);
            var outputs = new List<int>();
            for (var start = 0; start < sequence.Length; start += BatchSize)
            {
                var count = Math.Min(BatchSize, sequence.Length - start);
                _batch.Clear();
                for (var i = start; i < start + count; i++)
                {
                    var wanted = mode == ScoringMode.ChainRule ? i >= context.Length - 1 && i < sequence.Length - 1 : i == sequence.Length - 1;
                    _batch.Add((LLamaToken)sequence[i], (LLamaPos)i, (LLamaSeqId)0, wanted);
                }
                Decode(count);
                for (var i = start; i < start + count; i++)
                {
                    var wanted = mode == ScoringMode.ChainRule ? i >= context.Length - 1 && i < sequence.Length - 1 : i == sequence.Length - 1;
                    if (!wanted) continue;
                    var logits = ctx.GetLogitsIth(i - start);
                    if (mode == ScoringMode.ChainRule) scores[k] += CandidateScorer.LogProbabilities(logits, new[] { sequence[i + 1] })[0];
                    else scores[k] = CandidateScorer.LogProbabilities(logits, own).Average();
                }
            }
        }
        ctx.MemoryClear(true);
        return scores;
    }

    /// <summary>
    /// log p(token_i | tokens before i) for every token after the first (element 0 is NaN): what an
    /// OpenAI-compatible server echoes as prompt log-probabilities. One sequence from an empty cache.
    /// </summary>
    public double[] PromptLogProbabilities(IReadOnlyList<int> tokens)
    {
        if (tokens.Count > ContextSize) throw new InvalidOperationException($"{tokens.Count} tokens do not fit the context of {ContextSize}");
        lock (_gate)
        {
            var ctx = Context;
            _lineage.Truncate(0);
            ctx.MemoryClear(true);
            var result = new double[tokens.Count];
            result[0] = double.NaN;
            try
            {
                for (var start = 0; start < tokens.Count; start += BatchSize)
                {
                    var count = Math.Min(BatchSize, tokens.Count - start);
                    _batch.Clear();
                    for (var i = start; i < start + count; i++) _batch.Add((LLamaToken)tokens[i], (LLamaPos)i, (LLamaSeqId)0, i < tokens.Count - 1);
                    Decode(count);
                    for (var i = start; i < start + count && i < tokens.Count - 1; i++)
                        result[i + 1] = CandidateScorer.LogProbabilities(ctx.GetLogitsIth(i - start), new[] { tokens[i + 1] })[0];
                }
            }
            finally
            {
                ctx.MemoryClear(true);
            }
            return result;
        }
    }

    /// <inheritdoc />
    public string Generate(string prompt, GenerationRequest request) => Generate(() => Tokenize(prompt, addSpecial: true), request);

    /// <summary>
    /// The chat template the GGUF file carries (<c>tokenizer.chat_template</c>), if llama.cpp recognises it; null for a
    /// model without one (a base model such as stories260K), which chats through <see cref="ChatTranscript.Plain"/>.
    /// </summary>
    public string? ChatTemplate
    {
        get
        {
            lock (_gate)
            {
                var template = _model.MetadataValueByKey("tokenizer.chat_template");
                return template is { } t && t.Length > 0 ? Encoding.UTF8.GetString(t.Span) : null;
            }
        }
    }

    /// <inheritdoc />
    public string ChatPrompt(IReadOnlyList<ChatMessage> messages)
    {
        if (ChatTemplate is null) return ChatTranscript.Plain(messages);
        lock (_gate)
        {
            try
            {
                var template = new LLama.LLamaTemplate(_model, null, strict: false) { AddAssistant = true };
                foreach (var m in messages) template.Add(m.Role, m.Content);
                return Encoding.UTF8.GetString(template.Apply());
            }
            catch (Exception e) when (e is RuntimeError or InvalidOperationException or ArgumentException)
            {
                throw new LanguageModelUnavailableException($"llama.cpp cannot apply the chat template of {System.IO.Path.GetFileName(Path)}: {e.Message}");
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>The templated prompt is tokenised with its control tokens parsed (<c>&lt;|im_start|&gt;</c> is one token), and a BOS is added only when the template did not write one.</remarks>
    public string Chat(IReadOnlyList<ChatMessage> messages, GenerationRequest request)
    {
        if (ChatTemplate is null) return Generate(ChatPrompt(messages), request);
        var prompt = ChatPrompt(messages);
        return Generate(() =>
        {
            var tokens = _model.Tokenize(prompt, AddsBos, true, Encoding.UTF8).Select(t => (int)t).ToArray();
            return tokens.Length > 1 && tokens[0] == Bos && tokens[1] == Bos ? tokens[1..] : tokens;
        }, request);
    }

    private string Generate(Func<int[]> promptTokens, GenerationRequest request)
    {
        if (request.MaxTokens < 1) throw new ArgumentOutOfRangeException(nameof(request), "the token budget must be ≥ 1");
        lock (_gate)
        {
            var ctx = Context;
            using var chain = SafeLLamaSamplerChainHandle.Create(LLamaSamplerChainParams.Default());
            if (request.Gbnf is { } gbnf)
            {
                try
                {
                    chain.AddGrammar(_model.Vocab, gbnf, "root");
                }
                catch (Exception e) when (e is RuntimeError or InvalidOperationException or ArgumentException)
                {
                    throw new ArgumentException($"llama.cpp rejected the grammar (set {LlamaRuntime.LogVariable}=1 for its message)", nameof(request), e);
                }
            }
            if (request.Temperature <= 0) chain.AddGreedySampler();
            else
            {
                chain.AddTemperature((float)request.Temperature);
                chain.AddDistributionSampler(request.Seed);
            }
            var tokens = promptTokens();
            if (tokens.Length + request.MaxTokens > ContextSize)
                throw new ArgumentException($"the prompt ({tokens.Length} tokens) and the budget ({request.MaxTokens}) exceed the context of {ContextSize}; shorten the prompt, lower the budget or raise the context");
            _lineage.Truncate(0);
            ctx.MemoryClear(true);
            try
            {
                for (var start = 0; start < tokens.Length; start += BatchSize)
                {
                    var count = Math.Min(BatchSize, tokens.Length - start);
                    _batch.Clear();
                    for (var i = start; i < start + count; i++) _batch.Add((LLamaToken)tokens[i], (LLamaPos)i, (LLamaSeqId)0, i == tokens.Length - 1);
                    Decode(count);
                }
                var bytes = new List<byte>();
                var eos = _model.Vocab.EOS;
                var eot = _model.Vocab.EOT;
                for (var k = 0; k < request.MaxTokens; k++)
                {
                    // llama_sampler_sample also accepts the token into the chain (the grammar advances): never accept it twice.
                    var token = chain.Sample(ctx, -1);
                    if (token == eos || token == eot) break;
                    bytes.AddRange(PieceBytes((int)token, special: false));
                    _batch.Clear();
                    _batch.Add(token, (LLamaPos)(tokens.Length + k), (LLamaSeqId)0, true);
                    Decode(1);
                }
                return Encoding.UTF8.GetString(bytes.ToArray());
            }
            finally
            {
                ctx.MemoryClear(true);
            }
        }
    }

    /// <summary>Frees the context and the model.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _context?.Dispose();
            _model.Dispose();
        }
    }

    /// <summary>What sequence 0 holds: its tokens, the ends of the decode calls that produced them, and the logits after each call's last token.</summary>
    private sealed class Lineage
    {
        public int[] Tokens = new int[256];
        public readonly List<int> Ends = new();
        public readonly List<float[]> Logits = new();

        public void Truncate(int segments)
        {
            if (segments >= Ends.Count) return;
            Ends.RemoveRange(segments, Ends.Count - segments);
            Logits.RemoveRange(segments, Logits.Count - segments);
        }

        public void Append(ReadOnlySpan<int> tokens, int end, float[] logits)
        {
            if (Tokens.Length < end) Array.Resize(ref Tokens, Math.Max(end, Tokens.Length * 2));
            tokens.CopyTo(Tokens.AsSpan(end - tokens.Length));
            Ends.Add(end);
            Logits.Add(logits);
        }
    }
}
