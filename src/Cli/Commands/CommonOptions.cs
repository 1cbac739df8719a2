using Newtonsoft.Json.Linq;
using HybridSynth.Verifier.Extraction;
using System.CommandLine;
using HybridSynth.Scm.Interventions;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Model;

namespace HybridSynth.Cli.Commands;

/// <summary>Options spelled the same way in every verb.</summary>
public static class CommonOptions
{
    public static Option<string> Spec() => new("--spec")
    {
        Description = "Model spec: a .bif or .json file, or builtin:NAME.",
        DefaultValueFactory = _ => SpecLoader.DefaultSpec,
    };

    public static Option<long> Rows(long fallback) => new("--rows", "-n")
    {
        Description = "Number of units (rows).",
        DefaultValueFactory = _ => fallback,
    };

    public static Option<ulong> Seed() => new("--seed")
    {
        Description = "Seed of all randomness; the same seed gives byte-identical output.",
        DefaultValueFactory = _ => 1UL,
    };

    public static Option<string?> Out() => new("--out", "-o")
    {
        Description = "Output file (default out/MODEL-VERB.csv); the manifest goes beside it as NAME.manifest.json.",
    };

    public static Option<string?> Format() => new("--format")
    {
        Description = "csv, jsonl or parquet (default: from the output's extension, else csv).",
    };

    public static Option<int> Threads() => new("--threads")
    {
        Description = "Worker threads; the output does not depend on it.",
        DefaultValueFactory = _ => 1,
    };

    public static Option<int?> ChunkSize() => new("--chunk-size")
    {
        Description = "Units per chunk while streaming (default: about 1 MiB of values per chunk, 256–65,536 units); the output does not depend on it.",
    };

    public static Option<string[]> Do() => new("--do")
    {
        Description = "Hard intervention do(Variable=value); repeatable.",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<string[]> Soft() => new("--soft")
    {
        Description = "Soft interventions from a JSON file {\"soft_interventions\": [...]}; repeatable.",
    };

    public static Option<string?> Phrasing() => new("--phrasing")
    {
        Description = "A realization file (hybridsynth-phrasing/1, e.g. benchmarks/dags/asia.phrasing.json): sections, phrasings, cues, negation and units for the notes.",
    };

    /// <summary>The lexicon of <paramref name="model"/>, with the realization file at <paramref name="phrasing"/> when given (its hash goes in the manifest's inputs).</summary>
    public static TextLexicon Lexicon(CausalModel model, string? phrasing) => new(model, phrasing is null ? null : Phrasebook.ReadFile(phrasing));

    /// <summary><paramref name="extras"/> with the realization file's path and hash under "phrasing", when one was given.</summary>
    public static JObject WithPhrasing(JObject extras, string? phrasing)
    {
        if (phrasing is not null) extras["phrasing"] = RunManifest.InputFile(phrasing);
        return extras;
    }

    public static Option<bool> Json() => new("--json")
    {
        Description = "Print a machine-readable result on stdout.",
    };

    /// <summary>Parses --do and --soft against the model, in that order.</summary>
    public static List<Intervention> Interventions(CausalModel model, string[]? hard, string[]? soft, IReadOnlyDictionary<string, MechanismReader>? readers = null)
    {
        var list = new List<Intervention>();
        foreach (var h in hard ?? Array.Empty<string>()) list.Add(InterventionParser.ParseHard(model, h));
        foreach (var f in soft ?? Array.Empty<string>()) list.AddRange(SoftInterventionReader.ReadFile(f, model, readers));
        var dup = list.GroupBy(i => i.Variable).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new UsageException($"two interventions on '{model[dup.Key].Name}'");
        return list;
    }

    /// <summary>Parses repeated Variable=state arguments into evidence (state codes).</summary>
    public static Dictionary<int, int> Evidence(CausalModel model, string[]? given, string option = "--given")
    {
        var evidence = new Dictionary<int, int>();
        foreach (var g in given ?? Array.Empty<string>())
        {
            var (v, x) = InterventionParser.ParseAssignment(model, g, option);
            if (!model[v].IsCategorical) throw new UsageException($"{option} \"{g}\": conditioning on the continuous '{model[v].Name}' is not supported");
            if (!evidence.TryAdd(v, (int)x)) throw new UsageException($"{option}: '{model[v].Name}' is given twice");
        }
        return evidence;
    }

    public static void CheckRuntime(long rows, int threads, int chunkSize)
    {
        if (rows < 0) throw new UsageException($"--rows must be ≥ 0, got {rows}");
        if (threads < 1) throw new UsageException($"--threads must be ≥ 1, got {threads}");
        if (chunkSize < 1) throw new UsageException($"--chunk-size must be ≥ 1, got {chunkSize}");
    }

    public static (string Path, string Format) Output(string? path, string? format, string model, string verb)
    {
        if (format is not null && !TableFormats.Names.Contains(format))
            throw new UsageException($"--format '{format}': expected one of {string.Join(", ", TableFormats.Names)}");
        if (path is not null && new[] { ".gz", ".bz2", ".xz", ".zst", ".zip" }.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
            throw new UsageException($"--out '{path}': compressed output is not written; give a .csv or .jsonl path and compress it afterwards, or write --format parquet (Snappy-compressed)");
        var resolvedFormat = format ?? (path is null ? "csv" : path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) ? "jsonl"
            : path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) ? "parquet" : "csv");
        var resolvedPath = path ?? Path.Combine("out", $"{Sanitize(model)}-{verb}.{resolvedFormat}");
        if (Directory.Exists(resolvedPath)) throw new UsageException($"--out '{resolvedPath}' is a directory; give a file name");
        return (resolvedPath, resolvedFormat);
    }

    private static string Sanitize(string name) =>
        new(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
}
