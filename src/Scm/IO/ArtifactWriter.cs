using HybridSynth.Scm.Errors;

namespace HybridSynth.Scm.IO;

/// <summary>
/// The files of one run committed together: each is written to a temporary file first, and only when
/// all of them are complete are they renamed into place — the last one added (the manifest) first, so
/// that a run interrupted between two renames leaves at worst a manifest without its table, never a
/// table that looks complete without its manifest. If a rename fails, the files already renamed are
/// removed again; disposing without committing deletes every temporary file.
/// Every verb that writes files goes through one: <see cref="WriteOutput"/> for the run's main output, any
/// side files with <see cref="Write"/>, then <see cref="CommitWithManifest"/>, which fills the manifest's
/// output section from the main output and commits everything.
/// </summary>
public sealed class ArtifactWriter : IDisposable
{
    private readonly List<AtomicFile> _files = new();
    private readonly List<string?> _inputs = new();
    private bool _committed;
    private (string Path, string Format, long Length, string Sha256)? _output;

    /// <summary>A writer that refuses to write over any of <paramref name="inputs"/> (its manifest's serialisation is compiled meanwhile: <see cref="RunManifest.Prepare"/>).</summary>
    public ArtifactWriter(params string?[] inputs)
    {
        _inputs.AddRange(inputs);
        RunManifest.Prepare();
    }

    /// <summary>Paths the run reads: no file of the set may be one of them (see <see cref="OutputSafety"/>).</summary>
    public ArtifactWriter Protect(params string?[] inputs)
    {
        _inputs.AddRange(inputs);
        return this;
    }

    /// <summary>Checks a path as an output of this run before anything is computed (inputs, links, special files).</summary>
    public void Check(string path) => OutputSafety.CheckTarget(path, _inputs);

    /// <summary>A new file of the set (written through its stream).</summary>
    public AtomicFile Create(string path)
    {
        var full = Path.GetFullPath(path);
        OutputSafety.CheckTarget(path, _inputs);
        if (_files.Any(f => f.Path == full)) throw new OutputPathException($"{path} is written twice by this run (an output and its manifest cannot share a name)");
        var file = new AtomicFile(path);
        _files.Add(file);
        return file;
    }

    /// <summary>A new file with the given content.</summary>
    public AtomicFile Add(string path, ReadOnlySpan<byte> bytes)
    {
        var file = Create(path);
        file.Stream.Write(bytes);
        file.Prepare();
        return file;
    }

    /// <summary>Adds a file with the given content; returns its length and SHA-256 (it is renamed into place on <see cref="Commit"/>).</summary>
    public (long Length, string Sha256) Write(string path, byte[] bytes)
    {
        var f = Add(path, bytes);
        return (f.Length, f.Sha256!);
    }

    /// <summary>
    /// Adds the run's main output (<paramref name="format"/>: csv, jsonl, json…): the manifest's <c>output</c> section
    /// (file name, format, bytes, SHA-256) describes it, and the manifest is written beside it.
    /// </summary>
    public (long Length, string Sha256) WriteOutput(string path, string format, byte[] bytes)
    {
        if (_output is not null) throw new InvalidOperationException($"the run already has a main output, {_output.Value.Path}");
        var (length, sha) = Write(path, bytes);
        _output = (path, format, length, sha);
        return (length, sha);
    }

    /// <summary>
    /// Completes <paramref name="manifest"/> with the main output (if there is one) and commits every file with it.
    /// The manifest goes to <paramref name="manifestPath"/>, by default <see cref="RunManifest.PathFor"/> of the main output.
    /// </summary>
    /// <returns>The manifest's path.</returns>
    public string CommitWithManifest(RunManifest manifest, string? manifestPath = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (_output is { } o)
            manifest = manifest with { OutputPath = o.Path, OutputFormat = o.Format, OutputBytes = o.Length, OutputSha256 = o.Sha256 };
        manifestPath ??= _output is { } main ? RunManifest.PathFor(main.Path)
            : throw new ArgumentException("a run without a main output needs a manifest path", nameof(manifestPath));
        Add(manifestPath, manifest.ToBytes());
        Commit();
        return manifestPath;
    }

    /// <summary>Renames every file into place, the last added (the manifest) first; see the class summary.</summary>
    public void Commit()
    {
        if (_committed) throw new InvalidOperationException("already committed");
        foreach (var f in _files) f.Prepare();
        var published = new List<AtomicFile>();
        try
        {
            for (var i = _files.Count - 1; i >= 0; i--)
            {
                _files[i].Publish();
                published.Add(_files[i]);
            }
        }
        catch
        {
            foreach (var f in published)
            {
                try { File.Delete(f.Path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
            throw;
        }
        _committed = true;
    }

    /// <summary>Deletes the temporary files of a run that was not committed.</summary>
    public void Dispose()
    {
        foreach (var f in _files) f.Dispose();
    }
}
