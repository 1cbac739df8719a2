using HybridSynth.Scm.Interventions;
using HybridSynth.Scm.Model;

namespace HybridSynth.Scm.Inference;

/// <summary>
/// Exact interventional quantities of a discrete model by the truncated factorisation:
/// P(Y | do(X = x), E = e) is ordinary inference on the mutilated model.
/// </summary>
public static class ExactEffects
{
    /// <summary>P(target | evidence, do(interventions)).</summary>
    public static double[] Interventional(CausalModel model, int target, IReadOnlyDictionary<int, int> evidence, IEnumerable<Intervention> interventions) =>
        new VariableElimination(model.Intervene(interventions)).Query(target, evidence);

    /// <summary>
    /// ATE = E[g(Y) | do(A = treated)] − E[g(Y) | do(A = control)], or, with <paramref name="given"/>,
    /// the CATE E[g(Y) | do(A = a), W = w] contrast (W pre-treatment for the usual reading).
    /// </summary>
    public static EffectEstimate AverageTreatmentEffect(CausalModel model, TreatmentContrast contrast, IReadOnlyDictionary<int, int>? given = null, IEnumerable<Intervention>? otherInterventions = null)
    {
        given ??= new Dictionary<int, int>();
        var others = (otherInterventions ?? Array.Empty<Intervention>()).ToList();
        double Mean(int code)
        {
            var p = Interventional(model, contrast.Outcome, given, others.Append(new HardIntervention(contrast.Treatment, code)));
            var m = 0.0;
            for (var k = 0; k < p.Length; k++) m += p[k] * contrast.Scale.Value(k);
            return m;
        }
        var m1 = Mean(contrast.TreatedCode);
        var m0 = Mean(contrast.ControlCode);
        return new EffectEstimate(m1 - m0, m1, m0, 0, true, 0, 0);
    }
}
