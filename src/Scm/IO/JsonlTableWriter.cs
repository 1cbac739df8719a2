using System.Text;
using HybridSynth.Scm.Tables;
using HybridSynth.Scm.Variables;
using Newtonsoft.Json;

namespace HybridSynth.Scm.IO;

/// <summary>JSON Lines: one object per row, keys in schema order; state names as strings, numbers as JSON numbers (non-finite as null).</summary>
public sealed class JsonlTableWriter : Utf8TableWriter
{
    private readonly byte[][] _keys;
    private readonly byte[][]?[] _states;

    /// <summary>A writer of a new file at <paramref name="path"/> (atomic: a temporary file renamed on <see cref="Utf8TableWriter.Commit"/>).</summary>
    public JsonlTableWriter(string path, IReadOnlyList<ColumnSchema> schema) : this(new AtomicFile(path), schema) { }

    /// <summary>Writes into <paramref name="file"/> (for example one of an <see cref="ArtifactWriter"/>), which the writer then owns.</summary>
    public JsonlTableWriter(AtomicFile file, IReadOnlyList<ColumnSchema> schema) : base(file)
    {
        _keys = schema.Select((c, i) => Encoding.UTF8.GetBytes((i == 0 ? "{" : ",") + JsonConvert.ToString(c.Name) + ":")).ToArray();
        _states = schema.Select(c => c.Domain is CategoricalDomain d ? d.States.Select(s => Encoding.UTF8.GetBytes(JsonConvert.ToString(s))).ToArray() : null).ToArray();
    }

    /// <inheritdoc />
    private protected override void Rows(RowBlock block, Utf8RowBuffer output)
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
}
