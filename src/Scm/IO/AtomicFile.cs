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
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> Pending = new(StringComparer.Ordinal);
    private readonly FileStream _file;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private bool _done, _prepared;

    /// <summary>A new temporary file beside <paramref name="path"/> (named <c>.NAME.tmp-PID-GUID</c>), renamed onto it on commit.</summary>
    public AtomicFile(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        var dir = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(dir);
        RemoveStaleTemporaries(Path);
        TempPath = System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileName(Path)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        _file = new FileStream(TempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        Pending[TempPath] = 0;
        Stream = new HashingStream(_file, _hash);
    }

    /// <summary>
    /// Deletes every temporary file not yet committed by this process (the SIGINT/SIGTERM handler calls
    /// it before the process ends, so an interrupted run leaves nothing behind).
    /// </summary>
    public static void DeleteAllPending()
    {
        foreach (var temp in Pending.Keys)
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            Pending.TryRemove(temp, out _);
        }
    }

    /// <summary>
    /// Removes the temporary files of earlier writes to the same target whose process is gone (after a
    /// SIGKILL): files named <c>.NAME.tmp-PID-GUID</c> in the target's folder whose PID runs no process.
    /// </summary>
    public static int RemoveStaleTemporaries(string target)
    {
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(target))!;
        var prefix = $".{System.IO.Path.GetFileName(target)}.tmp-";
        var removed = 0;
        if (!Directory.Exists(dir)) return 0;
        foreach (var file in Directory.EnumerateFiles(dir, prefix + "*"))
        {
            var rest = System.IO.Path.GetFileName(file)[prefix.Length..];
            var dash = rest.IndexOf('-');
            if (dash <= 0 || !int.TryParse(rest[..dash], out var pid) || rest.Length - dash - 1 != 32) continue;
            if (pid == Environment.ProcessId || IsRunning(pid)) continue;
            try { File.Delete(file); removed++; } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        return removed;
    }

    private static bool IsRunning(int pid)
    {
        if (OperatingSystem.IsLinux()) return Directory.Exists($"/proc/{pid}");
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The path the file is committed to.</summary>
    public string Path { get; }
    /// <summary>The temporary file written until then.</summary>
    public string TempPath { get; }

    /// <summary>Where to write the content.</summary>
    public Stream Stream { get; }

    /// <summary>The bytes written so far.</summary>
    public long Length { get; private set; }
    /// <summary>The SHA-256 of the content (lowercase hex), known once the file is prepared.</summary>
    public string? Sha256 { get; private set; }

    /// <summary>Flushes to disk and renames the temporary file onto <see cref="Path"/>.</summary>
    public void Commit()
    {
        Prepare();
        Publish();
    }

    /// <summary>Finishes the content (flushed to disk, <see cref="Length"/> and <see cref="Sha256"/> known) without renaming it yet.</summary>
    public void Prepare()
    {
        if (_done) throw new InvalidOperationException("already committed or abandoned");
        if (_prepared) return;
        Stream.Flush();
        _file.Flush(flushToDisk: true);
        Length = _file.Length;
        _file.Dispose();
        Sha256 = Convert.ToHexStringLower(_hash.GetHashAndReset());
        _prepared = true;
    }

    /// <summary>Renames the prepared file onto <see cref="Path"/>.</summary>
    public void Publish()
    {
        if (!_prepared || _done) throw new InvalidOperationException("prepare the file first (once)");
        File.Move(TempPath, Path, overwrite: true);
        Pending.TryRemove(TempPath, out _);
        _done = true;
    }

    /// <summary>Deletes the temporary file if it was not committed.</summary>
    public void Dispose()
    {
        if (!_done)
        {
            _done = true;
            _file.Dispose();
            try { File.Delete(TempPath); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            Pending.TryRemove(TempPath, out _);
        }
        _hash.Dispose();
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
