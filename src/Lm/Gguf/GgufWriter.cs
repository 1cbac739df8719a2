using System.Text;

namespace HybridSynth.Lm.Gguf;

/// <summary>
/// Writes GGUF v3 files: the magic, version, tensor and key-value counts, the key-values, the tensor
/// infos, then the tensor data, each tensor aligned to 32 bytes. Enough to produce test fixtures and
/// benchmark models of any shape (weights are whatever the caller supplies).
/// </summary>
public sealed class GgufWriter
{
    /// <summary>The tensor data alignment in bytes (GGUF's default).</summary>
    public const uint Alignment = 32;

    private enum ValueType : uint { U32 = 4, I32 = 5, F32 = 6, Bool = 7, String = 8, Array = 9 }

    /// <summary>ggml tensor types used here.</summary>
    public enum TensorType : uint
    {
        /// <summary>32-bit floats.</summary>
        F32 = 0,
        /// <summary>16-bit floats.</summary>
        F16 = 1,
        /// <summary>8-bit blocks of 32 values with one f16 scale each.</summary>
        Q8_0 = 8,
    }

    private readonly List<(string Key, Action<BinaryWriter> Write)> _values = new();
    private readonly List<(string Name, ulong[] Shape, TensorType Type, Func<byte[]> Data)> _tensors = new();

    /// <summary>Adds a string metadata value.</summary>
    public GgufWriter Add(string key, string value) => AddRaw(key, w => { w.Write((uint)ValueType.String); WriteString(w, value); });
    /// <summary>Adds an unsigned 32-bit metadata value.</summary>
    public GgufWriter Add(string key, uint value) => AddRaw(key, w => { w.Write((uint)ValueType.U32); w.Write(value); });
    /// <summary>Adds a signed 32-bit metadata value.</summary>
    public GgufWriter Add(string key, int value) => AddRaw(key, w => { w.Write((uint)ValueType.I32); w.Write(value); });
    /// <summary>Adds a 32-bit float metadata value.</summary>
    public GgufWriter Add(string key, float value) => AddRaw(key, w => { w.Write((uint)ValueType.F32); w.Write(value); });
    /// <summary>Adds a boolean metadata value.</summary>
    public GgufWriter Add(string key, bool value) => AddRaw(key, w => { w.Write((uint)ValueType.Bool); w.Write((byte)(value ? 1 : 0)); });

    /// <summary>Adds an array of strings.</summary>
    public GgufWriter Add(string key, IReadOnlyList<string> values) => AddRaw(key, w =>
    {
        w.Write((uint)ValueType.Array);
        w.Write((uint)ValueType.String);
        w.Write((ulong)values.Count);
        foreach (var v in values) WriteString(w, v);
    });

    /// <summary>Adds an array of signed 32-bit integers.</summary>
    public GgufWriter Add(string key, IReadOnlyList<int> values) => AddRaw(key, w =>
    {
        w.Write((uint)ValueType.Array);
        w.Write((uint)ValueType.I32);
        w.Write((ulong)values.Count);
        foreach (var v in values) w.Write(v);
    });

    private GgufWriter AddRaw(string key, Action<BinaryWriter> write)
    {
        _values.Add((key, write));
        return this;
    }

    /// <summary>Adds a tensor; <paramref name="shape"/> lists ne0 (innermost) first. The data is produced when the file is written.</summary>
    public GgufWriter AddTensor(string name, ulong[] shape, TensorType type, Func<byte[]> data)
    {
        _tensors.Add((name, shape, type, data));
        return this;
    }

    /// <summary>The bytes a tensor of that shape and type takes (Q8_0: 34 bytes per block of 32 values).</summary>
    public static ulong ByteSize(ulong[] shape, TensorType type)
    {
        var n = shape.Aggregate(1UL, (a, b) => a * b);
        return type switch
        {
            TensorType.F32 => n * 4,
            TensorType.F16 => n * 2,
            TensorType.Q8_0 => n / 32 * 34,
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
    }

    /// <summary>Writes the header, the metadata, the tensor infos and the aligned tensor data to <paramref name="path"/>.</summary>
    public void Write(string path)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var w = new BinaryWriter(stream, Encoding.UTF8);
        w.Write(Encoding.ASCII.GetBytes("GGUF"));
        w.Write(3u);
        w.Write((ulong)_tensors.Count);
        w.Write((ulong)_values.Count);
        foreach (var (key, write) in _values)
        {
            WriteString(w, key);
            write(w);
        }
        ulong offset = 0;
        foreach (var (name, shape, type, _) in _tensors)
        {
            if (type == TensorType.Q8_0 && shape[0] % 32 != 0) throw new ArgumentException($"{name}: Q8_0 needs ne0 divisible by 32");
            WriteString(w, name);
            w.Write((uint)shape.Length);
            foreach (var d in shape) w.Write(d);
            w.Write((uint)type);
            w.Write(offset);
            offset = Align(offset + ByteSize(shape, type));
        }
        Pad(w);
        var start = stream.Position;
        foreach (var (name, shape, type, data) in _tensors)
        {
            var bytes = data();
            if ((ulong)bytes.Length != ByteSize(shape, type)) throw new ArgumentException($"{name}: {bytes.Length} bytes of data; {ByteSize(shape, type)} expected");
            w.Write(bytes);
            while ((stream.Position - start) % Alignment != 0) w.Write((byte)0);
        }
    }

    private static ulong Align(ulong x) => (x + Alignment - 1) / Alignment * Alignment;

    private static void Pad(BinaryWriter w)
    {
        while (w.BaseStream.Position % Alignment != 0) w.Write((byte)0);
    }

    private static void WriteString(BinaryWriter w, string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }
}
