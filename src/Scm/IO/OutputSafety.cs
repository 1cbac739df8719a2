using HybridSynth.Scm.Errors;

namespace HybridSynth.Scm.IO;

/// <summary>
/// Checks an output path before anything is written to it: it must not be one of the run's inputs
/// (compared after resolving symbolic links), and when it exists it must be a regular file — not a
/// directory, a symbolic link, a FIFO or a device, which renaming a temporary file onto it would
/// replace. Each refusal is an <see cref="OutputPathException"/> (one line, exit code 2).
/// </summary>
public static class OutputSafety
{
    /// <summary>
    /// Tells whether an existing path that is neither a directory nor a symbolic link is a regular file
    /// (FIFOs and devices look like files to .NET). Set by the application where the platform can tell
    /// (the CLI uses lstat on Linux); null means every such path counts as regular.
    /// </summary>
    public static Func<string, bool>? IsRegularFile { get; set; }

    /// <summary>The path with every symbolic link resolved, in the folders above it too (the path itself where nothing is a link).</summary>
    public static string RealPath(string path) => RealPath(path, 0);

    private static string RealPath(string path, int depth)
    {
        var full = Path.GetFullPath(path);
        var parent = Path.GetDirectoryName(full);
        if (parent is null || depth > 40) return full;
        var candidate = Path.Combine(RealPath(parent, depth + 1), Path.GetFileName(full));
        try
        {
            FileSystemInfo info = Directory.Exists(candidate) ? new DirectoryInfo(candidate) : new FileInfo(candidate);
            if (info.LinkTarget is null) return candidate;
            var target = info.ResolveLinkTarget(returnFinalTarget: true);
            return target is null ? candidate : RealPath(target.FullName, depth + 1);
        }
        catch (IOException) { return candidate; }
        catch (UnauthorizedAccessException) { return candidate; }
    }

    /// <summary>Refuses <paramref name="output"/> as an output path when it is one of <paramref name="inputs"/>, a directory, a link or a special file (an <see cref="OutputPathException"/>).</summary>
    public static void CheckTarget(string output, IEnumerable<string?> inputs)
    {
        if (string.IsNullOrWhiteSpace(output)) throw new OutputPathException("the output path is empty");
        var full = Path.GetFullPath(output);
        var real = RealPath(full);
        foreach (var input in inputs)
        {
            if (string.IsNullOrEmpty(input) || input.StartsWith(SpecLoader.BuiltinPrefix, StringComparison.Ordinal)) continue;
            if (string.Equals(RealPath(input), real, StringComparison.Ordinal))
                throw new OutputPathException($"refusing to write {output}: it is the input {input} (give another -o)");
        }
        if (Directory.Exists(full)) throw new OutputPathException($"refusing to write {output}: it is a directory");
        var info = new FileInfo(full);
        if (info.LinkTarget is not null) throw new OutputPathException($"refusing to write {output}: it is a symbolic link (to {info.LinkTarget}); give the real path");
        if (info.Exists && IsRegularFile is { } regular && !regular(full))
            throw new OutputPathException($"refusing to write {output}: it is not a regular file (a FIFO, socket or device)");
    }
}
