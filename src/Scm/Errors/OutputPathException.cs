namespace HybridSynth.Scm.Errors;

/// <summary>An output path that must not be written (an input, a directory, a link, a device): a usage error.</summary>
public sealed class OutputPathException(string message) : Exception(message);
