using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Interventions;
using HybridSynth.Scm.Mechanisms;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Randomness;
using HybridSynth.Scm.Sampling;

namespace HybridSynth.Scm.Inference;

/// <summary>
/// Monte Carlo effects for models where exact inference does not apply (continuous or too large):
/// n units are drawn with common exogenous noise under do(A = treated) and do(A = control), so each
/// unit contributes its individual effect g(Y(1)) − g(Y(0)); the estimate is their mean with
/// standard error sd/√m. Evidence on categorical variables (the CATE) is applied by keeping the
/// units whose factual covariates match (m of the n).
/// </summary>
public static class MonteCarloEffects
{
    /// <summary>The ATE by Monte Carlo: n units, each drawn under both arms with the same noise (common random numbers), with the standard error of the mean of the unit-level differences.</summary>
    public static EffectEstimate AverageTreatmentEffect(CausalModel model, TreatmentContrast contrast, long n, ulong seed,
        IReadOnlyDictionary<int, int>? given = null, IEnumerable<Intervention>? otherInterventions = null, int threads = 1, int chunkSize = 65536,
        Action<long>? progress = null)
    {
        if (n < 2) throw new ModelException("Monte Carlo needs at least 2 units");
        given ??= new Dictionary<int, int>();
        foreach (var g in given.Keys)
            if (!model[g].IsCategorical) throw new ModelException($"conditioning on the continuous '{model[g].Name}' is not supported by Monte Carlo; condition on categorical variables");
        var others = (otherInterventions ?? Array.Empty<Intervention>()).ToList();
        var baseModel = model.Intervene(others);
        var treated = new AncestralSampler(baseModel.Intervene(new HardIntervention(contrast.Treatment, contrast.TreatedCode)), seed, NoiseStreams.MonteCarlo);
        var control = new AncestralSampler(baseModel.Intervene(new HardIntervention(contrast.Treatment, contrast.ControlCode)), seed, NoiseStreams.MonteCarlo);
        var factual = given.Count > 0 ? new AncestralSampler(baseModel, seed, NoiseStreams.MonteCarlo) : null;
        // Rao–Blackwellised outcome: for a categorical outcome with a probability table, each unit contributes
        // E[g(Y) | its sampled parents] = Σ_k P(Y = k | parents) g(k) instead of g(its drawn Y): unbiased for the
        // same mean, with less variance, and never degenerate because the draw happened to be the same state.
        var treatedOutcome = treated.Model.Mechanisms[contrast.Outcome] as ICategoricalMechanism;
        var controlOutcome = control.Model.Mechanisms[contrast.Outcome] as ICategoricalMechanism;
        var stateValues = contrast.Scale.StateValues;
        var raoBlackwell = stateValues is not null && treatedOutcome is not null && controlOutcome is not null;
        double Expected(ICategoricalMechanism m, SampleChunk chunk, int i)
        {
            Span<double> parents = stackalloc double[m.Parents.Count];
            for (var k = 0; k < parents.Length; k++) parents[k] = chunk.Columns[m.Parents[k]][i];
            Span<double> p = stackalloc double[stateValues!.Length];
            m.Probabilities(parents, p);
            var e = 0.0;
            for (var k = 0; k < p.Length; k++) e += p[k] * stateValues[k];
            return e;
        }
        // Per chunk: (count, Σd, Σd², Σy1, Σy0), combined in unit order so the result is thread-independent.
        var parts = ChunkedRunner.Run(n, chunkSize, threads, (start, count) =>
        {
            var worlds = AncestralSampler.SampleJointly(factual is null ? new[] { treated, control } : new[] { treated, control, factual }, start, count);
            var c1 = worlds[0];
            var c0 = worlds[1];
            var cf = factual is null ? null : worlds[2];
            double s1 = 0, s0 = 0;
            var diffs = new List<double>(count);
            for (var i = 0; i < count; i++)
            {
                if (cf is not null && given.Any(g => (int)cf.Columns[g.Key][i] != g.Value)) continue;
                var y1 = raoBlackwell ? Expected(treatedOutcome!, c1, i) : contrast.Scale.Value(c1.Columns[contrast.Outcome][i]);
                var y0 = raoBlackwell ? Expected(controlOutcome!, c0, i) : contrast.Scale.Value(c0.Columns[contrast.Outcome][i]);
                diffs.Add(y1 - y0);
                s1 += y1;
                s0 += y0;
            }
            return (Diffs: diffs, S1: s1, S0: s0, Count: count);
        });
        // Welford over the kept individual effects, in unit order.
        long kept = 0;
        double mean = 0, m2 = 0, sum1 = 0, sum0 = 0;
        long done = 0;
        foreach (var part in parts)
        {
            done += part.Count;
            progress?.Invoke(done);
            sum1 += part.S1;
            sum0 += part.S0;
            foreach (var d in part.Diffs)
            {
                kept++;
                var delta = d - mean;
                mean += delta / kept;
                m2 += delta * (d - mean);
            }
        }
        if (kept < 2) throw new ModelException($"only {kept} of {n} Monte Carlo units match the conditioning values; increase -n");
        var se = Math.Sqrt(m2 / (kept - 1) / kept);
        if (m2 == 0 && stateValues is not null)
        {
            // Every unit had the same effect: the sample SE is 0, but that does not make the mean exact. With
            // no unit out of `kept` differing, the share of units that differ is below 3/kept at 95% (the rule
            // of three), and each moves the mean by at most the outcome's range: report that bound as the interval.
            var range = stateValues.Max() - stateValues.Min();
            se = range * 3.0 / kept / Numerics.SpecialFunctions.Z975;
        }
        return new EffectEstimate(mean, sum1 / kept, sum0 / kept, se, false, n, kept);
    }

