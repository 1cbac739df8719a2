using System.Globalization;
using System.Text;

namespace HybridSynth.Scm.IO;

/// <summary>A growable UTF-8 byte buffer that flushes to a stream when full; the shared engine of the table writers.</summary>
internal sealed class Utf8RowBuffer
{
    private readonly Stream _stream;
    private readonly byte[] _buffer;
    private int _length;

    public Utf8RowBuffer(Stream stream, int capacity = 1 << 20)
    {
        _stream = stream;
        _buffer = new byte[capacity];
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_length + bytes.Length > _buffer.Length)
        {
            Flush();
            if (bytes.Length > _buffer.Length) { _stream.Write(bytes); return; }
        }
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    public void Append(byte b)
    {
        if (_length == _buffer.Length) Flush();
        _buffer[_length++] = b;
    }

    /// <summary>The shortest text that round-trips to the same double (invariant culture).</summary>
    public void AppendNumber(double x)
    {
        if (_length + 32 > _buffer.Length) Flush();
        if (!x.TryFormat(_buffer.AsSpan(_length), out var written, "R", CultureInfo.InvariantCulture))
            throw new InvalidOperationException("number formatting failed");
        _length += written;
    }

    public void AppendText(string s) => Append(Encoding.UTF8.GetBytes(s));

    public void Flush()
    {
        _stream.Write(_buffer, 0, _length);
        _length = 0;
    }
}
