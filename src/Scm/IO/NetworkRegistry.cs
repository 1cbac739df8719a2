using HybridSynth.Scm.Errors;

namespace HybridSynth.Scm.IO;

/// <summary>
/// Named networks: <c>bnlearn:NAME</c> is <c>NAME.bif</c> in the networks folder — <c>HYBRIDSYNTH_NETWORKS</c> when set, else
/// <c>HYBRIDSYNTH_SHARED/data/bif</c>, else the first <c>shared/data/bif</c> found beside the current folder or one of its
/// ancestors (so <c>../shared/data/bif</c> from a clone) — next to the built-in specs (<c>builtin:asia</c>).
/// </summary>
public static class NetworkRegistry
{
    /// <summary>The prefix of repository networks.</summary>
    public const string BnlearnPrefix = "bnlearn:";

    /// <summary>The networks folder, or null when none is configured or found.</summary>
    public static string? Directory
    {
        get
        {
            if (Environment.GetEnvironmentVariable("HYBRIDSYNTH_NETWORKS") is { Length: > 0 } networks) return networks;
            if (Environment.GetEnvironmentVariable("HYBRIDSYNTH_SHARED") is { Length: > 0 } shared) return Path.Combine(shared, "data", "bif");
            for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "data", "bif");
                if (System.IO.Directory.Exists(candidate)) return candidate;
            }
            return null;
        }
    }

    /// <summary>The repository networks available, by name, sorted.</summary>
    public static IReadOnlyList<string> Names =>
        Directory is { } d && System.IO.Directory.Exists(d)
            ? System.IO.Directory.GetFiles(d, "*.bif").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>The file of <c>bnlearn:NAME</c>; an <see cref="InputFileException"/> that lists what is available when there is no such network.</summary>
    public static string Resolve(string reference)
    {
        var name = reference[BnlearnPrefix.Length..];
        var dir = Directory ?? throw new InputFileException(reference, "no networks folder; set HYBRIDSYNTH_NETWORKS to a folder of .bif files (the bnlearn repository)");
        var path = Path.Combine(dir, name + ".bif");
        if (name.Length == 0 || name.Contains('/') || name.Contains('\\') || !File.Exists(path))
            throw new InputFileException(reference, $"no such network in {dir}{Suggestions.DidYouMean(name, Names)}; available: {string.Join(", ", Names)}");
        return path;
    }
}
