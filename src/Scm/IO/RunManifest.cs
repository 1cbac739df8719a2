using System.Text;
using HybridSynth.Scm.Tables;
using HybridSynth.Scm.Variables;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Scm.IO;

/// <summary>
/// What produced an output file: tool and version, command, spec (path, format, SHA-256), seed,
/// row count, interventions, options, column roles, the output's SHA-256, and command-specific
/// extras. Written as <c>NAME.manifest.json</c> beside the output, atomically. It carries no
/// timestamp, so the same inputs give a byte-identical manifest.
/// </summary>
public sealed record RunManifest
{
    /// <summary>The tool's name in every manifest.</summary>
    public const string Tool = "hybridsynth";

    /// <summary>The verb that wrote the output.</summary>
    public required string Command { get; init; }
    /// <summary>The spec used, with its path, format and SHA-256.</summary>
    public LoadedSpec? Spec { get; init; }
    /// <summary>The seed, when the run is random.</summary>
    public ulong? Seed { get; init; }
    /// <summary>The rows written.</summary>
    public long? Rows { get; init; }
    /// <summary>The interventions applied, as text (do(X=x), soft(…)).</summary>
    public IReadOnlyList<string> Interventions { get; init; } = Array.Empty<string>();
    /// <summary>The verb's options.</summary>
    public JObject Options { get; init; } = new();
    /// <summary>The output's columns with their roles and domains.</summary>
    public IReadOnlyList<ColumnSchema> Columns { get; init; } = Array.Empty<ColumnSchema>();
    /// <summary>The main output's path (the manifest records its file name).</summary>
    public string? OutputPath { get; init; }
    /// <summary>The main output's format (csv, jsonl, json).</summary>
    public string? OutputFormat { get; init; }
    /// <summary>The main output's length in bytes.</summary>
    public long? OutputBytes { get; init; }
    /// <summary>The main output's SHA-256.</summary>
    public string? OutputSha256 { get; init; }
    /// <summary>Verb-specific records, merged at the top level.</summary>
    public JObject Extras { get; init; } = new();

    /// <summary>The assembly version, as major.minor.build.</summary>
    public static string Version =>
        typeof(RunManifest).Assembly.GetName().Version is { } v ? $"{v.Major}.{v.Minor}.{v.Build}" : "0.0.0";

    /// <summary>The manifest path for an output: <c>dir/NAME.manifest.json</c> for <c>dir/NAME.ext</c>.</summary>
    public static string PathFor(string outputPath)
    {
        var dir = Path.GetDirectoryName(outputPath) ?? "";
        return Path.Combine(dir, Path.GetFileNameWithoutExtension(outputPath) + ".manifest.json");
    }

    /// <summary>The manifest as JSON (no timestamp: the same run gives the same bytes).</summary>
    public JObject ToJson()
    {
        var o = new JObject
        {
            ["tool"] = Tool,
            ["version"] = Version,
            ["command"] = Command,
        };
        if (Spec is not null)
            o["spec"] = new JObject
            {
                ["path"] = Spec.Path,
                ["format"] = Spec.Format,
                ["sha256"] = Spec.Sha256,
                ["model"] = Spec.Model.Name,
                ["variables"] = Spec.Model.Count,
            };
        if (Seed is not null) o["seed"] = Seed.Value;
        if (Rows is not null) o["rows"] = Rows.Value;
        o["interventions"] = new JArray(Interventions);
        o["noise"] = new JObject
        {
            ["generator"] = "counter-based: SplitMix64 keyed by (seed, stream, variable name, coordinate), counter = unit",
            ["uniform"] = "U = (top 52 bits + 0.5) / 2^52 in (0, 1); Gaussian noise Z = inverse-normal-CDF(U)",
        };
        o["options"] = Options;
        o["columns"] = new JArray(Columns.Select(c =>
        {
            var col = new JObject { ["name"] = c.Name, ["role"] = c.Role };
            if (c.Domain is CategoricalDomain d)
            {
                col["type"] = "categorical";
                col["states"] = new JArray(d.States);
            }
            else col["type"] = "continuous";
            if (c.Description is not null) col["description"] = c.Description;
            return col;
        }));
        if (OutputPath is not null)
            o["output"] = new JObject
            {
                ["path"] = Path.GetFileName(OutputPath),
                ["format"] = OutputFormat,
                ["bytes"] = OutputBytes,
                ["sha256"] = OutputSha256,
            };
        foreach (var p in Extras.Properties()) o[p.Name] = p.Value;
        return o;
    }

    /// <summary>An input file as manifests record it: its path as given and its SHA-256.</summary>
    public static JObject InputFile(string path) => new() { ["path"] = path, ["sha256"] = FileDigest.Sha256(path) };

    private static int _prepared;

    /// <summary>
    /// Compiles the manifest's serialisation on a pool thread (once per process) by serialising a throwaway manifest, so
    /// that the real one, made when the table is finished, does not wait for the JIT; its outcome is ignored.
    /// </summary>
    public static void Prepare()
    {
        if (Interlocked.Exchange(ref _prepared, 1) == 1) return;
        Task.Run(() =>
        {
            try { new RunManifest { Command = "prepare", Seed = 1, Rows = 1, Interventions = new[] { "do(X=x)" }, OutputPath = "x.csv", OutputFormat = "csv", OutputBytes = 1, OutputSha256 = "0" }.ToBytes(); }
            catch (Exception) { } // only a warm-up: the real manifest reports its own errors
        });
    }

    /// <summary>The manifest's file content (indented JSON and a final newline).</summary>
    public byte[] ToBytes() => Encoding.UTF8.GetBytes(ToJson().ToString(Formatting.Indented) + "\n");
}
