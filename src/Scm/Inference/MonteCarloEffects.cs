using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Interventions;
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
    public static EffectEstimate AverageTreatmentEffect(CausalModel model, TreatmentContrast contrast, long n, ulong seed,
        IReadOnlyDictionary<int, int>? given = null, IEnumerable<Intervention>? otherInterventions = null, int threads = 1, int chunkSize = 65536)
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
        // Per chunk: (count, Σd, Σd², Σy1, Σy0), combined in unit order so the result is thread-independent.
        var parts = ChunkedRunner.Run(n, chunkSize, threads, (start, count) =>
        {
            var c1 = treated.SampleRange(start, count);
            var c0 = control.SampleRange(start, count);
            var cf = factual?.SampleRange(start, count);
            double s1 = 0, s0 = 0;
            var diffs = new List<double>(count);
            for (var i = 0; i < count; i++)
            {
                if (cf is not null && given.Any(g => (int)cf.Columns[g.Key][i] != g.Value)) continue;
                var y1 = contrast.Scale.Value(c1.Columns[contrast.Outcome][i]);
                var y0 = contrast.Scale.Value(c0.Columns[contrast.Outcome][i]);
                diffs.Add(y1 - y0);
                s1 += y1;
                s0 += y0;
            }
            return (Diffs: diffs, S1: s1, S0: s0);
        });
        // Welford over the kept individual effects, in unit order.
        long kept = 0;
        double mean = 0, m2 = 0, sum1 = 0, sum0 = 0;
        foreach (var part in parts)
        {
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
        return new EffectEstimate(mean, sum1 / kept, sum0 / kept, se, false, n, kept);
    }

    /// <summary>The mean (continuous) or state frequencies (categorical) of a target under do(…), with standard errors.</summary>
    public static (double[] Estimate, double[] StandardError, long Kept) Interventional(CausalModel model, int target, long n, ulong seed,
        IReadOnlyDictionary<int, int>? given = null, IEnumerable<Intervention>? interventions = null, int threads = 1, int chunkSize = 65536)
    {
        if (n < 2) throw new ModelException("Monte Carlo needs at least 2 units");
        given ??= new Dictionary<int, int>();
        foreach (var g in given.Keys)
            if (!model[g].IsCategorical) throw new ModelException($"conditioning on the continuous '{model[g].Name}' is not supported by Monte Carlo");
        var sampler = new AncestralSampler(model.Intervene(interventions ?? Array.Empty<Intervention>()), seed, NoiseStreams.MonteCarlo);
        var categorical = model[target].IsCategorical;
        var k = categorical ? model[target].Cardinality : 1;
        var counts = new double[k];
        double sum = 0, sumSq = 0;
        long kept = 0;
        foreach (var chunk in ChunkedRunner.Run(n, chunkSize, threads, (s, c) => sampler.SampleRange(s, c)))
            for (var i = 0; i < chunk.Count; i++)
            {
                if (given.Any(g => (int)chunk.Columns[g.Key][i] != g.Value)) continue;
                var y = chunk.Columns[target][i];
                kept++;
                if (categorical) counts[(int)y]++;
                else { sum += y; sumSq += y * y; }
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
