using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
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
        _file.Prepare();
        _file.Publish();
        return (_file.Length, _file.Sha256!);
    }

    /// <inheritdoc />
    public (long Length, string Sha256) Finish()
    {
        _file.Seal();
        return (_file.Length, _file.Sha256!);
    }

    /// <summary>Deletes the temporary file if the table was not committed.</summary>
    public void Dispose() => _file.Dispose();

    /// <summary>Buffers kept for reuse: more than the blocks formatted ahead on the workers at once (2 × threads) and the one
    /// being written, so that none is dropped and reallocated; never more are kept than were ever in use at once.</summary>
    private const int PooledBuffers = 16;

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
        if (_pool.Count < PooledBuffers) _pool.Add(buffer);
    }

    /// <summary>The rows of <paramref name="block"/> into <paramref name="dst"/> (sized by <see cref="Rent"/>); returns the bytes written.</summary>
    private int FormatRows(RowBlock block, byte[] dst)
    {
        var layout = _layout!;
        var cols = block.Columns as double[][] ?? block.Columns.ToArray();
        if (cols.Length != layout.Columns) throw new ArgumentException($"the block has {cols.Length} columns, the table {layout.Columns}");
        if (layout.Short is { } cells) return FormatShortCategorical(cells, cols, block.Count, dst);
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

    /// <summary>
    /// The rows of a table whose cells are all categorical and at most 16 bytes, a tile of rows at a time: the tile's
    /// cell indexes are computed column by column (each column read in sequence, eight codes at once where the processor
    /// can), then the cells are written in row order, each as one unaligned 16-byte store, with no branch on its length.
    /// </summary>
    private static int FormatShortCategorical(ShortCells cells, double[][] cols, int count, byte[] dst)
    {
        var tile = Math.Max(TileRows, TileCells / cols.Length);
        var rented = System.Buffers.ArrayPool<int>.Shared.Rent(tile * cols.Length);
        try { return FormatTiles(cells, cols, count, dst, rented, tile); }
        finally { System.Buffers.ArrayPool<int>.Shared.Return(rented); }
    }

    /// <summary>
    /// <see cref="FormatShortCategorical"/>'s loops, apart from its try/finally: a local live across an exception handler is
    /// written to the stack at every assignment, and the output position, kept on the stack, had made each cell wait for
    /// the store and reload of the one before it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int FormatTiles(ShortCells cells, double[][] cols, int count, byte[] dst, int[] index, int tile)
    {
        var width = cols.Length;
        // index[c * tile + r]: the table entry of row r's cell in column c (column-major, so each column's run is filled in sequence).
        var (bases, states) = (cells.Base, cells.States);
        nint pos = 0;
        for (var start = 0; start < count; start += tile)
        {
            var rows = Math.Min(tile, count - start);
            for (var c = 0; c < width; c++)
                Entries(cols[c].AsSpan(start, rows), bases[c], states[c], index.AsSpan(c * tile, rows), c);
            pos = WriteTile(ref MemoryMarshal.GetArrayDataReference(dst), pos, cells, ref MemoryMarshal.GetArrayDataReference(index), rows, width, tile);
        }
        return (int)pos;
    }

    /// <summary>
    /// Writes a tile's rows at <paramref name="pos"/> and returns the position after them: each cell one 16-byte store. A
    /// method of its own (not inlined), so that its few locals all stay in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static nint WriteTile(ref byte d0, nint pos, ShortCells cells, ref int index0, int rows, int width, int tile)
    {
        ref var cell0 = ref MemoryMarshal.GetArrayDataReference(cells.Bytes);
        ref var length0 = ref MemoryMarshal.GetArrayDataReference(cells.Length);
        var end = (nint)width * tile;
        for (var r = 0; r < rows; r++)
        {
            ref var entry = ref Unsafe.Add(ref index0, r);
            for (nint o = 0; o < end; o += tile)
            {
                // An entry is Base[c] + a state code checked by Entries, so it is inside the tables.
                var j = (nint)Unsafe.Add(ref entry, o);
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref d0, pos), Unsafe.Add(ref cell0, j));
                pos += Unsafe.Add(ref length0, j);
            }
        }
        return pos;
    }

    /// <summary>
    /// <paramref name="into"/>[r] = <paramref name="first"/> + the state code <paramref name="codes"/>[r], which must be an
    /// integer in [0, <paramref name="states"/>); eight at a time with AVX-512, four with AVX, one by one for the rest.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Entries(ReadOnlySpan<double> codes, int first, int states, Span<int> into, int column)
    {
        var r = 0;
        ref var x0 = ref MemoryMarshal.GetReference(codes);
        ref var y0 = ref MemoryMarshal.GetReference(into);
        if (Avx512F.IsSupported)
        {
            var (k, b) = (Vector256.Create((uint)states), Vector256.Create(first));
            for (; r + 8 <= codes.Length; r += 8)
            {
                var x = Vector512.LoadUnsafe(ref x0, (nuint)r);
                var code = Avx512F.ConvertToVector256Int32WithTruncation(x);
                // Outside [0, states) as unsigned (a NaN or a huge value converts to int.MinValue), or not a whole number.
                if (Vector256.GreaterThanOrEqualAny(code.AsUInt32(), k)
                    || !Vector512.EqualsAll(Avx512F.ConvertToVector512Double(code), x)) break;
                (code + b).StoreUnsafe(ref y0, (nuint)r);
            }
        }
        else if (Avx.IsSupported)
        {
            var (k, b) = (Vector128.Create((uint)states), Vector128.Create(first));
            for (; r + 4 <= codes.Length; r += 4)
            {
                var x = Vector256.LoadUnsafe(ref x0, (nuint)r);
                var code = Avx.ConvertToVector128Int32WithTruncation(x);
                if (Vector128.GreaterThanOrEqualAny(code.AsUInt32(), k)
                    || !Vector256.EqualsAll(Avx.ConvertToVector256Double(code), x)) break;
                (code + b).StoreUnsafe(ref y0, (nuint)r);
            }
        }
        for (; r < codes.Length; r++) // the tail, and the group that held a bad code (which throws here)
            into[r] = first + StateCodes.Check(codes[r], states, column);
    }

    private const int TileCells = 8192; // a tile's cell indexes: 32 KiB
    private const int TileRows = 32; // at least four vectors of codes a column, however wide the table (munin: 1,041 columns)

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
            if (Columns > 0 && states.All(x => x is not null && x.All(b => b.Length <= 16))) Short = new ShortCells(states!);
        }

        /// <summary>The cells as flat tables when every column is categorical and every cell at most 16 bytes, else null.</summary>
        public ShortCells? Short { get; }

        public int Columns { get; }
        public Cell[]?[] States { get; }
        public Cell[] Prefixes { get; }
        public Cell[] Suffixes { get; }
        public Cell NonFinite { get; }
        public Cell EmptyRow { get; }
        /// <summary>The most bytes a row can take.</summary>
        public int MaxRowBytes { get; }
    }

    /// <summary>Every column's cells in one table, indexed by <see cref="Base"/>[column] + state: the 16 bytes (zero-padded) and the length.</summary>
    private protected sealed class ShortCells
    {
        /// <summary>The table of <paramref name="states"/>' byte strings (each at most 16 bytes).</summary>
        public ShortCells(IReadOnlyList<byte[][]> states)
        {
            Base = new int[states.Count];
            States = states.Select(x => x.Length).ToArray();
            for (var c = 1; c < states.Count; c++) Base[c] = Base[c - 1] + States[c - 1];
            var all = states.SelectMany(x => x).ToArray();
            Bytes = all.Select(b =>
            {
                var padded = new byte[16];
                b.CopyTo(padded, 0);
                return Vector128.Create(padded);
            }).ToArray();
            Length = all.Select(b => b.Length).ToArray();
        }

        public int[] Base { get; }
        public int[] States { get; }
        public Vector128<byte>[] Bytes { get; }
        public int[] Length { get; }
    }
}
