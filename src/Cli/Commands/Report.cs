using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Cli.Commands;

/// <summary>The closing message of a verb that writes a table.</summary>
public static class Report
{
    public static void Written(CliContext ctx, bool json, string path, string manifestPath, long rows, int columns, string sha256)
    {
        if (json)
        {
            ctx.Out.WriteLine(new JObject
            {
                ["output"] = path,
                ["manifest"] = manifestPath,
                ["rows"] = rows,
                ["columns"] = columns,
                ["sha256"] = sha256,
            }.ToString(Formatting.None));
        }
        else
        {
            ctx.Out.WriteLine($"wrote {rows} rows × {columns} columns to {path} (manifest: {manifestPath})");
        }
    }
}
