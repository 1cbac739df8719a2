using HybridSynth.Scm.Tables;

namespace HybridSynth.Scm.IO;

/// <summary>
/// The shared engine of the text table writers (CSV, JSON Lines): rows formatted as UTF-8 into a buffer over an
/// <see cref="AtomicFile"/>, either on the calling thread (<see cref="Write"/>) or on workers (<see cref="Format"/>, then
/// <see cref="WriteFormatted"/> in unit order), with the same bytes either way; the file is committed atomically.
/// </summary>
public abstract class Utf8TableWriter : IParallelTableWriter
{
    private readonly AtomicFile _file;

    /// <summary>A writer into <paramref name="file"/>, which it then owns.</summary>
    private protected Utf8TableWriter(AtomicFile file)
    {
        _file = file;
        Output = new Utf8RowBuffer(_file.Stream);
    }

    /// <summary>The buffer over the file (a subclass writes its header here).</summary>
    private protected Utf8RowBuffer Output { get; }

    /// <summary>Appends the block's rows to <paramref name="output"/>; a pure function of the block (called from any thread).</summary>
    private protected abstract void Rows(RowBlock block, Utf8RowBuffer output);

    /// <inheritdoc />
    public void Write(RowBlock block) => Rows(block, Output);

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
        Output.Flush();
        formatted.WriteTo(_file.Stream);
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
        Output.Flush();
        _file.Prepare();
        return (_file.Length, _file.Sha256!);
    }

    /// <summary>Deletes the temporary file if the table was not committed.</summary>
    public void Dispose() => _file.Dispose();
}
