using System.Globalization;
using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Variables;

namespace HybridSynth.Scm.Inference;

/// <summary>
/// The numeric value of an outcome, so that effects are differences of expectations:
/// a continuous outcome is itself; a categorical one whose state names are all numbers takes
/// those numbers; a two-state one is the indicator of its second state (or of the event state
/// named by the user); otherwise an event state must be named.
/// </summary>
public sealed class OutcomeScale
{
    private OutcomeScale(double[]? values, string description, string? eventState = null)
    {
        StateValues = values;
        Description = description;
        EventState = eventState;
    }

    /// <summary>The state whose indicator the scale is, or null when the outcome is taken as a number.</summary>
    public string? EventState { get; }

    /// <summary>g applied to an expression for the outcome, for reports: <c>1[expr = event]</c>, or the expression itself.</summary>
    public string Of(string expression) => EventState is null ? expression : $"1[{expression} = {EventState}]";

    /// <summary>Value per state code, or null for a continuous outcome.</summary>
    public double[]? StateValues { get; }

    /// <summary>What the scale is, for reports (e.g. "1[Y = yes]").</summary>
    public string Description { get; }

    /// <summary>g(y): the event indicator for a categorical outcome (1 for the event state, 0 otherwise), y itself for a numeric one.</summary>
    public double Value(double raw) => StateValues is null ? raw : StateValues[(int)raw];

    /// <summary>The scale of <paramref name="outcome"/>: a continuous outcome as itself; a categorical one as the indicator of <paramref name="eventState"/> (by default the variable's declared event state), else as the numbers its state names spell, else, with two states, as the indicator of the second; a located <see cref="ModelException"/> otherwise.</summary>
    public static OutcomeScale For(Variable outcome, string? eventState = null)
    {
        eventState ??= outcome.EventState;
        if (outcome.Domain is not CategoricalDomain d)
        {
            if (eventState is not null) throw new ModelException($"'{outcome.Name}' is continuous; an event state does not apply");
            return new OutcomeScale(null, outcome.Name);
        }
        if (eventState is not null)
        {
            if (!d.TryCode(eventState, out var code))
                throw new ModelException($"'{eventState}' is not a state of '{outcome.Name}'{Errors.Suggestions.DidYouMean(eventState, d.States)}; expected one of: {string.Join(", ", d.States)}");
            return Indicator(outcome, d, code);
        }
        var numbers = new double[d.Cardinality];
        var numeric = true;
        for (var k = 0; k < d.Cardinality; k++)
            numeric &= double.TryParse(d.States[k], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[k]) && double.IsFinite(numbers[k]);
        if (numeric) return new OutcomeScale(numbers, outcome.Name);
        if (d.Cardinality == 2) return Indicator(outcome, d, 1);
        throw new ModelException($"the outcome '{outcome.Name}' has {d.Cardinality} non-numeric states; name the event state whose probability the effect is about");
    }

    private static OutcomeScale Indicator(Variable outcome, CategoricalDomain d, int code)
    {
        var values = new double[d.Cardinality];
        values[code] = 1;
        return new OutcomeScale(values, $"1[{outcome.Name} = {d.States[code]}]", d.States[code]);
    }
}
