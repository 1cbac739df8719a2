using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Cli.Commands;

/// <summary>The closing message of a verb that writes a table, and manifest sections shared by verbs.</summary>
public static class Report
{
    /// <summary>The manifest's description of the potential-outcome columns.</summary>
    public static JObject PotentialOutcomes(Scm.Model.CausalModel model, Scm.Inference.TreatmentContrast contrast) => new()
    {
        ["treatment"] = model[contrast.Treatment].Name,
        ["control"] = model[contrast.Treatment].Format(contrast.ControlCode),
        ["treated"] = model[contrast.Treatment].Format(contrast.TreatedCode),
        ["outcome"] = model[contrast.Outcome].Name,
        ["columns"] = new JArray(contrast.PotentialOutcomeColumn(model, false), contrast.PotentialOutcomeColumn(model, true)),
        ["scale"] = contrast.Scale.Description,
        ["ite"] = $"{contrast.IndividualEffect(model)}, from the unit's own exogenous noise",
    };

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
