using System.Text;
using HybridSynth.Scm.Tables;
using HybridSynth.Scm.Variables;
using Newtonsoft.Json;

namespace HybridSynth.Scm.IO;

/// <summary>JSON Lines: one object per row, keys in schema order; state names as strings, numbers as JSON numbers (non-finite as null).</summary>
public sealed class JsonlTableWriter : IParallelTableWriter
{
    private readonly AtomicFile _file;
    private readonly Utf8RowBuffer _out;
    private readonly byte[][] _keys;
    private readonly byte[][]?[] _states;

    /// <summary>A writer of a new file at <paramref name="path"/> (atomic: a temporary file renamed on <see cref="Commit"/>).</summary>
    public JsonlTableWriter(string path, IReadOnlyList<ColumnSchema> schema) : this(new AtomicFile(path), schema) { }

    /// <summary>Writes into <paramref name="file"/> (for example one of an <see cref="ArtifactWriter"/>), which the writer then owns.</summary>
    public JsonlTableWriter(AtomicFile file, IReadOnlyList<ColumnSchema> schema)
    {
        _file = file;
        _out = new Utf8RowBuffer(_file.Stream);
        _keys = schema.Select((c, i) => Encoding.UTF8.GetBytes((i == 0 ? "{" : ",") + JsonConvert.ToString(c.Name) + ":")).ToArray();
        _states = schema.Select(c => c.Domain is CategoricalDomain d ? d.States.Select(s => Encoding.UTF8.GetBytes(JsonConvert.ToString(s))).ToArray() : null).ToArray();
    }

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
                output.Append(_keys[c]);
                var x = cols[c][i];
                var states = _states[c];
                if (states is not null) output.Append(states[(int)x]);
                else if (double.IsFinite(x)) output.AppendNumber(x);
                else output.Append("null"u8);
            }
            output.Append(cols.Count == 0 ? "{}\n"u8 : "}\n"u8);
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
