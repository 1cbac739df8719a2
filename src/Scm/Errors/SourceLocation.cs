namespace HybridSynth.Scm.Errors;

/// <summary>A position in a spec file: 1-based line and column.</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    /// <summary>Formats as <c>file:line:col</c>, the prefix of every located error.</summary>
    public override string ToString() => $"{File}:{Line}:{Column}";
}
