namespace HybridSynth.Scm.Sampling;

/// <summary>Options shared by sampling jobs. None of them changes the values drawn, only what is written and how fast.</summary>
public sealed record SamplingOptions
{
    /// <summary>Units per chunk (memory is about 2 × threads × chunk × columns × 8 bytes).</summary>
    public int ChunkSize { get; init; } = 65536;

    /// <summary>The chunk the CLI uses by default: about 1 MiB of values (2²⁰ bytes / (8 × columns)), within 256–65,536 units, so
    /// that memory in flight does not grow with the width of the model (ALARM: 3,542 units; munin's 1,041 columns: 256). A chunk
    /// this size stays in the caches while its variables are drawn one after another, and its arrays are small-object-heap
    /// allocations (under 85,000 bytes a column from 10,625 units down), not fresh pages to fault in.</summary>
    /// <param name="columns">Values a unit holds (every world's, when a job samples several).</param>
    /// <param name="bytes">The values a chunk holds: <see cref="DefaultChunkBytes"/>, or <see cref="DepthFirstChunkBytes"/> for a language model's.</param>
    public static int ChunkSizeFor(int columns, long bytes = DefaultChunkBytes) => (int)Math.Clamp(bytes / (8L * Math.Max(1, columns)), 256, 65536);

    /// <summary>The values a default chunk holds: 2²⁰ bytes.</summary>
    public const long DefaultChunkBytes = 1L << 20;

    /// <summary>The values a default chunk of a depth-first (language-model) job holds: 2²² bytes, so that more units share each
    /// prefix the model decodes once per chunk; the model, not the chunk, dominates its time and memory.</summary>
    public const long DepthFirstChunkBytes = 1L << 22;

    /// <summary>Chunks computed at once.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Also write hidden (latent) variables.</summary>
    public bool IncludeHidden { get; init; }

    /// <summary>Also write each variable's exogenous noise (U_name columns, after Φ⁻¹ for Gaussian noise).</summary>
    public bool IncludeNoise { get; init; }

    /// <summary>Write Y(control), Y(treated) and the individual effect when the model has a binary treatment and an outcome.</summary>
    public bool PotentialOutcomes { get; init; } = true;

    /// <summary>With potential outcomes of a categorical outcome: also the unit's whole outcome distribution under each arm, P(Y = y | do(A = a)) given the unit's noise upstream (columns <c>P(Y=y|do(A=a))</c>).</summary>
    public bool OutcomeDistributions { get; init; }

    /// <summary>Also write, for every sampled categorical variable, the distribution it was drawn from in that row (columns <c>P(V=v)</c>).</summary>
    public bool DomainProbabilities { get; init; }

    /// <summary>
    /// Reuse the value columns of chunks whose rows have been written (<see cref="Tables.RowBlock.Release"/>), instead of
    /// allocating fresh ones for every chunk; only for a consumer that keeps no block after writing it (the CLI's own
    /// writers), and only for plain rows (no noise, potential-outcome or probability columns). The values are the same.
    /// </summary>
    public bool RecycleColumns { get; init; }
}
