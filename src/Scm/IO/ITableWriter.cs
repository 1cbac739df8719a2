using HybridSynth.Scm.Tables;

namespace HybridSynth.Scm.IO;

/// <summary>Writes a table block by block to a file that appears under its name only on <see cref="Commit"/>.</summary>
public interface ITableWriter : IDisposable
{
    /// <summary>Appends a block of rows (blocks arrive in unit order).</summary>
    void Write(RowBlock block);

    /// <summary>Finishes the file and renames it into place; returns its byte length and SHA-256.</summary>
    (long Length, string Sha256) Commit();

    /// <summary>
    /// Finishes the content without renaming the file (its <see cref="AtomicFile"/> is sealed: the length and SHA-256 are
    /// known while its flush to disk runs on; whoever owns the run's <see cref="ArtifactWriter"/> waits for it and renames it).
    /// </summary>
    (long Length, string Sha256) Finish();
}

/// <summary>
/// A table writer whose formatting is a pure function of a block, so blocks can be formatted on worker threads while
/// earlier ones are written: <see cref="Format"/> is thread-safe, and <see cref="WriteFormatted"/> appends its result
/// (in unit order) exactly as <see cref="ITableWriter.Write"/> would have appended the block.
/// </summary>
public interface IParallelTableWriter : ITableWriter
{
    /// <summary>The bytes of the block's rows (safe to call from any thread, for several blocks at once).</summary>
    MemoryStream Format(RowBlock block);

    /// <summary>Appends bytes that <see cref="Format"/> produced, in unit order.</summary>
    void WriteFormatted(MemoryStream formatted);
}

