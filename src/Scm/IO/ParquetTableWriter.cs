using HybridSynth.Scm.Tables;
using HybridSynth.Scm.Variables;
using Newtonsoft.Json.Linq;
using Parquet;
using Parquet.Schema;

namespace HybridSynth.Scm.IO;

/// <summary>
/// Apache Parquet (via Parquet.Net, fully managed), Snappy-compressed, in row groups of <see cref="RowGroupRows"/> rows (a
/// function of the column count only, so the bytes do not depend on how the rows arrive: thread count and chunk size); a categorical column holds
/// its state names as strings, dictionary-encoded (the library's rule: unless more than 80% of a group's cells are distinct,
/// as in a group of a few rows), the unit column 64-bit integers, every other column doubles (non-finite
/// as null). The file's key-value metadata <c>hybridsynth.schema</c> records each column's role and domain, as the manifest
/// does. The same blocks give the same bytes. A row group is buffered as 16-bit state codes for a categorical column
/// (doubles beyond 65,536 states), a quarter of the doubles it arrives as.
/// </summary>
public sealed class ParquetTableWriter : ITableWriter
{
    private readonly AtomicFile _file;
    private readonly IReadOnlyList<ColumnSchema> _schema;
    private readonly DataField[] _fields;
    private readonly Array[] _buffer; // per column, the row group so far: ushort state codes (a categorical column of at most 65,536 states), else doubles
    private readonly int _capacity;
    private int _buffered;
    private ParquetWriter? _writer;
    private readonly ReadOnlyMemory<char>[]?[] _stateText;
    private ReadOnlyMemory<char>[]? _textCells;
    private int[]? _present; // definition levels: every categorical cell is present
    private long[]? _unitCells;
    private double?[]? _numberCells;

    /// <summary>Rows per row group: about 8M cells per group, between 1,024 and 131,072 rows.</summary>
    public static int RowGroupRows(int columns) => Math.Clamp(8_000_000 / Math.Max(1, columns), 1024, 131_072);

    /// <summary>A writer of a new file at <paramref name="path"/> (atomic: a temporary file renamed on <see cref="Commit"/>).</summary>
    public ParquetTableWriter(string path, IReadOnlyList<ColumnSchema> schema) : this(new AtomicFile(path), schema) { }

    /// <summary>Writes into <paramref name="file"/> (for example one of an <see cref="ArtifactWriter"/>), which the writer then owns.</summary>
    public ParquetTableWriter(AtomicFile file, IReadOnlyList<ColumnSchema> schema)
    {
        _file = file;
        _schema = schema;
        _fields = schema.Select(c => c.Domain is CategoricalDomain ? new DataField<string>(c.Name)
            : c.Role == ColumnRoles.Unit ? new DataField<long>(c.Name)
            : (DataField)new DataField<double?>(c.Name)).ToArray();
        _capacity = RowGroupRows(schema.Count);
        _buffer = schema.Select(c => c.Domain is CategoricalDomain { Cardinality: <= ushort.MaxValue + 1 } ? new ushort[_capacity] : (Array)new double[_capacity]).ToArray();
        _stateText = new ReadOnlyMemory<char>[schema.Count][];
    }

    private ParquetWriter Writer()
    {
        if (_writer is not null) return _writer;
        var schema = new ParquetSchema(_fields);
        var options = new ParquetOptions { CompressionMethod = CompressionMethod.Snappy };
        // A categorical column is dictionary-encoded (its states once, then bit-packed indices), as pyarrow writes strings;
        // the library encodes strings plain unless a column asks.
        for (var c = 0; c < _fields.Length; c++)
            if (_schema[c].Domain is CategoricalDomain) options.ColumnEncodingHints[_fields[c].Path.ToString()] = EncodingHint.Dictionary;
        _writer = ParquetWriter.CreateAsync(schema, _file.Stream, options).GetAwaiter().GetResult();
        _writer.CustomMetadata = new Dictionary<string, string>
        {
            ["hybridsynth.schema"] = new JArray(_schema.Select(c => new JObject
            {
                ["name"] = c.Name, ["role"] = c.Role,
                ["domain"] = c.Domain is CategoricalDomain d ? new JArray(d.States) : "continuous",
            })).ToString(Newtonsoft.Json.Formatting.None),
        };
        return _writer;
    }

    /// <inheritdoc />
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)] // per-cell loops: optimised from the first block
    public void Write(RowBlock block)
    {
        var capacity = _buffer.Length == 0 ? int.MaxValue : _capacity;
        for (var start = 0; start < block.Count;)
        {
            var take = Math.Min(block.Count - start, capacity - _buffered);
            for (var c = 0; c < _buffer.Length; c++)
            {
                var from = block.Columns[c].AsSpan(start, take);
                if (_buffer[c] is ushort[] codes)
                {
                    var to = codes.AsSpan(_buffered, take);
                    var k = ((CategoricalDomain)_schema[c].Domain).Cardinality;
                    // A bad code is refused, as the text writers refuse it, rather than cut to 16 bits into another state.
                    for (var i = 0; i < to.Length; i++) to[i] = (ushort)StateCodes.Check(from[i], k, c);
                }
                else from.CopyTo(((double[])_buffer[c]).AsSpan(_buffered));
            }
            _buffered += take;
            start += take;
            if (_buffered == capacity) Flush();
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)] // per-cell loops: optimised from the first block
    private void Flush()
    {
        if (_buffered == 0) return;
        using var group = Writer().CreateRowGroup();
        var n = _buffered;
        for (var c = 0; c < _fields.Length; c++)
        {
            Task task;
            if (_schema[c].Domain is CategoricalDomain d)
            {
                // The state names as slices (no string[] per group), every one present: the library's nullable string path would
                // first count the nulls and copy the values out; the definition levels it would make are given.
                var states = _stateText[c] ??= d.States.Select(x => x.AsMemory()).ToArray();
                var cells = _textCells ??= new ReadOnlyMemory<char>[_capacity];
                if (_buffer[c] is ushort[] codes)
                    for (var i = 0; i < n; i++) cells[i] = states[codes[i]];
                else
                    for (var i = 0; i < n; i++) cells[i] = states[(int)((double[])_buffer[c])[i]];
                if (_present is null) Array.Fill(_present = new int[_capacity], _fields[c].MaxDefinitionLevel);
                task = group.WriteAllPartsAsync<ReadOnlyMemory<char>>(_fields[c], cells.AsMemory(0, n), _present.AsMemory(0, n), null, default);
            }
            else if (_schema[c].Role == ColumnRoles.Unit)
            {
                var values = (double[])_buffer[c];
                var cells = _unitCells ??= new long[_capacity];
                for (var i = 0; i < n; i++) cells[i] = (long)values[i];
                task = group.WriteAsync<long>(_fields[c], cells.AsMemory(0, n), null);
            }
            else
            {
                var values = (double[])_buffer[c];
                var cells = _numberCells ??= new double?[_capacity];
                for (var i = 0; i < n; i++) cells[i] = double.IsFinite(values[i]) ? values[i] : null;
                task = group.WriteAsync<double>(_fields[c], cells.AsMemory(0, n), null);
            }
            task.GetAwaiter().GetResult();
        }
        _buffered = 0;
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
        Flush();
        Writer().DisposeAsync().AsTask().GetAwaiter().GetResult(); // writes the footer (a table of no rows is still a valid file with its schema)
        _file.Seal();
        return (_file.Length, _file.Sha256!);
    }

    /// <summary>Deletes the temporary file if the table was not committed.</summary>
    public void Dispose() => _file.Dispose();
}
