using System.Text;
using HybridSynth.Scm.Tables;
using HybridSynth.Scm.Variables;

namespace HybridSynth.Scm.IO;

/// <summary>
/// RFC 4180 CSV: a header of column names, then one line per row (\n line ends); categorical values
/// as state names, numbers in shortest round-trip form; fields quoted only when they must be.
/// </summary>
public sealed class CsvTableWriter : Utf8TableWriter
{
    private readonly byte[][]?[] _states;

    /// <summary>A writer of a new file at <paramref name="path"/> (atomic: a temporary file renamed on <see cref="Utf8TableWriter.Commit"/>).</summary>
    public CsvTableWriter(string path, IReadOnlyList<ColumnSchema> schema) : this(new AtomicFile(path), schema) { }

    /// <summary>Writes into <paramref name="file"/> (for example one of an <see cref="ArtifactWriter"/>), which the writer then owns.</summary>
    public CsvTableWriter(AtomicFile file, IReadOnlyList<ColumnSchema> schema) : base(file)
    {
        _states = schema.Select(c => c.Domain is CategoricalDomain d ? d.States.Select(s => Encoding.UTF8.GetBytes(Quote(s))).ToArray() : null).ToArray();
        Output.AppendText(string.Join(",", schema.Select(c => Quote(c.Name))));
        Output.Append((byte)'\n');
    }

    /// <summary>A field quoted as RFC 4180 requires (when it has a comma, a quote or a line break, or leading or trailing spaces, which readers would trim).</summary>
    public static string Quote(string field) =>
        field.IndexOfAny(new[] { ',', '"', '\n', '\r' }) >= 0 || field.Length != field.Trim().Length
            ? "\"" + field.Replace("\"", "\"\"") + "\""
            : field;

    /// <inheritdoc />
    private protected override void Rows(RowBlock block, Utf8RowBuffer output)
    {
        var cols = block.Columns;
        for (var i = 0; i < block.Count; i++)
        {
            for (var c = 0; c < cols.Count; c++)
            {
                if (c > 0) output.Append((byte)',');
                var x = cols[c][i];
                var states = _states[c];
                if (states is not null) output.Append(states[(int)x]);
                else if (double.IsFinite(x)) output.AppendNumber(x);
            }
            output.Append((byte)'\n');
        }
    }
}
