using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using HybridSynth.Lm.Native;

namespace HybridSynth.Lm.Runtime;

/// <summary>
/// One-time start of llama.cpp in this process: resolve the libraries, check the struct layout,
/// silence (or forward) llama.cpp's log, register the CPU backends from the library folder (the
/// library only searches the executable's folder itself), then <c>llama_backend_init</c>.
/// </summary>
public static unsafe class LlamaBackend
{
    private static readonly object Gate = new();
    private static string? _version;

    /// <summary>Set HYBRIDSYNTH_LLAMA_LOG=1 to see llama.cpp's own log on stderr.</summary>
    public const string LogVariable = "HYBRIDSYNTH_LLAMA_LOG";

    /// <summary>Starts the backend (once); returns llama.cpp's version string.</summary>
    /// <exception cref="LanguageModelUnavailableException">Libraries missing or layout mismatch.</exception>
    public static string EnsureInitialized()
    {
        lock (Gate)
        {
            if (_version is not null) return _version;
            var problems = LayoutCheck.CheckDeclarations();
            if (problems.Count > 0) throw new LanguageModelUnavailableException("llama.cpp struct layout mismatch: " + string.Join("; ", problems));
            var dir = NativeLibraryLoader.Install();
            try
            {
                _ = LlamaNative.llama_version();
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
            {
                throw new LanguageModelUnavailableException($"cannot load llama.cpp from {dir}: {e.Message}");
            }
            var version = Marshal.PtrToStringUTF8(LlamaNative.llama_version()) ?? "";
            if (!version.StartsWith("0.5.0", StringComparison.Ordinal))
                throw new LanguageModelUnavailableException($"llama.cpp in {dir} is version '{version}'; this binding is for v0.5.0");
            problems = LayoutCheck.CheckDefaults();
            if (problems.Count > 0) throw new LanguageModelUnavailableException("llama.cpp struct layout mismatch: " + string.Join("; ", problems));
            LlamaNative.llama_log_set(&Log, IntPtr.Zero);
            var bytes = Encoding.UTF8.GetBytes(dir + "\0");
            fixed (byte* p = bytes) LlamaNative.ggml_backend_load_all_from_path(p);
            LlamaNative.llama_backend_init();
            _version = version;
            return version;
        }
    }

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static void Log(int level, IntPtr text, IntPtr userData)
    {
        if (Environment.GetEnvironmentVariable(LogVariable) == "1") Console.Error.Write(Marshal.PtrToStringUTF8(text));
    }
}
