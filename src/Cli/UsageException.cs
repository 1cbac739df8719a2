namespace HybridSynth.Cli;

/// <summary>A bad combination of options, reported as a one-line usage error (exit 2).</summary>
public sealed class UsageException(string message) : Exception(message);
