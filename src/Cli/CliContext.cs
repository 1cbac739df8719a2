namespace HybridSynth.Cli;

/// <summary>Where a command writes: stdout for results, stderr for messages.</summary>
public sealed record CliContext(TextWriter Out, TextWriter Error)
{
    /// <summary>--quiet: no progress on stderr.</summary>
    public bool Quiet { get; set; }
}
