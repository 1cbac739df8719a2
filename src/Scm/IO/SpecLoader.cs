using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using HybridSynth.Scm.Errors;

namespace HybridSynth.Scm.IO;

/// <summary>
/// Loads a model spec by file extension (<c>.bif</c> or <c>.json</c>), a built-in spec named
/// <c>builtin:NAME</c>, a repository network <c>bnlearn:NAME</c> (<see cref="NetworkRegistry"/>), or a random model
/// <c>random:er|sf:…</c> (<see cref="Model.RandomCausalModels"/>). Every failure is a <see cref="SpecException"/> (located where possible).
/// </summary>
public static class SpecLoader
{
    /// <summary>The prefix of built-in specs (<c>builtin:asia</c>).</summary>
    public const string BuiltinPrefix = "builtin:";

    /// <summary>The built-in specs (embedded in the assembly): the default is <c>builtin:asia</c>.</summary>
    public static IReadOnlyList<string> BuiltinNames =>
        typeof(SpecLoader).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("HybridSynth.Scm.Builtin.", StringComparison.Ordinal))
            .Select(n => n["HybridSynth.Scm.Builtin.".Length..^".json".Length]).OrderBy(n => n).ToList();

    /// <summary>The spec used when none is given: the built-in ASIA network.</summary>
    public const string DefaultSpec = BuiltinPrefix + "asia";

    /// <param name="readers">Extra mechanism kinds (see <see cref="JsonSpecReader.Read"/>).</param>
    /// <param name="translator">Turns another JSON format into ours (the published SD-SCM config format): returns our spec's text, or null to read the file as it is.</param>
    public static LoadedSpec Load(string path, IReadOnlyDictionary<string, MechanismReader>? readers = null, SpecTranslator? translator = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.StartsWith(Model.RandomCausalModels.Prefix, StringComparison.Ordinal))
        {
            // A random model is its spec string: the string's hash identifies it, as the file's does for a file.
            var random = Model.RandomCausalModels.Create(Model.RandomCausalModels.Parse(path));
            return new LoadedSpec(random, path, "random", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(path))));
        }
        if (path.StartsWith(NetworkRegistry.BnlearnPrefix, StringComparison.Ordinal))
        {
            var file = NetworkRegistry.Resolve(path);
            return Load(file, readers, translator) with { Path = path };
        }
        byte[] bytes;
        string format;
        if (path.StartsWith(BuiltinPrefix, StringComparison.Ordinal))
        {
            var name = path[BuiltinPrefix.Length..];
            using var stream = typeof(SpecLoader).Assembly.GetManifestResourceStream($"HybridSynth.Scm.Builtin.{name}.json")
                ?? throw new SpecException(null, $"{path}: no built-in spec of that name; built-in: {string.Join(", ", BuiltinNames.Select(n => BuiltinPrefix + n))}");
            using var ms = new MemoryStream();
            stream.CopyTo(ms);
            bytes = ms.ToArray();
            format = "json";
        }
        else
        {
            var ext = Path.GetExtension(path).ToLowerInvariant();
            format = ext switch
            {
                ".bif" => "bif",
                ".json" => "json",
                _ => throw new SpecException(null, $"{path}: unknown spec format '{ext}'; expected a .bif or .json file"),
            };
            try
            {
                bytes = File.ReadAllBytes(path);
            }
            catch (FileNotFoundException) { throw new InputFileException(path); }
            catch (DirectoryNotFoundException) { throw new InputFileException(path); }
            catch (UnauthorizedAccessException) { throw new SpecException(null, $"{path}: cannot be read (permission denied, or a directory)"); }
            catch (IOException e) { throw new SpecException(null, $"{path}: cannot be read ({e.Message})"); }
        }
        var text = DecodeUtf8(bytes, path);
        if (format == "json" && translator?.Invoke(text, path) is { } translated)
        {
            text = translated;
            format = "json-translated";
        }
        var model = format == "bif" ? BifReader.Read(text, path) : JsonSpecReader.Read(text, path, readers);
        return new LoadedSpec(model, path, format, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    private static string DecodeUtf8(byte[] bytes, string path)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            throw new SpecException(path, 1, 1, "the file is not valid UTF-8 text");
        }
    }
}

/// <summary>Translates a spec text of another format into the JSON spec format (null: not that format, read as it is).</summary>
public delegate string? SpecTranslator(string text, string file);
