namespace HybridSynth.Lm.Llama;

/// <summary>How a prompt's candidates are scored (the perf harness compares them; results agree within 1e-4).</summary>
public enum ScoringStrategy
{
    /// <summary>Every candidate from an empty cache, one at a time (the published code's cost).</summary>
    Naive,

    /// <summary>The prompt decoded once from an empty cache, the candidates' token trie in one batch.</summary>
    Trie,

    /// <summary>The default: <see cref="Trie"/>, and the KV cache of the previous prompt's segments kept and reused where the new prompt starts with them.</summary>
    PrefixCache,
}

/// <summary>How a GGUF model is run by llama.cpp.</summary>
public sealed record LlamaModelOptions
{
    /// <summary>The most llama.cpp threads this process allows (more than the cores only oversubscribes ggml's spinning barrier).</summary>
    public static int MaxThreads => Math.Max(1, Environment.ProcessorCount);

    /// <summary>
    /// The default thread count: half the cores (at most 8), at least 1. ggml's worker threads
    /// spin at a barrier after every operation; with as many threads as cores, any other thread of the
    /// process (the sampler, the garbage collector) or of the machine preempts one worker and the
    /// others spin until it is scheduled again, once per graph node. On a 2-core machine that made
    /// 2 threads 13–80× slower than 1.
    /// </summary>
    public static int DefaultThreads => Math.Clamp(Environment.ProcessorCount / 2, 1, 8);

    /// <summary>CPU threads for llama.cpp (1..<see cref="MaxThreads"/>).</summary>
    public int Threads { get; init; } = DefaultThreads;

    /// <summary>KV-cache cells (prompt plus the candidates' trie, or prompt plus generated text).</summary>
    public int ContextSize { get; init; } = 2048;

    /// <summary>Tokens per decode call; capped at the context size (llama.cpp refuses larger batches).</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>Layers offloaded to a GPU: null = all when a GPU backend is loaded, else 0.</summary>
    public int? GpuLayers { get; init; }

    /// <summary>Keep the KV cache in F32 (default) so batched and one-at-a-time scores agree closely; F16 halves its memory.</summary>
    public bool FloatKvCache { get; init; } = true;

    /// <summary>Sequences in the unified KV cache: 1 for the prompt plus one per candidate scored at once (2..256). Larger domains are scored in several groups.</summary>
    public int MaxSequences { get; init; } = 64;

    /// <summary>How candidates are scored.</summary>
    public ScoringStrategy Strategy { get; init; } = ScoringStrategy.PrefixCache;
}
