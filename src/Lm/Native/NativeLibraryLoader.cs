using System.Reflection;
using System.Runtime.InteropServices;

namespace HybridSynth.Lm.Native;

/// <summary>
/// Finds the llama.cpp libraries and maps the import names <c>llama</c>, <c>ggml</c> and
/// <c>ggml-base</c> to their files. The folder is <c>$HYBRIDSYNTH_LLAMA_DIR</c> when set (a build of
/// your own, a CUDA one say), otherwise <c>.native/llama-v0.5.0/linux-x64</c> in the first folder
/// above the application or the working directory that has it (where eng/fetch-llama.sh puts it).
/// </summary>
public static class NativeLibraryLoader
{
    public const string EnvironmentVariable = "HYBRIDSYNTH_LLAMA_DIR";
    public const string RelativeFolder = ".native/llama-v0.5.0/linux-x64";

    private static readonly object Gate = new();
    private static string? _directory;

    /// <summary>The folder holding the libraries, or null with the reason when none is found.</summary>
    public static string? FindDirectory(out string reason)
    {
        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(env))
        {
            reason = Directory.Exists(env) ? "" : $"{EnvironmentVariable}={env} is not a folder";
            return Directory.Exists(env) ? Path.GetFullPath(env) : null;
        }
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, RelativeFolder);
                if (File.Exists(Path.Combine(candidate, LibraryFile("llama", candidate) ?? "libllama.v0.5.0.so"))) { reason = ""; return candidate; }
            }
        }
        reason = $"the llama.cpp libraries were not found: run eng/fetch-llama.sh (needs npm), or set {EnvironmentVariable} to a folder with libllama and libggml";
        return null;
    }

    /// <summary>Installs the import resolver once; returns the library folder.</summary>
    public static string Install()
    {
        lock (Gate)
        {
            if (_directory is not null) return _directory;
            var dir = FindDirectory(out var reason) ?? throw new LanguageModelUnavailableException(reason);
            NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLoader).Assembly, (name, assembly, path) =>
            {
                var file = LibraryFile(name, dir);
                return file is null ? IntPtr.Zero : NativeLibrary.Load(Path.Combine(dir, file));
            });
            _directory = dir;
            return dir;
        }
    }

    /// <summary>The file of an import name in the folder: versioned names first (libllama.v0.5.0.so), then plain ones.</summary>
    private static string? LibraryFile(string name, string dir)
    {
        if (name is not ("llama" or "ggml" or "ggml-base")) return null;
        if (!Directory.Exists(dir)) return null;
        var plain = $"lib{name}.so";
        var versioned = Directory.GetFiles(dir, $"lib{name}.v*.so").Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal).FirstOrDefault();
        if (versioned is not null) return versioned;
        return File.Exists(Path.Combine(dir, plain)) ? plain : null;
    }
}

/// <summary>The language-model runtime cannot be used here (libraries missing, layout mismatch, a model that does not load).</summary>
public sealed class LanguageModelUnavailableException(string message) : Exception(message);
