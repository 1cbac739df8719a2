using System.Runtime.InteropServices;
using LLama.Exceptions;
using LLama.Native;

namespace HybridSynth.Lm.Llama;

/// <summary>
/// The one-time start of llama.cpp through LLamaSharp: the native library is chosen by LLamaSharp
/// from the backend package that the application references (LLamaSharp.Backend.Cpu here, with its
/// noavx/avx/avx2/avx512 variants; a CUDA or Vulkan backend package when the user swaps it in), or
/// from <c>$HYBRIDSYNTH_LLAMA_LIBRARY</c> (a libllama of one's own build). llama.cpp's log is
/// silent unless <c>HYBRIDSYNTH_LLAMA_LOG=1</c>.
/// </summary>
public static class LlamaRuntime
{
    /// <summary>Set to 1 to see llama.cpp's own log on stderr.</summary>
    public const string LogVariable = "HYBRIDSYNTH_LLAMA_LOG";

    /// <summary>A path to a libllama to load instead of the backend package's.</summary>
    public const string LibraryVariable = "HYBRIDSYNTH_LLAMA_LIBRARY";

    private static readonly object Gate = new();
    private static LlamaBackendInfo? _info;

    /// <summary>Starts llama.cpp (once) and describes the backend it loaded.</summary>
    /// <exception cref="LanguageModelUnavailableException">No native library could be loaded.</exception>
    public static LlamaBackendInfo EnsureInitialized()
    {
        lock (Gate)
        {
            if (_info is not null) return _info;
            try
            {
                if (!NativeLibraryConfig.LLama.LibraryHasLoaded)
                {
                    var custom = Environment.GetEnvironmentVariable(LibraryVariable);
                    if (!string.IsNullOrEmpty(custom)) NativeLibraryConfig.LLama.WithLibrary(custom);
                    NativeLibraryConfig.All.WithLogCallback(Log);
                }
                NativeApi.llama_empty_call();
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or TypeInitializationException or RuntimeError or InvalidOperationException)
            {
                throw new LanguageModelUnavailableException($"cannot load llama.cpp through LLamaSharp: {(e.InnerException ?? e).Message.Split('\n')[0]}");
            }
            var lib = NativeApi.GetLoadedNativeLibrary(NativeLibraryName.LLama);
            var meta = lib?.Metadata;
            var devices = new List<string>();
            var count = (long)NativeApi.ggml_backend_dev_count();
            for (long i = 0; i < count; i++)
                devices.Add(Marshal.PtrToStringUTF8(NativeApi.ggml_backend_dev_name(NativeApi.ggml_backend_dev_get((nuint)i))) ?? "?");
            var variant = meta is null ? "custom" : meta.UseCuda ? "cuda" : meta.UseVulkan ? "vulkan" : "cpu-" + meta.AvxLevel.ToString().ToLowerInvariant();
            _info = new LlamaBackendInfo(LlamaBackendInfo.PackageVersion, variant, NativeApi.llama_supports_gpu_offload(), devices,
                Marshal.PtrToStringUTF8(NativeApi.llama_print_system_info())?.Trim() ?? "");
            return _info;
        }
    }

    private static void Log(LLamaLogLevel level, string message)
    {
        if (Environment.GetEnvironmentVariable(LogVariable) == "1") Console.Error.Write(message);
    }
}

/// <summary>The llama.cpp backend this process loaded: LLamaSharp's version, the native variant (cpu-avx2, cuda, …), whether it can offload to a GPU, the ggml devices and llama.cpp's system information.</summary>
public sealed record LlamaBackendInfo(string LlamaSharpVersion, string Variant, bool GpuOffload, IReadOnlyList<string> Devices, string SystemInfo)
{
    /// <summary>The LLamaSharp version pinned in Directory.Packages.props (the assembly carries no version of its own; a test keeps the two equal).</summary>
    public const string PackageVersion = "0.30.0";

    /// <summary>llama.cpp's commit in the LLamaSharp 0.30.0 backend packages.</summary>
    public const string LlamaCppCommit = "c0c7e147";
}
