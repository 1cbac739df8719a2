using HybridSynth.Scm.Tables;

namespace HybridSynth.Scm.IO;

/// <summary>Writes a table block by block to a file that appears under its name only on <see cref="Commit"/>.</summary>
public interface ITableWriter : IDisposable
{
    void Write(RowBlock block);

    /// <summary>Finishes the file and renames it into place; returns its byte length and SHA-256.</summary>
    (long Length, string Sha256) Commit();
}

/// <summary>The table formats, by the name the CLI takes (<c>--format csv|jsonl</c>).</summary>
public static class TableFormats
{
    public static IReadOnlyList<string> Names { get; } = new[] { "csv", "jsonl" };

    public static ITableWriter Open(string format, string path, IReadOnlyList<ColumnSchema> schema) => format switch
    {
        "csv" => new CsvTableWriter(path, schema),
        "jsonl" => new JsonlTableWriter(path, schema),
        _ => throw new ArgumentException($"unknown format '{format}'; expected csv or jsonl", nameof(format)),
    };

    /// <summary>Writes a whole job and returns the row count, byte length and SHA-256.</summary>
    public static (long Rows, long Length, string Sha256) WriteJob(string format, string path, TableJob job)
    {
        using var writer = Open(format, path, job.Schema);
        long rows = 0;
        foreach (var block in job.Blocks)
        {
            writer.Write(block);
            rows += block.Count;
        }
        var (length, sha) = writer.Commit();
        return (rows, length, sha);
    }
}
