using System.CommandLine;
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.Model;

namespace HybridSynth.Cli.Commands;

/// <summary>
/// The options that name an effect's contrast on a model (<c>query</c>, <c>simulate</c>, <c>sample</c>):
/// treatment, outcome, the treated and control states and the outcome's event state. Every verb prints
/// and records the contrast it used, so a default (the treatment's second state is "treated") is never silent.
/// </summary>
public sealed class ContrastOptions(string purpose = "")
{
    public Option<string?> Treatment { get; } = new("--treatment") { Description = $"Treatment{purpose} (default: the spec's treatment role)." };
    public Option<string?> Outcome { get; } = new("--outcome") { Description = $"Outcome{purpose} (default: the spec's outcome role)." };
    public Option<string?> Treated { get; } = new("--treated") { Description = "The treated state (default: the treatment's second state)." };
    public Option<string?> Control { get; } = new("--control") { Description = "The control state (default: the treatment's first state)." };
    public Option<string?> Event { get; } = new("--event") { Description = "For a categorical outcome: the state whose probability the effect is about." };

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Treatment, Outcome, Treated, Control, Event }) command.Options.Add(o);
    }

    /// <summary>Whether any of the options was given.</summary>
    public bool AnyGiven(ParseResult r) => new[] { r.GetValue(Treatment), r.GetValue(Outcome), r.GetValue(Treated), r.GetValue(Control), r.GetValue(Event) }.Any(v => v is not null);

    public TreatmentContrast Resolve(ParseResult r, CausalModel model) =>
        TreatmentContrast.Resolve(model, r.GetValue(Treatment), r.GetValue(Outcome), r.GetValue(Treated), r.GetValue(Control), r.GetValue(Event));
}
