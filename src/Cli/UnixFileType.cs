using System.Runtime.InteropServices;

namespace HybridSynth.Cli;

/// <summary>
/// Whether a path is a regular file, from lstat(2) on Linux (x64 and arm64; st_mode sits at byte 24
/// and 16 of struct stat there). .NET reports FIFOs and devices as ordinary files, so the output check
/// needs this to refuse them. Elsewhere, or when the call fails, it answers "regular".
/// </summary>
internal static partial class UnixFileType
{
    [LibraryImport("libc", EntryPoint = "lstat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LStat(string path, [Out] byte[] buffer);

    public static bool IsRegular(string path)
    {
        if (!OperatingSystem.IsLinux()) return true;
        var offset = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 24,
            Architecture.Arm64 => 16,
            _ => -1,
        };
        if (offset < 0) return true;
        try
        {
            var buffer = new byte[256];
            if (LStat(path, buffer) != 0) return true;
            var mode = BitConverter.ToUInt32(buffer, offset);
            return (mode & 0xF000) == 0x8000;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return true;
        }
    }
}
