using System.Text;
using HybridSynth.Scm.Tables;
using HybridSynth.Scm.Variables;

namespace HybridSynth.Scm.IO;

/// <summary>
/// RFC 4180 CSV: a header of column names, then one line per row (\n line ends); categorical values
/// as state names, numbers in shortest round-trip form; fields quoted only when they must be.
/// </summary>
public sealed class CsvTableWriter : IParallelTableWriter
{
    private readonly AtomicFile _file;
    private readonly Utf8RowBuffer _out;
    private readonly byte[][]?[] _states;

    /// <summary>A writer of a new file at <paramref name="path"/> (atomic: a temporary file renamed on <see cref="Commit"/>).</summary>
    public CsvTableWriter(string path, IReadOnlyList<ColumnSchema> schema) : this(new AtomicFile(path), schema) { }

    /// <summary>Writes into <paramref name="file"/> (for example one of an <see cref="ArtifactWriter"/>), which the writer then owns.</summary>
    public CsvTableWriter(AtomicFile file, IReadOnlyList<ColumnSchema> schema)
    {
        _file = file;
        _out = new Utf8RowBuffer(_file.Stream);
        _states = schema.Select(c => c.Domain is CategoricalDomain d ? d.States.Select(s => Encoding.UTF8.GetBytes(Quote(s))).ToArray() : null).ToArray();
        _out.AppendText(string.Join(",", schema.Select(c => Quote(c.Name))));
        _out.Append((byte)'\n');
    }

    /// <summary>A field quoted as RFC 4180 requires (when it has a comma, a quote or a line break, or leading or trailing spaces, which readers would trim).</summary>
    public static string Quote(string field) =>
        field.IndexOfAny(new[] { ',', '"', '\n', '\r' }) >= 0 || field.Length != field.Trim().Length
            ? "\"" + field.Replace("\"", "\"\"") + "\""
            : field;

    /// <inheritdoc />
    public void Write(RowBlock block) => Rows(block, _out);

    /// <inheritdoc />
    public MemoryStream Format(RowBlock block)
    {
        var bytes = new MemoryStream();
        var buffer = new Utf8RowBuffer(bytes, 1 << 16);
        Rows(block, buffer);
        buffer.Flush();
        return bytes;
    }

    /// <inheritdoc />
    public void WriteFormatted(MemoryStream formatted)
    {
        _out.Flush();
        formatted.WriteTo(_file.Stream);
    }

    private void Rows(RowBlock block, Utf8RowBuffer output)
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
        _out.Flush();
        _file.Prepare();
        return (_file.Length, _file.Sha256!);
    }

    /// <summary>Deletes the temporary file if the table was not committed.</summary>
    public void Dispose() => _file.Dispose();
}
