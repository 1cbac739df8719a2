using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Interventions;
using HybridSynth.Scm.Model;

namespace HybridSynth.Scm.Inference;

/// <summary>How a ground truth is computed: <see cref="Auto"/> takes the first method that applies.</summary>
public enum GroundTruthMethod
{
    /// <summary>Exact when variable elimination is feasible, else quadrature (an ATE without conditioning), else Monte Carlo.</summary>
    Auto,
    /// <summary>Variable elimination (discrete models).</summary>
    Exact,
    /// <summary>Enumeration over the categorical ancestors and Gauss–Hermite quadrature over continuous noise.</summary>
    Quadrature,
    /// <summary>Monte Carlo with its standard error.</summary>
    MonteCarlo,
}

/// <summary>The Monte Carlo fallback's settings: units, seed, threads, chunk size and a progress callback (units done).</summary>
public sealed record MonteCarloSettings(long Units, ulong Seed, int Threads = 1, int ChunkSize = 65536, Action<long>? Progress = null);

/// <summary>An effect with the method that computed it (and, for quadrature, its points per Gaussian noise).</summary>
public sealed record GroundTruthEffect(EffectEstimate Estimate, GroundTruthMethod Method, int QuadraturePoints = 0);

/// <summary>A distribution (or a mean, for a continuous target) with its standard errors when it was simulated.</summary>
public sealed record GroundTruthDistribution(double[] Values, double[]? StandardErrors, long Kept, bool Exact);

/// <summary>
/// The one cascade behind every ground truth the tool reports (<c>query</c>, <c>simulate</c>, a C# caller):
/// exact by variable elimination when it is feasible, else Gauss–Hermite quadrature for an ATE without
/// conditioning, else Monte Carlo; or the one method asked for, with the reason when it cannot apply.
/// </summary>
public static class GroundTruth
{
    /// <summary>The method <see cref="AverageTreatmentEffect"/> would use (cheap: feasibility checks only), so a caller can show progress for Monte Carlo alone.</summary>
    /// <exception cref="ModelException">The method asked for does not apply (the message says why).</exception>
    public static GroundTruthMethod ChooseForEffect(CausalModel model, TreatmentContrast contrast, GroundTruthMethod method,
        IReadOnlyDictionary<int, int>? evidence = null, IReadOnlyList<Intervention>? interventions = null)
    {
        evidence ??= new Dictionary<int, int>();
        var mutilated = model.Intervene((interventions ?? []).Append(new HardIntervention(contrast.Treatment, contrast.TreatedCode)));
        string whyNot = "", whyNoQuadrature = "";
        if (method is GroundTruthMethod.Auto or GroundTruthMethod.Exact && new VariableElimination(mutilated).IsFeasible(new[] { contrast.Outcome }, evidence.Keys, out whyNot))
            return GroundTruthMethod.Exact;
        if (method == GroundTruthMethod.Exact) throw new ModelException(whyNot);
        if (method != GroundTruthMethod.MonteCarlo && evidence.Count == 0 && new QuadratureEffects().IsFeasible(mutilated, contrast.Outcome, out whyNoQuadrature))
            return GroundTruthMethod.Quadrature;
        if (method == GroundTruthMethod.Quadrature)
            throw new ModelException(evidence.Count > 0 ? "quadrature does not condition on --given; use --method mc" : whyNoQuadrature);
        return GroundTruthMethod.MonteCarlo;
    }

