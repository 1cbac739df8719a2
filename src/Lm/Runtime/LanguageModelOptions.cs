namespace HybridSynth.Lm.Runtime;

/// <summary>How a GGUF model is run.</summary>
public sealed record LanguageModelOptions
{
    /// <summary>CPU threads for llama.cpp. Default 1: ggml's barrier spins, and two threads on a busy 2-core machine can be 100× slower.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>KV-cache cells (prompt plus the candidates' trie).</summary>
    public int ContextSize { get; init; } = 2048;

    /// <summary>Logical and physical batch size.</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>Keep the KV cache in F32 (default) so batched and one-at-a-time scores agree closely; F16 halves its memory.</summary>
    public bool FloatKvCache { get; init; } = true;

    /// <summary>Sequences in the unified KV cache: 1 for the prompt plus one per candidate scored at once (at most 256).</summary>
    public int MaxSequences { get; init; } = 64;
}
