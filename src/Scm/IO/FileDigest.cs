using System.Security.Cryptography;

namespace HybridSynth.Scm.IO;

/// <summary>SHA-256 of a file, streamed, in lower-case hex (how manifests identify their inputs).</summary>
public static class FileDigest
{
    /// <summary>The SHA-256 of a file's bytes, lowercase hex.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
