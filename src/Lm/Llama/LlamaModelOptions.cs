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
    /// The default thread count: every core, at most 8. The llama.cpp build of LLamaSharp 0.30.0 runs its
    /// graph on OpenMP (its system information says OPENMP = 1), whose workers block after a short spin:
    /// on a 2-core machine 2 threads made the 135M-shaped model 1.8× and stories260K 1.1× faster than 1.
    /// (The previous runtime's build used ggml's own thread pool, whose workers spin at a barrier after
    /// every operation; there 2 threads on 2 cores were 13–80× slower, because any other thread of the
    /// process or the machine preempted one worker once per operation.)
    /// </summary>
    public static int DefaultThreads => Math.Clamp(Environment.ProcessorCount, 1, 8);

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
