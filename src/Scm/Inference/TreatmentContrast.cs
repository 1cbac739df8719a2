using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Model;

namespace HybridSynth.Scm.Inference;

/// <summary>
/// The treatment, its two compared states and the outcome of an effect query: the ATE is
/// E[g(Y) | do(A = treated)] − E[g(Y) | do(A = control)] with g the <see cref="OutcomeScale"/>.
/// By default the treatment's second state is "treated" and its first "control".
/// </summary>
public sealed record TreatmentContrast(int Treatment, int TreatedCode, int ControlCode, int Outcome, OutcomeScale Scale)
{
    /// <summary>The potential-outcome column of one arm, named after its state: <c>Y(A=state)</c>.</summary>
    public string PotentialOutcomeColumn(CausalModel model, bool treated) =>
        $"{model[Outcome].Name}({model[Treatment].Name}={model[Treatment].Format(treated ? TreatedCode : ControlCode)})";

    /// <summary>The contrast in words: <c>g(Y(A=treated)) − g(Y(A=control))</c> with g the outcome scale.</summary>
    public string IndividualEffect(CausalModel model) =>
        $"{Scale.Of(PotentialOutcomeColumn(model, true))} − {Scale.Of(PotentialOutcomeColumn(model, false))}";

    /// <summary>One line naming the contrast: treated vs control state, the outcome and its scale.</summary>
    public string Describe(CausalModel model) =>
        $"{model[Treatment].Name} = {model[Treatment].Format(TreatedCode)} (treated) vs {model[Treatment].Format(ControlCode)} (control) on {model[Outcome].Name}, scale {Scale.Description}";

    /// <summary>The contrast for a manifest or JSON report.</summary>
    public Newtonsoft.Json.Linq.JObject ToJson(CausalModel model) => new()
    {
        ["treatment"] = model[Treatment].Name,
        ["treated"] = model[Treatment].Format(TreatedCode),
        ["control"] = model[Treatment].Format(ControlCode),
        ["outcome"] = model[Outcome].Name,
        ["scale"] = Scale.Description,
    };

    /// <summary>The contrast of a model: the treatment and outcome by name (by default the variables with those roles), the treated and control states (for a binary treatment by default the second and the first; a treatment with more states needs both named), and the outcome's event state; located errors with suggestions for unknown names.</summary>
    public static TreatmentContrast Resolve(CausalModel model, string? treatment, string? outcome, string? treated = null, string? control = null, string? eventState = null)
    {
        var a = treatment is null
            ? model.TreatmentIndex ?? throw new ModelException($"the model '{model.Name}' names no treatment; give one (--treatment)")
            : model.IndexOf(treatment);
        var y = outcome is null
            ? model.OutcomeIndex ?? throw new ModelException($"the model '{model.Name}' names no outcome; give one (--outcome)")
            : model.IndexOf(outcome);
        if (a == y) throw new ModelException("the treatment and the outcome must be different variables");
        var av = model[a];
        if (!av.IsCategorical) throw new ModelException($"the treatment '{av.Name}' must be categorical");
        var d = av.Categorical;
        int Code(string? s, int fallback, string what)
        {
            if (s is null)
            {
                if (d.Cardinality != 2) throw new ModelException($"the treatment '{av.Name}' has {d.Cardinality} states; name the {what} state");
                return fallback;
            }
            return d.TryCode(s, out var c) ? c : throw new ModelException($"'{s}' is not a state of '{av.Name}'{Suggestions.DidYouMean(s, d.States)}; expected one of: {string.Join(", ", d.States)}");
        }
        var t1 = Code(treated, 1, "treated");
        var t0 = Code(control, 0, "control");
        if (t1 == t0) throw new ModelException("the treated and control states must differ");
        return new TreatmentContrast(a, t1, t0, y, OutcomeScale.For(model[y], eventState));
    }
}
