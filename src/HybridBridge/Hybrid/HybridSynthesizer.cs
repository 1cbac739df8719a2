using HybridSynth.HybridBridge.Data;
using HybridSynth.HybridBridge.Estimators;
using HybridSynth.HybridBridge.Generators;
using HybridSynth.HybridBridge.Learners;
using HybridSynth.Scm.Randomness;

namespace HybridSynth.HybridBridge.Hybrid;

/// <summary>A synthetic dataset and, for a hybrid one, its ATE known exactly from Q̂ over the synthetic covariates.</summary>
public sealed record SyntheticData(CausalData Data, double KnownAte, string Description);

/// <summary>
/// Hybrid synthetic data (Xu): covariates W̃ from a generator fitted to W alone; the treatment
/// Ã ~ Bernoulli(ĝ(W̃)) from a propensity model fitted to the real (W, A), or by design
/// Bernoulli(1/2); the outcome from an outcome model fitted to the real (W, A, Y): Ỹ ~ Bernoulli(Q̂(Ã, W̃))
/// for a binary Y, Q̂(Ã, W̃) plus a resampled real residual for a continuous one. The synthetic
/// population's ATE is then mean(Q̂(1, W̃) − Q̂(0, W̃)), known exactly. The fully generative baseline fits
/// the same generator to (W, A, Y) jointly and has no known ATE.
/// </summary>
public static class HybridSynthesizer
{
    /// <summary>Xu's hybrid design: covariates W̃ from the generator fitted to the real W, A ~ Bernoulli(ĝ(W̃)) (or ½ by design), Y from Q̂(A, W̃) (a Bernoulli draw, or Q̂ plus a resampled residual); the known ATE is the mean of Q̂(1, W̃) − Q̂(0, W̃).</summary>
    public static SyntheticData Hybrid(CausalData real, HybridOptions o)
    {
        var rows = o.Rows ?? real.Count;
        var w = new ColumnTable(real.CovariateNames, real.Covariates);
        var generator = (o.GeneratorInstance ?? GeneratorRegistry.Create(o.Generator)).Fit(w, o.Seed);
        var wSyn = generator.Sample(rows, Seeds.GeneratorSample(o.Seed, Seeds.SamplePurpose.HybridCovariates));
        var g = o.Nuisance.Propensity.Fit(real.Covariates, Array.ConvertAll(real.Treatment, a => (double)a));
        var outcomeLearner = o.Nuisance.Outcome ?? new GeneralisedLinearModel(logistic: real.BinaryOutcome);
        var q = outcomeLearner.Fit(NuisanceEstimates.OutcomeDesign(real, null), real.Outcome);
        var keyA = Seeds.HybridTreatment(o.Seed);
        var keyY = Seeds.HybridOutcome(o.Seed);
        var gSyn = o.RandomisedDesign ? Enumerable.Repeat(0.5, rows).ToArray() : g.Predict(wSyn.Columns, rows);
        var treatment = Enumerable.Range(0, rows).Select(i => CounterNoise.Uniform(keyA, i) < gSyn[i] ? 1 : 0).ToArray();
        var synthetic = new CausalData(wSyn.Columns.ToArray(), real.CovariateNames, treatment, new double[rows], real.BinaryOutcome);
        var qObserved = q.Predict(NuisanceEstimates.OutcomeDesign(synthetic, null), rows);
        var q1 = q.Predict(NuisanceEstimates.OutcomeDesign(synthetic, 1), rows);
        var q0 = q.Predict(NuisanceEstimates.OutcomeDesign(synthetic, 0), rows);
        var outcome = new double[rows];
        if (real.BinaryOutcome)
        {
            for (var i = 0; i < rows; i++) outcome[i] = CounterNoise.Uniform(keyY, i) < qObserved[i] ? 1 : 0;
        }
        else
        {
            var fitted = q.Predict(NuisanceEstimates.OutcomeDesign(real, null), real.Count);
            var residuals = real.Outcome.Select((y, i) => y - fitted[i]).ToArray();
            for (var i = 0; i < rows; i++)
                outcome[i] = qObserved[i] + residuals[Math.Min(residuals.Length - 1, (int)(CounterNoise.Uniform(keyY, i) * residuals.Length))];
        }
        var data = new CausalData(wSyn.Columns.ToArray(), real.CovariateNames, treatment, outcome, real.BinaryOutcome);
        var ate = Enumerable.Range(0, rows).Average(i => q1[i] - q0[i]);
        var design = o.RandomisedDesign ? "A ~ Bernoulli(1/2) by design" : $"A ~ Bernoulli(ĝ(W̃)), ĝ = {o.Nuisance.Propensity.Name}";
        return new SyntheticData(data, ate, $"hybrid: W̃ from {o.Generator}; {design}; Y from Q̂ = {outcomeLearner.Name}");
    }

    /// <summary>The fully generative baseline: (W, A, Y) drawn jointly from the generator fitted to the real rows; it has no known ATE (NaN).</summary>
    public static SyntheticData FullyGenerative(CausalData real, HybridOptions o)
    {
        var rows = o.Rows ?? real.Count;
        var names = real.CovariateNames.Append("__A").Append("__Y").ToList();
        var columns = real.Covariates.Append(Array.ConvertAll(real.Treatment, a => (double)a)).Append(real.Outcome).ToList();
        var generator = (o.GeneratorInstance ?? GeneratorRegistry.Create(o.Generator)).Fit(new ColumnTable(names, columns), o.Seed);
        var s = generator.Sample(rows, Seeds.GeneratorSample(o.Seed, Seeds.SamplePurpose.FullyGenerative));
        var p = real.Covariates.Length;
        var treatment = s.Columns[p].Select(a => a >= 0.5 ? 1 : 0).ToArray();
        var outcome = real.BinaryOutcome ? s.Columns[p + 1].Select(y => y >= 0.5 ? 1.0 : 0.0).ToArray() : s.Columns[p + 1];
        return new SyntheticData(new CausalData(s.Columns.Take(p).ToArray(), real.CovariateNames, treatment, outcome, real.BinaryOutcome), double.NaN,
            $"fully generative: (W, A, Y) jointly from {o.Generator}");
    }
}
