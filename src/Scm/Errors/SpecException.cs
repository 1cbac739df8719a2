namespace HybridSynth.Scm.Errors;

/// <summary>
/// A model specification (BIF, JSON, an intervention) that cannot be accepted. Carries the
/// position of the offending text when one exists, so that the CLI can print one line
/// <c>file:line:col: message</c>.
/// </summary>
public sealed class SpecException : Exception
{
    /// <summary>An error at <paramref name="location"/> (null when it has no file position).</summary>
    public SpecException(SourceLocation? location, string message) : base(message)
    {
        Location = location;
    }

    /// <summary>An error at line <paramref name="line"/>, column <paramref name="column"/> (both from 1) of <paramref name="file"/>.</summary>
    public SpecException(string file, int line, int column, string message)
        : this(new SourceLocation(file, line, column), message) { }

    /// <summary>Where the problem is, or null when it has no file position (a command-line argument).</summary>
    public SourceLocation? Location { get; }

    /// <summary>The one-line form shown to users.</summary>
    public string ToOneLine() => Location is null ? Message : $"{Location}: {Message}";
}
