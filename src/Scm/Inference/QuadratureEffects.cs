using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Interventions;
using HybridSynth.Scm.Mechanisms;
using HybridSynth.Scm.Model;
using MathNet.Numerics;

namespace HybridSynth.Scm.Inference;

/// <summary>
/// Expectations over the law of a mixed discrete/continuous model by enumeration and quadrature:
/// in topological order, a categorical variable branches over its states with their probabilities,
/// and every noise coordinate of a continuous variable branches over Gauss–Hermite nodes
/// (U = Φ(z), so the integral over U ∈ (0,1) becomes one over Z ~ N(0,1)). The outcome itself is
/// not branched: its conditional mean is taken at the leaves. Exact for discrete models, and for
/// smooth mechanisms accurate to the quadrature error (checked against Monte Carlo in the tests).
/// Only the ancestors of the outcome are visited; a model whose tree would exceed
/// <see cref="MaxLeaves"/> leaves is refused.
/// </summary>
public sealed class QuadratureEffects
{
    /// <summary>The largest enumeration tree accepted (leaves).</summary>
    public const double MaxLeaves = 5e7;

    /// <summary>A quadrature with a <paramref name="points"/>-point Gauss–Hermite rule per continuous noise coordinate.</summary>
    public QuadratureEffects(int points = 24)
    {
        Points = points;
        (Nodes, Weights) = GaussHermite.Rule(points);
        Uniforms = Nodes.Select(z => Math.Clamp(0.5 * SpecialFunctions.Erfc(-z / Math.Sqrt(2)), 1e-300, 1 - 1e-16)).ToArray();
    }

    /// <summary>The Gauss–Hermite points per noise coordinate.</summary>
    public int Points { get; }
    private double[] Nodes { get; }
    private double[] Weights { get; }
    private double[] Uniforms { get; }

    /// <summary>True when the outcome's ancestors can be enumerated within <see cref="MaxLeaves"/> leaves; otherwise <paramref name="reason"/> says why not.</summary>
    public bool IsFeasible(CausalModel model, int outcome, out string reason)
    {
        var relevant = model.Graph.Ancestors(outcome);
        double leaves = 1;
        foreach (var v in relevant)
        {
            var m = model.Mechanisms[v];
            if (m is ITabulationLimit limit)
            {
                // An expensive mechanism (a language model) is evaluated once per distinct parent configuration the enumeration visits.
                double configurations = 1;
                foreach (var p in m.Parents) configurations *= model[p].IsCategorical ? model[p].Cardinality : double.PositiveInfinity;
                if (configurations > limit.MaxConfigurations)
                {
                    reason = $"enumerating the {m.Kind} mechanism of '{model[v].Name}' needs {configurations:0.###e0} parent configurations (limit {limit.MaxConfigurations}); use Monte Carlo";
                    return false;
                }
            }
            if (model[v].IsCategorical)
            {
                if (m is not ICategoricalMechanism) { reason = $"'{model[v].Name}' has no probability table"; return false; }
                leaves *= model[v].Cardinality;
            }
            else leaves *= Math.Pow(Points, m.NoiseDimension);
        }
        var om = model.Mechanisms[outcome];
        if (om is ITabulationLimit outcomeLimit && !relevant.Contains(outcome))
        {
            double configurations = 1;
            foreach (var p in om.Parents) configurations *= model[p].IsCategorical ? model[p].Cardinality : double.PositiveInfinity;
            if (configurations > outcomeLimit.MaxConfigurations)
            {
                reason = $"enumerating the {om.Kind} mechanism of '{model[outcome].Name}' needs {configurations:0.###e0} parent configurations (limit {outcomeLimit.MaxConfigurations}); use Monte Carlo";
                return false;
            }
        }
        if (!model[outcome].IsCategorical) leaves *= Math.Pow(Points, om.NoiseDimension);
        else if (om is not ICategoricalMechanism) { reason = $"the outcome '{model[outcome].Name}' has no probability table"; return false; }
        if (leaves > MaxLeaves)
        {
            reason = $"quadrature would visit {leaves:0.###e0} leaves (limit {MaxLeaves:0.###e0}); use Monte Carlo";
            return false;
        }
        reason = "";
        return true;
    }

