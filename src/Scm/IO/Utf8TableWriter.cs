using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using HybridSynth.Scm.Tables;

namespace HybridSynth.Scm.IO;

/// <summary>
/// The shared engine of the text table writers (CSV, JSON Lines): rows formatted as UTF-8 into a buffer over an
/// <see cref="AtomicFile"/>, either on the calling thread (<see cref="Write"/>) or on workers (<see cref="Format"/>, then
/// <see cref="WriteFormatted"/> in unit order), with the same bytes either way; the file is committed atomically.
/// <para>A row is its cells in column order, each cell fixed bytes per state (<see cref="CellLayout"/>): a categorical
/// cell is one precomputed byte string (its prefix, the state's text and its suffix, such as "NORMAL," or
/// "\"HR\":\"LOW\""), written as one or two unaligned 8-byte stores when it is at most 16 bytes; a numeric cell is its
/// prefix, the shortest round-trip text of the number (or the format's text for a non-finite one) and its suffix. A block
/// is formatted into one buffer sized for its widest possible rows, and buffers are pooled, so formatting allocates
/// nothing per row or per cell.</para>
/// </summary>
public abstract class Utf8TableWriter : IParallelTableWriter
{
    private const int Slack = 16; // room for the 16-byte stores of a cell at the end of a buffer
    private const int NumberBytes = 24; // the longest "R" text of a double: -1.2345678901234567E-308
    private readonly AtomicFile _file;
    private readonly ConcurrentBag<byte[]> _pool = new();
    private CellLayout? _layout;

    /// <summary>A writer into <paramref name="file"/>, which it then owns.</summary>
    private protected Utf8TableWriter(AtomicFile file) => _file = file;

    /// <summary>Writes text before the rows (a header).</summary>
    private protected void WriteHeader(ReadOnlySpan<byte> bytes) => _file.Stream.Write(bytes);

    /// <summary>Sets the cells of every row (called once, by the subclass's constructor).</summary>
    private protected void Layout(CellLayout layout) => _layout = layout;

    /// <inheritdoc />
    public void Write(RowBlock block)
    {
        var buffer = Rent(block);
        var n = FormatRows(block, buffer);
        _file.Stream.Write(buffer, 0, n);
        Return(buffer);
    }

    /// <inheritdoc />
    public MemoryStream Format(RowBlock block)
    {
        var buffer = Rent(block);
        return new MemoryStream(buffer, 0, FormatRows(block, buffer), writable: false, publiclyVisible: true);
    }

    /// <inheritdoc />
    public void WriteFormatted(MemoryStream formatted)
    {
        formatted.WriteTo(_file.Stream);
        if (formatted.TryGetBuffer(out var segment) && segment.Array is { } array) Return(array);
    }

    /// <summary>Finishes the file and renames it into place; returns its length and SHA-256.</summary>
    public (long Length, string Sha256) Commit()
    {
        Finish();
        _file.Publish();
        return (_file.Length, _file.Sha256!);
    }

    /// <inheritdoc />
    public (long Length, string Sha256) Finish()
    {
        _file.Prepare();
        return (_file.Length, _file.Sha256!);
    }

    /// <summary>Deletes the temporary file if the table was not committed.</summary>
    public void Dispose() => _file.Dispose();

    private byte[] Rent(RowBlock block)
    {
        var layout = _layout ?? throw new InvalidOperationException("the writer has no cell layout");
        var needed = (long)block.Count * layout.MaxRowBytes + Slack;
        if (needed > Array.MaxLength) throw new InvalidOperationException($"a block of {block.Count} rows is too wide to format at once");
        while (_pool.TryTake(out var pooled))
            if (pooled.Length >= needed) return pooled;
        return GC.AllocateUninitializedArray<byte>((int)Math.Max(needed, 1 << 16));
    }

    private void Return(byte[] buffer)
    {
        if (_pool.Count < 4) _pool.Add(buffer);
    }

