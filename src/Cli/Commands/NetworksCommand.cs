using System.CommandLine;
using HybridSynth.Scm.IO;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Cli.Commands;

/// <summary><c>hybridsynth networks</c>: the named models a spec can refer to (built-in and bnlearn repository), with their size.</summary>
public static class NetworksCommand
{
    public static Command Build(CliContext ctx)
    {
        var json = CommonOptions.Json();
        var command = new Command("networks", "List the named models: built-in specs (builtin:NAME) and the bnlearn repository networks (bnlearn:NAME, from HYBRIDSYNTH_NETWORKS or ../shared/data/bif).") { json };
        command.SetAction(r => CliApp.Guard(ctx.Error, () =>
        {
            var names = SpecLoader.BuiltinNames.Select(n => SpecLoader.BuiltinPrefix + n).Concat(NetworkRegistry.Names.Select(n => NetworkRegistry.BnlearnPrefix + n)).ToList();
            var rows = names.Select(n =>
            {
                var m = SpecLoader.Load(n).Model;
                return new JObject { ["name"] = n, ["nodes"] = m.Count, ["edges"] = m.Graph.Edges().Count(), ["parameters"] = ModelTables.FreeParameters(m) };
            }).ToList();
            if (r.GetValue(json))
            {
                ctx.Out.WriteLine(new JObject { ["networks_folder"] = NetworkRegistry.Directory, ["networks"] = new JArray(rows) }.ToString(Formatting.None));
                return ExitCodes.Success;
            }
            ctx.Out.WriteLine($"{"name",-22} {"nodes",6} {"edges",6} {"parameters",11}");
            foreach (var row in rows)
                ctx.Out.WriteLine($"{(string)row["name"]!,-22} {(int)row["nodes"]!,6} {(int)row["edges"]!,6} {(row["parameters"]!.Type == JTokenType.Null ? "—" : ((long)row["parameters"]!).ToString("N0", System.Globalization.CultureInfo.InvariantCulture)),11}");
            ctx.Out.WriteLine(NetworkRegistry.Directory is { } d ? $"repository networks from {d}" : "no repository networks found: set HYBRIDSYNTH_NETWORKS to a folder of .bif files");
            return ExitCodes.Success;
        }));
        return command;
    }
}
