namespace HybridSynth.Cli;

/// <summary>The process exit codes of every verb.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>A run-time failure (an output that cannot be written, an internal error).</summary>
    public const int Failure = 1;
    /// <summary>Bad input or usage: a malformed spec, an unknown variable, a bad option.</summary>
    public const int BadInput = 2;
}
