namespace HybridSynth.Scm.Errors;

/// <summary>
/// An input file that does not exist or cannot be opened (a spec, a data table, a model, a tokenizer), as opposed to a file
/// whose content is wrong (<see cref="SpecException"/>, with its line and column). The CLI reports it on one line and exits 2.
/// </summary>
public sealed class InputFileException : Exception
{
    /// <param name="path">The path as the user gave it.</param>
    /// <param name="problem">What is wrong, e.g. "no such file".</param>
    public InputFileException(string path, string problem = "no such file") : base($"{path}: {problem}")
    {
        Path = path;
    }

    /// <summary>The path as the user gave it.</summary>
    public string Path { get; }

    /// <summary>Throws when <paramref name="path"/> is not an existing file.</summary>
    /// <param name="path">The path to check.</param>
    /// <param name="problem">The message when it is missing.</param>
    public static void RequireFile(string path, string problem = "no such file")
    {
        if (!File.Exists(path)) throw new InputFileException(path, problem);
    }
}
