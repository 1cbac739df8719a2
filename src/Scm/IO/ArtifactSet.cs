using HybridSynth.Scm.Errors;

namespace HybridSynth.Scm.IO;

/// <summary>
/// The files of one run committed together: each is written to a temporary file first, and only when
/// all of them are complete are they renamed into place — the last one added (the manifest) first, so
/// that a run interrupted between two renames leaves at worst a manifest without its table, never a
/// table that looks complete without its manifest. If a rename fails, the files already renamed are
/// removed again; disposing without committing deletes every temporary file.
/// </summary>
public sealed class ArtifactSet : IDisposable
{
    private readonly List<AtomicFile> _files = new();
    private readonly List<string?> _inputs = new();
    private bool _committed;

    /// <summary>Paths the run reads: no file of the set may be one of them (see <see cref="OutputSafety"/>).</summary>
    public ArtifactSet Protect(params string?[] inputs)
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

    public void Dispose()
    {
        foreach (var f in _files) f.Dispose();
    }
}
