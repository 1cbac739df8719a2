using System.Globalization;
using System.Text;
using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Tables;
using HybridSynth.Scm.Variables;

namespace HybridSynth.Scm.IO;

/// <summary>
/// Reads an RFC 4180 CSV file (header row; quoted fields; \n or \r\n line ends) into a
/// <see cref="DataTable"/> typed by a model: every column named like a model variable is read with
/// that variable's domain (state names for categorical variables, numbers otherwise); other columns
/// are ignored. Bad cells give located errors (file:line:col).
/// </summary>
public static class CsvTableReader
{
    /// <summary>The largest magnitude a continuous cell may have: squares and cross-products of the tests stay finite below it.</summary>
    public const double MaxMagnitude = 1e150;

    /// <summary>The table and the model variables that had no column.</summary>
    /// <remarks>One streaming pass: cells are mapped straight to state codes or numbers, never kept as strings,
    /// so memory is the table's columns (4 bytes per categorical and 8 per continuous cell) plus one record.</remarks>
    public static (DataTable Table, IReadOnlyList<string> Missing) Read(string path, CausalModel model, Action<long, long>? progress = null) =>
        CsvRecordStream.ReadFile(path, (records, report) => Parse(records, path, model, report), progress);

    /// <summary>Parses CSV text already in memory against <paramref name="model"/>: the table and the model's observed variables that have no column.</summary>
    public static (DataTable Table, IReadOnlyList<string> Missing) Parse(string text, string file, CausalModel model)
    {
        using var records = new CsvRecordStream(new StringReader(text), file);
        return Parse(records, file, model, null);
    }

    private const int ProgressRows = 1 << 16; // progress is reported every this many rows

    private static (DataTable Table, IReadOnlyList<string> Missing) Parse(CsvRecordStream records, string file, CausalModel model, Action? progress)
    {
        if (!records.Next()) throw new SpecException(file, 1, 1, "the file is empty; expected a header row");
        var headerLine = records.Line;
        var width = records.FieldCount;
        var columnOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var c = 0; c < width; c++)
        {
            var name = records.Field(c).ToString();
            if (!columnOf.TryAdd(name, c)) throw new SpecException(file, headerLine, records.Column(c), $"column '{name}' appears twice in the header");
        }
        var missing = new List<string>();
        var read = new List<ColumnReader>();
        foreach (var v in model.Variables)
        {
            if (columnOf.TryGetValue(v.Name, out var c)) read.Add(new ColumnReader(v, c));
            else missing.Add(v.Name);
        }
        var rows = 0;
        while (records.Next())
        {
            if (records.IsBlank) continue;
            if (read.Count > 0 && records.FieldCount != width)
                throw new SpecException(file, records.Line, 1, $"the row has {records.FieldCount} fields; the header has {width}");
            foreach (var column in read) column.Add(records, file);
            rows++;
            if ((rows & (ProgressRows - 1)) == 0) progress?.Invoke();
        }
        progress?.Invoke();
        var table = new DataTable(rows);
        foreach (var column in read) column.AddTo(table);
        return (table, missing);
    }

    /// <summary>One model variable's column, filled chunk by chunk (so no array is ever copied to grow).</summary>
    private sealed class ColumnReader(Variable variable, int column)
    {
        private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>>? _codes = variable.Domain is CategoricalDomain d
            ? d.States.Select((s, k) => (s, k)).ToDictionary(x => x.s, x => x.k, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>()
            : null;
        private readonly ChunkedColumn<int> _codeColumn = new();
        private readonly ChunkedColumn<double> _valueColumn = new();

        public void Add(CsvRecordStream r, string file)
        {
            var text = r.Field(column);
            if (_codes is { } lookup)
            {
                if (!lookup.TryGetValue(text, out var code))
                    throw new SpecException(file, r.FieldLine(column), r.Column(column),
                        $"'{text}' is not a state of '{variable.Name}'; expected one of: {string.Join(", ", variable.Categorical.States)}");
                _codeColumn.Add(code);
                return;
            }
            if (!CsvNumber.TryParse(text, out var x) || !double.IsFinite(x))
                throw new SpecException(file, r.FieldLine(column), r.Column(column), $"expected a finite number for '{variable.Name}', found '{text}'");
            if (Math.Abs(x) >= MaxMagnitude)
                throw new SpecException(file, r.FieldLine(column), r.Column(column), $"'{text}' for '{variable.Name}' is too large: values must be below 1e150 in magnitude (sums of squares of larger ones overflow); rescale the column");
            _valueColumn.Add(x);
        }

        public void AddTo(DataTable table)
        {
            // Each column's chunks are released as it is assembled.
            if (_codes is not null) table.AddCategorical(variable, _codeColumn.Drain());
            else table.AddContinuous(variable, _valueColumn.Drain());
        }
    }

    /// <summary>One field of a record.</summary>
    /// <param name="Text">The field's text, unquoted.</param>
    /// <param name="Column">The 1-based column where it starts.</param>
    public readonly record struct CsvField(string Text, int Column);

    /// <summary>One record of a CSV file.</summary>
    /// <param name="Line">The 1-based line where it starts.</param>
    /// <param name="Fields">Its fields.</param>
    public sealed record CsvRecord(int Line, List<CsvField> Fields);

    /// <summary>Splits CSV text into records of fields, with the line and column where each starts.</summary>
    public static IEnumerable<CsvRecord> Records(string text, string file)
    {
        using var records = new CsvRecordStream(new StringReader(text), file);
        while (records.Next())
        {
            var fields = new List<CsvField>(records.FieldCount);
            for (var k = 0; k < records.FieldCount; k++) fields.Add(new CsvField(records.Field(k).ToString(), records.Column(k)));
            yield return new CsvRecord(records.Line, fields);
        }
    }
}
