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
    /// <summary>A writer of a new file at <paramref name="path"/> (atomic: a temporary file renamed on <see cref="Utf8TableWriter.Commit"/>).</summary>
    public CsvTableWriter(string path, IReadOnlyList<ColumnSchema> schema) : this(new AtomicFile(path), schema) { }

    /// <summary>Writes into <paramref name="file"/> (for example one of an <see cref="ArtifactWriter"/>), which the writer then owns.</summary>
    public CsvTableWriter(AtomicFile file, IReadOnlyList<ColumnSchema> schema) : base(file)
    {
        WriteHeader(Encoding.UTF8.GetBytes(string.Join(",", schema.Select(c => Quote(c.Name))) + "\n"));
        // A cell is the field and its separator: a comma, or the line end after the last column.
        var suffixes = schema.Select((_, c) => c == schema.Count - 1 ? "\n"u8.ToArray() : ","u8.ToArray()).ToList();
        Layout(new CellLayout(
            schema.Select((c, i) => c.Domain is CategoricalDomain d ? d.States.Select(s => Encoding.UTF8.GetBytes(Quote(s)).Concat(suffixes[i]).ToArray()).ToArray() : null).ToList(),
            schema.Select(_ => Array.Empty<byte>()).ToList(), suffixes, Array.Empty<byte>(), "\n"u8.ToArray()));
    }

    /// <summary>A field quoted as RFC 4180 requires (when it has a comma, a quote or a line break, or leading or trailing spaces, which readers would trim).</summary>
    public static string Quote(string field) =>
        field.IndexOfAny(new[] { ',', '"', '\n', '\r' }) >= 0 || field.Length != field.Trim().Length
            ? "\"" + field.Replace("\"", "\"\"") + "\""
            : field;
}
