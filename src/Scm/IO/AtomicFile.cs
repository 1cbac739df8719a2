using System.Security.Cryptography;

namespace HybridSynth.Scm.IO;

/// <summary>
/// A file written under a temporary name in the target's folder and renamed onto the target only on
/// <see cref="Commit"/>; disposing without committing deletes the temporary file. So an
/// interrupted or failed run never leaves a truncated file under the final name. The SHA-256 and
/// length of the bytes written are available after commit.
/// </summary>
public sealed class AtomicFile : IDisposable
{
    private readonly FileStream _file;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private bool _done;

    public AtomicFile(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        var dir = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(dir);
        TempPath = System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileName(Path)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        _file = new FileStream(TempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        Stream = new HashingStream(_file, _hash);
    }

    public string Path { get; }
    public string TempPath { get; }

    /// <summary>Where to write the content.</summary>
    public Stream Stream { get; }

    public long Length { get; private set; }
    public string? Sha256 { get; private set; }

    /// <summary>Flushes to disk and renames the temporary file onto <see cref="Path"/>.</summary>
    public void Commit()
    {
        if (_done) throw new InvalidOperationException("already committed or abandoned");
        Stream.Flush();
        _file.Flush(flushToDisk: true);
        Length = _file.Length;
        _file.Dispose();
        Sha256 = Convert.ToHexStringLower(_hash.GetHashAndReset());
        File.Move(TempPath, Path, overwrite: true);
        _done = true;
    }

    public void Dispose()
    {
        if (!_done)
        {
            _done = true;
            _file.Dispose();
            try { File.Delete(TempPath); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        _hash.Dispose();
    }

    /// <summary>Writes all content to <paramref name="path"/> atomically.</summary>
    public static (long Length, string Sha256) WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        using var f = new AtomicFile(path);
        f.Stream.Write(bytes);
        f.Commit();
        return (f.Length, f.Sha256!);
    }

    private sealed class HashingStream : Stream
    {
        private readonly Stream _inner;
        private readonly IncrementalHash _hash;

        public HashingStream(Stream inner, IncrementalHash hash)
        {
            _inner = inner;
            _hash = hash;
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _inner.Length;
        public override long Position { get => _inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() => _inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _hash.AppendData(buffer);
            _inner.Write(buffer);
        }
    }
}