    /// <summary>The mean (continuous) or state frequencies (categorical) of a target under do(…), with standard errors.</summary>
    public static (double[] Estimate, double[] StandardError, long Kept) Interventional(CausalModel model, int target, long n, ulong seed,
        IReadOnlyDictionary<int, int>? given = null, IEnumerable<Intervention>? interventions = null, int threads = 1, int chunkSize = 65536,
        Action<long>? progress = null)
    {
        if (n < 2) throw new ModelException("Monte Carlo needs at least 2 units");
        given ??= new Dictionary<int, int>();
        foreach (var g in given.Keys)
            if (!model[g].IsCategorical) throw new ModelException($"conditioning on the continuous '{model[g].Name}' is not supported by Monte Carlo");
        long done = 0;
        var sampler = new AncestralSampler(model.Intervene(interventions ?? Array.Empty<Intervention>()), seed, NoiseStreams.MonteCarlo);
        var categorical = model[target].IsCategorical;
        var k = categorical ? model[target].Cardinality : 1;
        var counts = new double[k];
        double sum = 0, sumSq = 0;
        long kept = 0;
        foreach (var chunk in ChunkedRunner.Run(n, chunkSize, threads, (s, c) => sampler.SampleRange(s, c)))
        {
            done += chunk.Count;
            progress?.Invoke(done);
            for (var i = 0; i < chunk.Count; i++)
            {
                if (given.Any(g => (int)chunk.Columns[g.Key][i] != g.Value)) continue;
                var y = chunk.Columns[target][i];
                kept++;
                if (categorical) counts[(int)y]++;
                else { sum += y; sumSq += y * y; }
            }
        }
        if (kept < 2) throw new ModelException($"only {kept} of {n} Monte Carlo units match the conditioning values; increase -n");
        if (categorical)
        {
            var p = counts.Select(c => c / kept).ToArray();
            return (p, p.Select(x => Math.Sqrt(x * (1 - x) / kept)).ToArray(), kept);
        }
        var mean = sum / kept;
        var variance = Math.Max(0, (sumSq - kept * mean * mean) / (kept - 1));
        return (new[] { mean }, new[] { Math.Sqrt(variance / kept) }, kept);
    }
}
