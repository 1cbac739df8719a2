using System.CommandLine;
using System.Text;
using HybridSynth.Scm.IO;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Cli.Commands;

/// <summary>
/// <c>hybridsynth convert IN OUT</c>: a model between BIF and the JSON spec (to add roles and phrasings to a bnlearn network
/// without retyping its tables), or its graph as DOT, GML or an adjacency CSV; the format is OUT's extension. The output is
/// written atomically with its manifest, <c>OUT.manifest.json</c> (the extension kept, since one model's conversions share a stem).
/// </summary>
public static class ConvertCommand
{
    public static Command Build(CliContext ctx)
    {
        var input = new Argument<string>("in") { Description = "The model: a .bif or .json spec, builtin:NAME or bnlearn:NAME." };
        var output = new Argument<string>("out") { Description = "The file to write: .bif, .json (a spec), .dot, .gml or .csv (the graph's adjacency matrix)." };
        var command = new Command("convert", "Convert a model between BIF and the JSON spec, or export its graph (DOT, GML, adjacency CSV).") { input, output };
        command.SetAction(r => CliApp.Guard(ctx.Error, () =>
        {
            var inPath = r.GetValue(input)!;
            var outPath = r.GetValue(output)!;
            using var artifacts = new ArtifactWriter(inPath);
            var ext = Path.GetExtension(outPath).ToLowerInvariant();
            var format = ext switch
            {
                ".bif" => "bif",
                ".json" => "json",
                ".dot" => "dot",
                ".gml" => "gml",
                ".csv" => "adjacency-csv",
                _ => throw new UsageException($"{outPath}: unknown output format '{ext}'; expected .bif, .json, .dot, .gml or .csv"),
            };
            // Graph exports need no model: language-model specs are read for their structure.
            var loaded = SpecLoader.Load(inPath, format is "bif" or "json" ? null : Lm.Mechanisms.LanguageModelSession.StructureReaders);
            var model = loaded.Model;
            var text = format switch
            {
                "bif" => BifWriter.Write(model),
                "json" => JsonSpecWriter.Write(model),
                "dot" => GraphFormats.Dot(model.Graph, model.Name),
                "gml" => GraphFormats.Gml(model.Graph, model.Name),
                _ => GraphFormats.AdjacencyCsv(model.Graph),
            };
            var (bytes, sha) = artifacts.WriteOutput(outPath, format, Encoding.UTF8.GetBytes(text));
            // OUT.EXT.manifest.json: conversions of one model often share a stem (alarm.bif, alarm.json, alarm.dot).
            var manifest = artifacts.CommitWithManifest(new RunManifest { Command = "convert", Spec = loaded, Options = new JObject { ["format"] = format } }, outPath + ".manifest.json");
            ctx.Out.WriteLine($"wrote {outPath} ({format}, {model.Count} variables, {model.Graph.Edges().Count()} edges, {bytes} bytes, sha256 {sha[..12]}…; manifest {manifest})");
            return ExitCodes.Success;
        }));
        return command;
    }
}