    /// <summary>E[g(Y)] in the model (already intervened as wanted).</summary>
    public double Mean(CausalModel model, int outcome, OutcomeScale scale)
    {
        if (!IsFeasible(model, outcome, out var reason)) throw new ModelException(reason);
        var order = model.Graph.TopologicalOrder.Where(model.Graph.Ancestors(outcome).Contains).ToArray();
        var values = new double[model.Count];
        return Visit(model, order, 0, outcome, scale, values);
    }

    /// <summary>The ATE (or, with other interventions, the effect in the intervened model) by quadrature.</summary>
    public EffectEstimate AverageTreatmentEffect(CausalModel model, TreatmentContrast contrast, IEnumerable<Intervention>? otherInterventions = null)
    {
        var others = (otherInterventions ?? Array.Empty<Intervention>()).ToList();
        var m1 = Mean(model.Intervene(others.Append(new HardIntervention(contrast.Treatment, contrast.TreatedCode))), contrast.Outcome, contrast.Scale);
        var m0 = Mean(model.Intervene(others.Append(new HardIntervention(contrast.Treatment, contrast.ControlCode))), contrast.Outcome, contrast.Scale);
        return new EffectEstimate(m1 - m0, m1, m0, 0, true, 0, 0);
    }

    private double Visit(CausalModel model, int[] order, int depth, int outcome, OutcomeScale scale, double[] values)
    {
        if (depth == order.Length) return Leaf(model, outcome, scale, values);
        var v = order[depth];
        var m = model.Mechanisms[v];
        var parents = m.Parents.Select(p => values[p]).ToArray();
        if (model[v].IsCategorical)
        {
            var p = new double[model[v].Cardinality];
            ((ICategoricalMechanism)m).Probabilities(parents, p);
            var sum = 0.0;
            for (var k = 0; k < p.Length; k++)
            {
                if (p[k] == 0) continue;
                values[v] = k;
                sum += p[k] * Visit(model, order, depth + 1, outcome, scale, values);
            }
            return sum;
        }
        return Integrate(m.NoiseDimension, m.NoiseKind, noise =>
        {
            values[v] = m.Evaluate(parents, noise);
            return Visit(model, order, depth + 1, outcome, scale, values);
        });
    }

    private double Leaf(CausalModel model, int outcome, OutcomeScale scale, double[] values)
    {
        var m = model.Mechanisms[outcome];
        var parents = m.Parents.Select(p => values[p]).ToArray();
        if (model[outcome].IsCategorical)
        {
            var p = new double[model[outcome].Cardinality];
            ((ICategoricalMechanism)m).Probabilities(parents, p);
            var mean = 0.0;
            for (var k = 0; k < p.Length; k++) mean += p[k] * scale.Value(k);
            return mean;
        }
        return Integrate(m.NoiseDimension, m.NoiseKind, noise => m.Evaluate(parents, noise));
    }

    /// <summary>Σ over the tensor grid of Gauss–Hermite nodes for the given number of noise coordinates (z itself for Gaussian noise, U = Φ(z) for uniform noise).</summary>
    private double Integrate(int dimension, NoiseKind kind, Func<double[], double> f)
    {
        var noise = new double[dimension];
        if (dimension == 0) return f(noise);
        double Recurse(int d)
        {
            if (d == dimension) return f(noise);
            var s = 0.0;
            for (var j = 0; j < Points; j++)
            {
                noise[d] = kind == NoiseKind.StandardNormal ? Nodes[j] : Uniforms[j];
                s += Weights[j] * Recurse(d + 1);
            }
            return s;
        }
        return Recurse(0);
    }
}
