namespace HybridSynth.Lm.Mechanisms;

/// <summary>Options of an SD-SCM run that are not in the spec (the spec's per-variable settings win where given).</summary>
public sealed record SdScmOptions
{
    /// <summary>Picks one phrasing per variable from its family (recorded in the manifest).</summary>
    public ulong ConfigurationSeed { get; init; }

    /// <summary>
    /// Phrasing indices fixed in advance, by variable name (a published SD-SCM config's choices, made
    /// the published code's way); variables not listed are chosen by <see cref="ConfigurationSeed"/>.
    /// </summary>
    public IReadOnlyDictionary<string, int>? FixedPhrasings { get; init; }

    /// <summary>The scoring mode for variables whose spec does not name one.</summary>
    public ScoringMode Scoring { get; init; } = ScoringMode.ChainRule;

    /// <summary>The temperature for variables whose spec does not give one.</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Score each distinct prompt once (default). Off only to measure what memoisation saves.</summary>
    public bool Memoise { get; init; } = true;

    /// <summary>Exact inference tabulates a language-model mechanism only up to this many parent configurations.</summary>
    public long MaxTabulatedConfigurations { get; init; } = 4096;
}