    /// <summary>The ATE (the CATE given <paramref name="evidence"/>) of the contrast, under further interventions.</summary>
    /// <exception cref="ModelException">The method asked for does not apply (the message says why).</exception>
    public static GroundTruthEffect AverageTreatmentEffect(CausalModel model, TreatmentContrast contrast, GroundTruthMethod method, MonteCarloSettings monteCarlo,
        IReadOnlyDictionary<int, int>? evidence = null, IReadOnlyList<Intervention>? interventions = null)
    {
        evidence ??= new Dictionary<int, int>();
        interventions ??= [];
        switch (ChooseForEffect(model, contrast, method, evidence, interventions))
        {
            case GroundTruthMethod.Exact:
                return new GroundTruthEffect(ExactEffects.AverageTreatmentEffect(model, contrast, evidence, interventions), GroundTruthMethod.Exact);
            case GroundTruthMethod.Quadrature:
                var quadrature = new QuadratureEffects();
                return new GroundTruthEffect(quadrature.AverageTreatmentEffect(model, contrast, interventions), GroundTruthMethod.Quadrature, quadrature.Points);
            default:
                var m = monteCarlo;
                return new GroundTruthEffect(
                    MonteCarloEffects.AverageTreatmentEffect(model, contrast, m.Units, m.Seed, evidence, interventions, m.Threads, m.ChunkSize, m.Progress),
                    GroundTruthMethod.MonteCarlo);
        }
    }

    /// <summary>Whether <see cref="Distribution"/> is exact (true) or Monte Carlo for this query and method.</summary>
    /// <exception cref="ModelException">Exact inference was asked for and is not feasible.</exception>
    public static bool IsExact(CausalModel model, int target, GroundTruthMethod method, IReadOnlyDictionary<int, int>? evidence = null, IReadOnlyList<Intervention>? interventions = null)
    {
        if (method == GroundTruthMethod.MonteCarlo) return false;
        var ok = new VariableElimination(model.Intervene(interventions ?? [])).IsFeasible(new[] { target }, (evidence ?? new Dictionary<int, int>()).Keys, out var why);
        if (!ok && method == GroundTruthMethod.Exact) throw new ModelException(why);
        return ok;
    }

    /// <summary>P(target | evidence, do(interventions)): exact when feasible (and not <see cref="GroundTruthMethod.MonteCarlo"/>), else Monte Carlo.</summary>
    /// <exception cref="ModelException">Exact inference was asked for and is not feasible.</exception>
    public static GroundTruthDistribution Distribution(CausalModel model, int target, GroundTruthMethod method, MonteCarloSettings monteCarlo,
        IReadOnlyDictionary<int, int>? evidence = null, IReadOnlyList<Intervention>? interventions = null)
    {
        evidence ??= new Dictionary<int, int>();
        interventions ??= [];
        if (IsExact(model, target, method, evidence, interventions))
            return new GroundTruthDistribution(new VariableElimination(model.Intervene(interventions)).Query(target, evidence), null, 0, true);
        var m = monteCarlo;
        var (p, se, kept) = MonteCarloEffects.Interventional(model, target, m.Units, m.Seed, evidence, interventions, m.Threads, m.ChunkSize, m.Progress);
        return new GroundTruthDistribution(p, se, kept, false);
    }

    /// <summary>
    /// P(t | evidence, do(interventions)) for every target: all at once from one calibrated clique tree when exact inference
    /// is feasible for them together (<see cref="VariableElimination.Marginals"/>), else target by target as
    /// <see cref="Distribution"/> does (Monte Carlo where exact inference is not feasible).
    /// </summary>
    public static IReadOnlyList<GroundTruthDistribution> Distributions(CausalModel model, IReadOnlyList<int> targets, GroundTruthMethod method, MonteCarloSettings monteCarlo,
        IReadOnlyDictionary<int, int>? evidence = null, IReadOnlyList<Intervention>? interventions = null)
    {
        evidence ??= new Dictionary<int, int>();
        interventions ??= [];
        var exact = new VariableElimination(model.Intervene(interventions));
        if (method != GroundTruthMethod.MonteCarlo && exact.IsFeasible(targets, evidence.Keys, out _))
        {
            try
            {
                return exact.Marginals(targets, evidence).Select(p => new GroundTruthDistribution(p, null, 0, true)).ToList();
            }
            catch (ModelException) when (targets.Count > 1)
            {
                // The cliques of all targets together are too large: one elimination per target below.
            }
        }
        return targets.Select(t => Distribution(model, t, method, monteCarlo, evidence, interventions)).ToList();
    }
}
