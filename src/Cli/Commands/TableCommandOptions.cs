using HybridSynth.Scm.Sampling;
using System.CommandLine;
using HybridSynth.Scm.Interventions;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Tables;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Cli.Commands;

/// <summary>
/// The options every table-writing verb shares (spec, rows, seed, output, format, threads, chunk size,
/// interventions, --json) and the one way such a verb finishes: write the table atomically, then its
/// manifest, then report.
/// </summary>
public sealed class TableCommandOptions
{
    public Option<string> Spec { get; } = CommonOptions.Spec();
    public Option<long> Rows { get; } = CommonOptions.Rows(1000);
    public Option<ulong> Seed { get; } = CommonOptions.Seed();
    public Option<string?> Out { get; } = CommonOptions.Out();
    public Option<string?> Format { get; } = CommonOptions.Format();
    public Option<int> Threads { get; } = CommonOptions.Threads();
    public Option<int?> ChunkSize { get; } = CommonOptions.ChunkSize();
    public Option<string[]> Do { get; } = CommonOptions.Do();
    public Option<string[]> Soft { get; } = CommonOptions.Soft();
    public Option<bool> Json { get; } = CommonOptions.Json();

    /// <summary>What to lower when a table verb runs out of memory: the rows in flight are threads × chunk size.</summary>
    public const string MemoryHint = "lower --threads or --chunk-size";

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Spec, Rows, Seed, Out, Format, Threads, ChunkSize, Do, Soft, Json }) command.Options.Add(o);
    }

    /// <summary>The parsed common values, validated; the spec loaded and the interventions resolved against it.</summary>
    /// <param name="readers">Extra mechanism kinds (the language-model mechanism bound to a loaded model).</param>
    public Parsed Parse(ParseResult r, string verb, IReadOnlyDictionary<string, MechanismReader>? readers = null, SpecTranslator? translator = null)
    {
        var rows = r.GetValue(Rows);
        CommonOptions.CheckRuntime(rows, r.GetValue(Threads), r.GetValue(ChunkSize) ?? 1);
        var loaded = SpecLoader.Load(r.GetValue(Spec)!, readers, translator);
        var interventions = CommonOptions.Interventions(loaded.Model, r.GetValue(Do), r.GetValue(Soft), readers);
        var (path, format) = CommonOptions.Output(r.GetValue(Out), r.GetValue(Format), loaded.Model.Name, verb);
        // Refuse a bad output path before any work: an input, a directory, a link, a device.
        OutputSafety.CheckTarget(path, new[] { loaded.Path });
        OutputSafety.CheckTarget(RunManifest.PathFor(path), new[] { loaded.Path });
        return new Parsed(loaded, interventions, rows, r.GetValue(Seed), path, format, r.GetValue(Threads), r.GetValue(Json));
    }

    /// <summary>--chunk-size when given, else the default chunk for a job that samples <paramref name="columns"/> columns a unit
    /// (a job sampling several worlds counts them all), holding <paramref name="bytes"/> of values.</summary>
    public int ChunkSizeFor(ParseResult r, int columns, long bytes = SamplingOptions.DefaultChunkBytes) => r.GetValue(ChunkSize) ?? SamplingOptions.ChunkSizeFor(columns, bytes);

    public sealed record Parsed(LoadedSpec Spec, List<Intervention> Interventions, long Rows, ulong Seed, string Path, string Format, int Threads, bool Json)
    {
        /// <summary>Writes the table and its manifest (with the verb's options and extras), then reports on stdout.</summary>
        /// <param name="lateExtras">Extras known only after the table is written (memo statistics), merged into the manifest.</param>
        public void WriteWithManifest(CliContext ctx, string verb, TableJob job, JObject options, JObject? extras = null, Func<JObject>? lateExtras = null)
        {
            var manifestPath = RunManifest.PathFor(Path);
            // The table and its manifest are one commit: the manifest is made from the finished table, and both are renamed together.
            var (written, _, sha) = ProgressDisplay.Run(ctx, $"{verb}: {Rows:N0} rows", Rows, report =>
                TableFormats.WriteJobWithManifest(Format, Path, ProgressDisplay.Track(job, report), manifestPath, table =>
                {
                    extras ??= new JObject();
                    if (lateExtras is not null) foreach (var prop in lateExtras().Properties()) extras[prop.Name] = prop.Value;
                    return new RunManifest
                    {
                        Command = verb,
                        Spec = Spec,
                        Seed = Seed,
                        Rows = table.Rows,
                        Interventions = Interventions.Select(i => i.Describe(Spec.Model)).ToList(),
                        Options = options,
                        Columns = job.Schema,
                        OutputPath = Path,
                        OutputFormat = Format,
                        OutputBytes = table.Length,
                        OutputSha256 = table.Sha256,
                        Extras = extras,
                    }.ToBytes();
                }, Spec.Path));
            Report.Written(ctx, Json, Path, manifestPath, written, job.Schema.Count, sha);
        }
    }
}
