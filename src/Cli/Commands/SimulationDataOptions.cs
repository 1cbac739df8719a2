using System.CommandLine;
using HybridSynth.HybridBridge.Data;
using HybridSynth.HybridBridge.Hybrid;
using HybridSynth.HybridBridge.Simulation;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Cli.Commands;

/// <summary>
/// <c>simulate --data</c>: the options of the pre-analysis engine (real data, their columns, the hybrid's design) and the
/// study it runs (<see cref="SimulationStudy.FromHybrid"/>). The treatment, its arms and the outcome come from the verb's
/// <see cref="ContrastOptions"/>.
/// </summary>
public sealed class SimulationDataOptions
{
    public Option<string?> Data { get; } = new("--data") { Description = "Instead of --spec: real data (CSV); replications are drawn from a hybrid model fitted to them (covariates from --generator, A from ĝ, Y from Q̂), the truth is that model's ATE (the pre-analysis engine). Needs --treatment, --outcome and --covariates." };
    public Option<string?> Covariates { get; } = new("--covariates") { Description = "With --data: comma-separated covariate columns." };
    public Option<string?> Categorical { get; } = new("--categorical") { Description = "With --data: columns read as categories." };
    public Option<string> Missing { get; } = Choice("--missing", "With --data: a missing cell is an error (default) or drops the row.", "error", "drop");
    public Option<string> Design { get; } = Choice("--design", "With --data: observed (A from ĝ; default) or randomised (A ~ Bernoulli(1/2)).", "observed", "randomised");
    public Option<string> OutcomeDesign { get; } = Choice("--outcome-design", "With --data: the hybrid's outcome model on (A, W, A·W) (interactions; default) or (A, W) (main-effects).", "interactions", "main-effects");

    private static Option<string> Choice(string name, string description, string first, string second)
    {
        var o = new Option<string>(name) { Description = description, DefaultValueFactory = _ => first };
        o.AcceptOnlyFromAmong(first, second);
        return o;
    }

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Data, Covariates, Categorical, Missing, Design, OutcomeDesign }) command.Options.Add(o);
    }

    private static string[] List(string? s) => s?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    /// <summary>Reads the data, fits the hybrid and runs the study; returns it with the contrast as the verb prints it.</summary>
    public (SimulationStudy Study, string Contrast) Study(CliContext ctx, ParseResult r, ContrastOptions contrast, string generator, SimulationOptions options, string progressText)
    {
        var path = r.GetValue(Data)!;
        var treatment = r.GetValue(contrast.Treatment) ?? throw new UsageException("--data needs --treatment (and --outcome, --covariates)");
        var outcome = r.GetValue(contrast.Outcome) ?? throw new UsageException("--data needs --outcome");
        var covariates = r.GetValue(Covariates) is { } c ? List(c) : throw new UsageException("--data needs --covariates (the pre-treatment confounders are a modelling choice, never guessed)");
        var (treated, control) = (r.GetValue(contrast.Treated) ?? "1", r.GetValue(contrast.Control) ?? "0");
        var selection = new CsvCausalData.Selection(treatment, treated, control, outcome, covariates)
        {
            Categorical = List(r.GetValue(Categorical)),
            Missing = r.GetValue(Missing) == "drop" ? MissingPolicy.Drop : MissingPolicy.Error,
        };
        var (real, _, used) = CausalDataOptions.Read(ctx, "simulate", path, selection);
        var hybrid = new HybridOptions
        {
            Generator = generator, RandomisedDesign = r.GetValue(Design) == "randomised", Seed = options.Seed, Nuisance = options.Nuisance,
            OutcomeInteractions = r.GetValue(OutcomeDesign) == "interactions",
        };
        var recorded = new JObject { ["treatment"] = treatment, ["treated"] = treated, ["control"] = control, ["outcome"] = outcome, ["scale"] = real.BinaryOutcome ? $"1[{outcome} = 1]" : outcome };
        var study = ProgressDisplay.Run(ctx, progressText, progress => SimulationStudy.FromHybrid(real, hybrid, options, recorded, progress));
        return (study, $"{treatment} = {treated} (treated) vs {control} (control) on {outcome}; replications from a hybrid model fitted to {used} rows of {path} ({generator} covariates, {(hybrid.RandomisedDesign ? "A ~ Bernoulli(1/2)" : "A from ĝ")}, Y from Q̂)");
    }
}
