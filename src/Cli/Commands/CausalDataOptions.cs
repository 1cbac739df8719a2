using System.CommandLine;
using HybridSynth.HybridBridge.Data;

namespace HybridSynth.Cli.Commands;

/// <summary>
/// The options of the verbs that read effect-estimation data from a CSV file (<c>ate</c>, <c>hybrid</c>):
/// the file, the treatment and its two arms, the outcome, the covariates, which columns are categorical
/// and what a missing cell means.
/// </summary>
public sealed class CausalDataOptions(string dataDescription)
{
    public Option<string> Data { get; } = new("--data") { Description = dataDescription, Required = true };
    public Option<string> Treatment { get; } = new("--treatment") { Description = "The treatment column.", Required = true };
    public Option<string> Treated { get; } = new("--treated") { Description = "The treated value (rows with other values than --treated/--control are dropped).", DefaultValueFactory = _ => "1" };
    public Option<string> Control { get; } = new("--control") { Description = "The control value.", DefaultValueFactory = _ => "0" };
    public Option<string> Outcome { get; } = new("--outcome") { Description = "The outcome column.", Required = true };
    public Option<string> Covariates { get; } = new("--covariates") { Description = "Comma-separated covariate columns (required: the columns that are pre-treatment confounders are a modelling choice, never guessed).", Required = true };
    public Option<string?> Categorical { get; } = new("--categorical") { Description = "Comma-separated columns read as categories whatever their cells look like (a column mixing numbers and text is otherwise an error)." };
    public Option<string> Missing { get; } = MissingOption();

    private static Option<string> MissingOption()
    {
        var o = new Option<string>("--missing") { Description = "A missing cell (empty, NA, N/A, NaN, nan, null, NULL) in a used column: error (default) or drop the row.", DefaultValueFactory = _ => "error" };
        o.AcceptOnlyFromAmong("error", "drop");
        return o;
    }

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Data, Treatment, Treated, Control, Outcome, Covariates, Categorical, Missing }) command.Options.Add(o);
    }

    private static string[] List(string? s) => s?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    public CsvCausalData.Selection Selection(ParseResult r) =>
        new(r.GetValue(Treatment)!, r.GetValue(Treated)!, r.GetValue(Control)!, r.GetValue(Outcome)!, List(r.GetValue(Covariates)))
        {
            Categorical = List(r.GetValue(Categorical)),
            Missing = r.GetValue(Missing) == "drop" ? MissingPolicy.Drop : MissingPolicy.Error,
        };

    /// <summary>Reads the data as these options select them, with progress on stderr for <paramref name="verb"/>.</summary>
    public CsvCausalData.Result Read(CliContext ctx, ParseResult r, string verb) => Read(ctx, verb, r.GetValue(Data)!, Selection(r));

    /// <summary>Reads <paramref name="path"/> as <paramref name="selection"/> says, showing progress (a bar on a terminal) as "VERB: reading FILE".</summary>
    public static CsvCausalData.Result Read(CliContext ctx, string verb, string path, CsvCausalData.Selection selection) =>
        ProgressDisplay.Run(ctx, $"{verb}: reading {Path.GetFileName(path)}", report => CsvCausalData.Read(path, selection, (at, length) => report(at, length)));
}