    /// <summary>The rows of <paramref name="block"/> into <paramref name="dst"/> (sized by <see cref="Rent"/>); returns the bytes written.</summary>
    private int FormatRows(RowBlock block, byte[] dst)
    {
        var layout = _layout!;
        var cols = block.Columns as double[][] ?? block.Columns.ToArray();
        if (cols.Length != layout.Columns) throw new ArgumentException($"the block has {cols.Length} columns, the table {layout.Columns}");
        ref var d0 = ref MemoryMarshal.GetArrayDataReference(dst);
        var pos = 0;
        for (var i = 0; i < block.Count; i++)
        {
            if (cols.Length == 0) { Put(ref d0, ref pos, layout.EmptyRow); continue; }
            for (var c = 0; c < cols.Length; c++)
            {
                var x = cols[c][i];
                if (layout.States[c] is { } states)
                {
                    Put(ref d0, ref pos, states[(int)x]);
                    continue;
                }
                Put(ref d0, ref pos, layout.Prefixes[c]);
                if (double.IsFinite(x))
                {
                    if (!x.TryFormat(dst.AsSpan(pos), out var written, "R", CultureInfo.InvariantCulture)) throw new InvalidOperationException("number formatting failed");
                    pos += written;
                }
                else Put(ref d0, ref pos, layout.NonFinite);
                Put(ref d0, ref pos, layout.Suffixes[c]);
            }
        }
        return pos;
    }

    /// <summary>Writes a cell at <paramref name="pos"/>: one or two 8-byte stores (the bytes past its length are overwritten by what follows), or a copy when longer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(ref byte d0, ref int pos, in Cell cell)
    {
        ref var at = ref Unsafe.Add(ref d0, pos);
        if (cell.Length <= 16)
        {
            Unsafe.WriteUnaligned(ref at, cell.Low);
            if (cell.Length > 8) Unsafe.WriteUnaligned(ref Unsafe.Add(ref at, 8), cell.High);
        }
        else Unsafe.CopyBlockUnaligned(ref at, ref cell.Bytes[0], (uint)cell.Length);
        pos += cell.Length;
    }

    /// <summary>One cell's bytes, with its first 16 bytes as two little-endian words for the short stores.</summary>
    private protected readonly struct Cell
    {
        /// <summary>The cell's bytes.</summary>
        public Cell(byte[] bytes)
        {
            Bytes = bytes;
            Length = bytes.Length;
            Span<byte> padded = stackalloc byte[16];
            bytes.AsSpan(0, Math.Min(16, bytes.Length)).CopyTo(padded);
            Low = MemoryMarshal.Read<ulong>(padded);
            High = MemoryMarshal.Read<ulong>(padded[8..]);
        }

        public byte[] Bytes { get; }
        public int Length { get; }
        public ulong Low { get; }
        public ulong High { get; }
    }

    /// <summary>
    /// The cells of a row, per column: a categorical column's bytes per state (prefix, state, suffix, all in one), or a
    /// numeric column's prefix and suffix around its number; <see cref="NonFinite"/> stands for a NaN or infinite number;
    /// <see cref="EmptyRow"/> is a row of a table without columns.
    /// </summary>
    private protected sealed class CellLayout
    {
        /// <summary>A layout from per-column states (null for a numeric column), prefixes and suffixes.</summary>
        public CellLayout(IReadOnlyList<byte[][]?> states, IReadOnlyList<byte[]> prefixes, IReadOnlyList<byte[]> suffixes, byte[] nonFinite, byte[] emptyRow)
        {
            Columns = states.Count;
            States = states.Select(s => s?.Select(b => new Cell(b)).ToArray()).ToArray();
            Prefixes = prefixes.Select(b => new Cell(b)).ToArray();
            Suffixes = suffixes.Select(b => new Cell(b)).ToArray();
            NonFinite = new Cell(nonFinite);
            EmptyRow = new Cell(emptyRow);
            var width = Enumerable.Range(0, Columns).Sum(c => (long)(states[c] is { } s ? s.Max(b => b.Length)
                : prefixes[c].Length + Math.Max(NumberBytes, nonFinite.Length) + suffixes[c].Length));
            MaxRowBytes = (int)Math.Min(int.MaxValue, Math.Max(width, emptyRow.Length));
        }

        public int Columns { get; }
        public Cell[]?[] States { get; }
        public Cell[] Prefixes { get; }
        public Cell[] Suffixes { get; }
        public Cell NonFinite { get; }
        public Cell EmptyRow { get; }
        /// <summary>The most bytes a row can take.</summary>
        public int MaxRowBytes { get; }
    }
}
