namespace HybridSynth.Scm.Sampling;

/// <summary>Options shared by sampling jobs. None of them changes the values drawn, only what is written and how fast.</summary>
public sealed record SamplingOptions
{
    /// <summary>Units per chunk (memory is about threads × chunk × columns × 8 bytes).</summary>
    public int ChunkSize { get; init; } = 65536;

    /// <summary>Chunks computed at once.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Also write hidden (latent) variables.</summary>
    public bool IncludeHidden { get; init; }

    /// <summary>Also write each variable's exogenous noise (U_name columns, after Φ⁻¹ for Gaussian noise).</summary>
    public bool IncludeNoise { get; init; }

    /// <summary>Write Y(control), Y(treated) and the individual effect when the model has a binary treatment and an outcome.</summary>
    public bool PotentialOutcomes { get; init; } = true;
}
