using System.Text;
using HybridSynth.Scm.Tables;
using HybridSynth.Scm.Variables;
using Newtonsoft.Json;

namespace HybridSynth.Scm.IO;

/// <summary>JSON Lines: one object per row, keys in schema order; state names as strings, numbers as JSON numbers (non-finite as null).</summary>
public sealed class JsonlTableWriter : Utf8TableWriter
{
    /// <summary>A writer of a new file at <paramref name="path"/> (atomic: a temporary file renamed on <see cref="Utf8TableWriter.Commit"/>).</summary>
    public JsonlTableWriter(string path, IReadOnlyList<ColumnSchema> schema) : this(new AtomicFile(path), schema) { }

    /// <summary>Writes into <paramref name="file"/> (for example one of an <see cref="ArtifactWriter"/>), which the writer then owns.</summary>
    public JsonlTableWriter(AtomicFile file, IReadOnlyList<ColumnSchema> schema) : base(file)
    {
        // A cell is its key (after "{" or ","), its value and, after the last column, the object's end and the line end.
        var keys = schema.Select((c, i) => Encoding.UTF8.GetBytes((i == 0 ? "{" : ",") + JsonConvert.ToString(c.Name) + ":")).ToList();
        var suffixes = schema.Select((_, c) => c == schema.Count - 1 ? "}\n"u8.ToArray() : Array.Empty<byte>()).ToList();
        Layout(new CellLayout(
            schema.Select((c, i) => c.Domain is CategoricalDomain d
                ? d.States.Select(s => keys[i].Concat(Encoding.UTF8.GetBytes(JsonConvert.ToString(s))).Concat(suffixes[i]).ToArray()).ToArray() : null).ToList(),
            keys, suffixes, "null"u8.ToArray(), "{}\n"u8.ToArray()));
    }
}
