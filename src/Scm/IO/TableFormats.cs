using HybridSynth.Scm.Tables;

namespace HybridSynth.Scm.IO;

/// <summary>The table formats, by the name the CLI takes (<c>--format csv|jsonl|parquet</c>).</summary>
public static class TableFormats
{
    /// <summary>The format names: csv, jsonl and parquet.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { "csv", "jsonl", "parquet" };

    /// <summary>A writer of the format to a new file at <paramref name="path"/>.</summary>
    public static ITableWriter Open(string format, string path, IReadOnlyList<ColumnSchema> schema) => format switch
    {
        "csv" => new CsvTableWriter(path, schema),
        "jsonl" => new JsonlTableWriter(path, schema),
        "parquet" => new ParquetTableWriter(path, schema),
        _ => throw new ArgumentException($"unknown format '{format}'; expected csv, jsonl or parquet", nameof(format)),
    };

    /// <summary>A writer of the format into <paramref name="file"/> (one file of an <see cref="ArtifactWriter"/>).</summary>
    public static ITableWriter Open(string format, AtomicFile file, IReadOnlyList<ColumnSchema> schema) => format switch
    {
        "csv" => new CsvTableWriter(file, schema),
        "jsonl" => new JsonlTableWriter(file, schema),
        "parquet" => new ParquetTableWriter(file, schema),
        _ => throw new ArgumentException($"unknown format '{format}'; expected csv, jsonl or parquet", nameof(format)),
    };

    /// <summary>
    /// Writes a whole job and its manifest as one commit: the table to a temporary file, then the
    /// manifest (made from the table's row count, length and SHA-256, while the table's last bytes go to disk), then both
    /// renamed into place, the manifest first. A failure anywhere leaves neither.
    /// </summary>
    public static (long Rows, long Length, string Sha256) WriteJobWithManifest(string format, string path, TableJob job, string manifestPath,
        Func<(long Rows, long Length, string Sha256), byte[]> manifest, params string?[] inputs)
    {
        using var set = new ArtifactWriter(inputs);
        var writer = Open(format, set.Create(path), job.Schema);
        var rows = WriteBlocks(writer, job);
        var (length, sha) = writer.Finish();
        set.Add(manifestPath, manifest((rows, length, sha)));
        set.Commit();
        return (rows, length, sha);
    }

    /// <summary>Writes a whole job and returns the row count, byte length and SHA-256.</summary>
    public static (long Rows, long Length, string Sha256) WriteJob(string format, string path, TableJob job)
    {
        using var writer = Open(format, path, job.Schema);
        var rows = WriteBlocks(writer, job);
        var (length, sha) = writer.Commit();
        return (rows, length, sha);
    }

    /// <summary>
    /// Writes a job's blocks in order and returns their row count. When the job's blocks are made on worker threads (it has a
    /// <see cref="TableJob.Finisher"/>) and the writer is an <see cref="IParallelTableWriter"/>, those workers format each
    /// block into bytes right after making it, and the calling thread only appends them (and hashes them), then releases the
    /// block; otherwise as <see cref="WriteBlocks(ITableWriter, IEnumerable{RowBlock})"/>. The bytes are the same either way.
    /// </summary>
    public static long WriteBlocks(ITableWriter writer, TableJob job)
    {
        if (writer is not IParallelTableWriter parallel || job.Finisher is not { } finisher) return WriteBlocks(writer, job.Blocks);
        finisher.Set(parallel.Format);
        try
        {
            long rows = 0;
            foreach (var block in job.Blocks)
            {
                parallel.WriteFormatted(block.Finished as MemoryStream ?? parallel.Format(block));
                block.Release?.Invoke();
                rows += block.Count;
            }
            return rows;
        }
        finally { finisher.Set(null); }
    }

    /// <summary>
    /// Writes the blocks in order and returns their row count, releasing each (<see cref="RowBlock.Release"/>) once its rows
    /// are written (a <see cref="IParallelTableWriter"/>'s, once formatted). A <see cref="IParallelTableWriter"/>'s blocks are formatted
    /// on worker threads, up to <see cref="FormattingAhead"/> at once, while the calling thread writes (and hashes) the
    /// earlier ones: the bytes are the same as writing block by block.
    /// </summary>
    public static long WriteBlocks(ITableWriter writer, IEnumerable<RowBlock> blocks)
    {
        long rows = 0;
        if (writer is not IParallelTableWriter parallel)
        {
            foreach (var block in blocks)
            {
                writer.Write(block);
                block.Release?.Invoke();
                rows += block.Count;
            }
            return rows;
        }
        var pending = new Queue<Task<MemoryStream>>();
        void WriteOldest() => parallel.WriteFormatted(pending.Dequeue().GetAwaiter().GetResult());
        try
        {
            foreach (var block in blocks)
            {
                // Released once formatted: the bytes are all the writer needs, so the columns go back to the sampler at once.
                pending.Enqueue(Task.Run(() =>
                {
                    var bytes = parallel.Format(block);
                    block.Release?.Invoke();
                    return bytes;
                }));
                rows += block.Count;
                while (pending.Count > FormattingAhead) WriteOldest();
            }
            while (pending.Count > 0) WriteOldest();
        }
        finally
        {
            foreach (var t in pending)
                try { t.Wait(); }
                catch (AggregateException) { }
        }
        return rows;
    }

    /// <summary>Blocks formatted ahead of the one being written.</summary>
    public const int FormattingAhead = 1;
}
