using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace HybridSynth.Scm.IO;

/// <summary>
/// A file written under a temporary name in the target's folder and renamed onto the target only on
/// <see cref="Commit"/>; disposing without committing deletes the temporary file. So an
/// interrupted or failed run never leaves a truncated file under the final name. The SHA-256 and
/// length of the bytes written are available once the file is sealed.
/// <para>The bytes reach the disk while the file is still being written: every <see cref="WritebackBytes"/> written, a
/// flush to disk of what is written so far starts on a background thread (when the previous one has finished), so the
/// flush that must precede the rename (<see cref="Prepare"/>) has only the last stretch left. <see cref="Seal"/> starts that
/// last flush in the background too, so a run's manifest can be made while its table goes to disk.</para>
/// </summary>
public sealed class AtomicFile : IDisposable
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> Pending = new(StringComparer.Ordinal);
    private readonly SafeFileHandle _handle;
    private readonly DiskStream _disk;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private bool _done, _sealed, _prepared;

    /// <summary>Bytes written between two background flushes to disk (32 MiB).</summary>
    public const long WritebackBytes = 32L << 20;

    /// <summary>A new temporary file beside <paramref name="path"/> (named <c>.NAME.tmp-PID-GUID</c>), renamed onto it on commit.</summary>
    public AtomicFile(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        var dir = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(dir);
        RemoveStaleTemporaries(Path);
        TempPath = System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileName(Path)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        _handle = File.OpenHandle(TempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        Pending[TempPath] = 0;
        _disk = new DiskStream(_handle);
        Stream = new HashingStream(_disk, _hash);
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

    /// <summary>The bytes written, known once the file is sealed.</summary>
    public long Length { get; private set; }
    /// <summary>The SHA-256 of the content (lowercase hex), known once the file is sealed.</summary>
    public string? Sha256 { get; private set; }

    /// <summary>Flushes to disk and renames the temporary file onto <see cref="Path"/>.</summary>
    public void Commit()
    {
        Prepare();
        Publish();
    }

    /// <summary>
    /// Ends the content: every byte is handed to the operating system, <see cref="Length"/> and <see cref="Sha256"/> are
    /// known, and the flush to disk runs in the background (<see cref="Prepare"/> waits for it). Nothing may be written after it.
    /// </summary>
    public void Seal()
    {
        if (_done) throw new InvalidOperationException("already committed or abandoned");
        if (_sealed) return;
        Stream.Flush();
        _disk.StartFinalWriteback();
        Length = _disk.Position;
        Sha256 = Convert.ToHexStringLower(_hash.GetHashAndReset());
        _sealed = true;
    }

    /// <summary>Seals the file and waits until it is on disk (<see cref="Length"/> and <see cref="Sha256"/> known), without renaming it yet.</summary>
    public void Prepare()
    {
        Seal();
        if (_prepared) return;
        _disk.WaitForWriteback();
        _handle.Dispose();
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
            _disk.AbandonWriteback();
            _handle.Dispose();
            try { File.Delete(TempPath); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            Pending.TryRemove(TempPath, out _);
        }
        _hash.Dispose();
    }

    /// <summary>
    /// Appends to the file through its handle (small writes gathered in a 64 KiB buffer), starting a flush to disk of
    /// what is written on a background thread every <see cref="WritebackBytes"/>; a failed flush is raised by the next
    /// write or by <see cref="WaitForWriteback"/>.
    /// </summary>
    private sealed class DiskStream : Stream
    {
        private readonly SafeFileHandle _handle;
        private readonly byte[] _buffer = new byte[1 << 16];
        private int _buffered;
        private long _offset, _flushedUpTo;
        private Task? _writeback;
        private bool _ended;

        public DiskStream(SafeFileHandle handle) => _handle = handle;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Position;
        public override long Position { get => _offset + _buffered; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> bytes)
        {
            if (_ended) throw new InvalidOperationException("the file is sealed: nothing more can be written");
            if (_buffered + bytes.Length <= _buffer.Length)
            {
                bytes.CopyTo(_buffer.AsSpan(_buffered));
                _buffered += bytes.Length;
                return;
            }
            Flush();
            if (bytes.Length < _buffer.Length)
            {
                bytes.CopyTo(_buffer);
                _buffered = bytes.Length;
                return;
            }
            Append(bytes);
        }

        /// <summary>Hands the buffered bytes to the operating system (not to disk).</summary>
        public override void Flush()
        {
            if (_buffered == 0) return;
            Append(_buffer.AsSpan(0, _buffered));
            _buffered = 0;
        }

        private void Append(ReadOnlySpan<byte> bytes)
        {
            RandomAccess.Write(_handle, bytes, _offset);
            _offset += bytes.Length;
            if (_offset - _flushedUpTo < WritebackBytes || _writeback is { IsCompleted: false }) return;
            _writeback?.GetAwaiter().GetResult(); // raises a failed flush
            _flushedUpTo = _offset;
            _writeback = Task.Run(() => RandomAccess.FlushToDisk(_handle));
        }

        /// <summary>Starts the flush to disk of everything written (after the one in flight).</summary>
        public void StartFinalWriteback()
        {
            Flush();
            _ended = true;
            var before = _writeback;
            _writeback = Task.Run(() =>
            {
                before?.GetAwaiter().GetResult();
                RandomAccess.FlushToDisk(_handle);
            });
        }

        /// <summary>Waits for the flushes to disk; raises a failure of any of them.</summary>
        public void WaitForWriteback() => _writeback?.GetAwaiter().GetResult();

        /// <summary>Waits for a flush in flight, ignoring its outcome (the file is being deleted).</summary>
        public void AbandonWriteback()
        {
            try { _writeback?.Wait(); }
            catch (AggregateException) { }
        }
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
