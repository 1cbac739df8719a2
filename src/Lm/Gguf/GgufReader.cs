using System.Text;
using HybridSynth.Scm.Errors;

namespace HybridSynth.Lm.Gguf;

/// <summary>
/// Reads the metadata (key/value section) of a GGUF v2/v3 file, without its tensors: enough to take a
/// model's tokenizer out of it (for example to build a GPT-2 BPE <c>vocab.json</c>/<c>merges.txt</c>
/// from a vocabulary-only GGUF). Values are returned as .NET values: integers as long, floats as
/// double, strings, bools, and arrays as object[].
/// </summary>
public static class GgufReader
{
    /// <summary>The GGUF header's metadata (key → value: strings, integers, floats, booleans and arrays of them), without reading the tensors.</summary>
    public static IReadOnlyDictionary<string, object> ReadMetadata(string path)
    {
        using var stream = File.OpenRead(path);
        using var r = new BinaryReader(stream, Encoding.UTF8);
        if (stream.Length < 24 || Encoding.ASCII.GetString(r.ReadBytes(4)) != "GGUF") throw new SpecException(path, 1, 1, "not a GGUF model (the file does not start with the magic 'GGUF')");
        var version = r.ReadUInt32();
        if (version is < 2 or > 3) throw new SpecException(path, 1, 1, $"GGUF version {version} is not supported (2 or 3)");
        _ = r.ReadUInt64();
        var count = r.ReadUInt64();
        var result = new Dictionary<string, object>(StringComparer.Ordinal);
        try
        {
            for (ulong i = 0; i < count; i++)
            {
                var key = ReadString(r);
                result[key] = ReadValue(r, r.ReadUInt32());
            }
        }
        catch (EndOfStreamException)
        {
            throw new SpecException(path, 1, 1, "the GGUF metadata is truncated");
        }
        return result;
    }

    private static string ReadString(BinaryReader r)
    {
        var length = r.ReadUInt64();
        if (length > 1 << 26) throw new InvalidDataException("a GGUF string is implausibly long");
        return Encoding.UTF8.GetString(r.ReadBytes((int)length));
    }

    private static object ReadValue(BinaryReader r, uint type) => type switch
    {
        0 => (long)r.ReadByte(),
        1 => (long)r.ReadSByte(),
        2 => (long)r.ReadUInt16(),
        3 => (long)r.ReadInt16(),
        4 => (long)r.ReadUInt32(),
        5 => (long)r.ReadInt32(),
        6 => (double)r.ReadSingle(),
        7 => r.ReadByte() != 0,
        8 => ReadString(r),
        9 => ReadArray(r),
        10 => (long)r.ReadUInt64(),
        11 => r.ReadInt64(),
        12 => r.ReadDouble(),
        _ => throw new InvalidDataException($"unknown GGUF value type {type}"),
    };

    private static object[] ReadArray(BinaryReader r)
    {
        var type = r.ReadUInt32();
        var n = r.ReadUInt64();
        if (n > 1 << 24) throw new InvalidDataException("a GGUF array is implausibly long");
        var values = new object[n];
        for (ulong i = 0; i < n; i++) values[i] = ReadValue(r, type);
        return values;
    }
}
