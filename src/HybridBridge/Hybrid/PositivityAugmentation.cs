using HybridSynth.HybridBridge.Data;
using HybridSynth.HybridBridge.Estimators;
using HybridSynth.HybridBridge.Generators;
using HybridSynth.HybridBridge.Learners;
using HybridSynth.Scm.Randomness;

namespace HybridSynth.HybridBridge.Hybrid;

/// <summary>How synthetic units enter the estimate.</summary>
public enum AugmentationMode
{
    /// <summary>
    /// Synthetic units inform the nuisance fits only (ĝ and Q̂ are fitted on real and synthetic units); the estimators and
    /// their influence curves average over the real units. The estimand stays the ATE over the real covariate law and the
    /// standard error comes from the real units.
    /// </summary>
    RealUnits,

    /// <summary>
    /// Synthetic units are counted as observations (the estimators average over real and synthetic units). The estimand
    /// moves to the augmented covariate law and the standard errors shrink with the synthetic count: kept only to measure
    /// what it costs (coverage falls), never the default.
    /// </summary>
    Pooled,
}

/// <summary>
/// Positivity augmentation by synthetic pairing: every real unit whose estimated propensity is below ε
/// or above 1 − ε is paired with the nearest unused synthetic covariate row (standardised Euclidean
/// distance), which enters the data with the opposite treatment and an outcome drawn from Q̂ — so the
/// sparse arm gains support where the real data have none. <see cref="Estimate"/> then uses the synthetic
/// units for the nuisance fits only (<see cref="AugmentationMode.RealUnits"/>).
/// </summary>
public static class PositivityAugmentation
{
    /// <summary>The generators that can augment: the registry's (bootstrap, copula, bn) and "lm" when a language-model generator is given.</summary>
    public static ITabularGenerator Generator(string name, ITabularGenerator? languageModel = null) => name switch
    {
        "lm" => languageModel ?? throw new Scm.Errors.ModelException("the lm generator needs a language model (--model FILE.gguf)"),
        _ when GeneratorRegistry.Names.Contains(name) => GeneratorRegistry.Create(name),
        _ => throw new Scm.Errors.ModelException($"unknown generator '{name}'; expected one of: {string.Join(", ", GeneratorRegistry.Names.Append("lm"))}"),
    };

    /// <summary>Positivity augmentation with the named generator (see <see cref="Augment(CausalData, double, ITabularGenerator, ulong, NuisanceOptions?)"/>).</summary>
    public static (CausalData Augmented, int Added) Augment(CausalData real, double epsilon, string generator, ulong seed, NuisanceOptions? nuisance = null) =>
        Augment(real, epsilon, Generator(generator), seed, nuisance);

    /// <summary>The estimators that augmentation applies to: those that use the outcome model (or, aipw, tmle). IPW needs the
    /// real treatment mechanism, which a propensity fitted with synthetic opposite-arm units no longer is.</summary>
    public static IReadOnlyList<string> Applicable { get; } = ["or", "aipw", "tmle"];

    /// <summary>
    /// The estimates after augmentation, for the <see cref="Applicable"/> estimators among <paramref name="estimators"/>.
    /// <see cref="AugmentationMode.RealUnits"/> (the default): the nuisances are fitted on the real and the synthetic units and
    /// evaluated at the real units, where every estimator averages, so the estimand stays the ATE over the real covariate law.
    /// Its standard error is the nonparametric bootstrap's over the real units (<paramref name="bootstrap"/> resamples, each
    /// re-augmented): the influence curve alone would treat the outcome model's extrapolation into the region without
    /// overlap as known, and undercover. <see cref="AugmentationMode.Pooled"/> counts the synthetic units as observations
    /// (influence-curve SEs over all units): only to measure what that costs.
    /// </summary>
    /// <returns>The estimates, and how many synthetic units were added.</returns>
    public static (IReadOnlyList<AteEstimate> Estimates, int Added) Estimate(CausalData real, double epsilon, ITabularGenerator generator, ulong seed,
        NuisanceOptions nuisance, IReadOnlyList<string> estimators, AugmentationMode mode = AugmentationMode.RealUnits, int bootstrap = 200)
    {
        var names = estimators.Where(Applicable.Contains).ToList();
        IReadOnlyList<AteEstimate> Point(CausalData data, ulong key, out int added)
        {
            var (augmented, count) = Augment(data, epsilon, generator, key, nuisance);
            added = count;
            IReadOnlyList<AteEstimate> Run(CausalData d, NuisanceEstimates nu) => names.Select(e => EstimatorRegistry.Create(e).Estimate(d, nu)).ToList();
            if (mode == AugmentationMode.Pooled) return Run(augmented, NuisanceEstimates.Fit(augmented, nuisance));
            var synthetic = augmented.Subset(Enumerable.Range(data.Count, count).ToList());
            return Run(data, NuisanceEstimates.Fit(data, nuisance, synthetic));
        }
        var estimates = Point(real, seed, out var addedRows);
        if (mode == AugmentationMode.Pooled || bootstrap < 2) return (estimates, addedRows);
        var draws = names.Select(_ => new List<double>()).ToList();
        var n = real.Count;
        for (var b = 0; b < bootstrap; b++)
        {
            var key = Seeds.AugmentationBootstrap(seed, b);
            var rows = Enumerable.Range(0, n).Select(i => (int)Math.Min(n - 1, CounterNoise.Uniform(key, i) * n)).ToList();
            var resample = real.Subset(rows);
            if (!resample.HasBothArms) continue;
            var e = Point(resample, key, out _);
            for (var k = 0; k < names.Count; k++) if (double.IsFinite(e[k].Estimate)) draws[k].Add(e[k].Estimate);
        }
        return (estimates.Select((e, k) =>
        {
            var d = draws[k];
            var mean = d.Count > 1 ? d.Average() : double.NaN;
            var se = d.Count > 1 ? Math.Sqrt(d.Sum(x => (x - mean) * (x - mean)) / (d.Count - 1)) : double.NaN;
            return e with { StandardError = se };
        }).ToList(), addedRows);
    }

    /// <summary>Positivity augmentation: where the fitted propensity is within <paramref name="epsilon"/> of 0 or 1, adds synthetic units of the opposite arm drawn near those covariates (the generator's pool, outcome from Q̂); returns the augmented data (the real units first) and the number of rows added.</summary>
    public static (CausalData Augmented, int Added) Augment(CausalData real, double epsilon, ITabularGenerator generator, ulong seed, NuisanceOptions? nuisance = null)
    {
        nuisance ??= new NuisanceOptions();
        var n = real.Count;
        var g = nuisance.Propensity.Fit(real.Covariates, Array.ConvertAll(real.Treatment, a => (double)a)).Predict(real.Covariates, n);
        var extreme = Enumerable.Range(0, n).Where(i => g[i] < epsilon || g[i] > 1 - epsilon).ToList();
        if (extreme.Count == 0) return (real, 0);
        var w = new ColumnTable(real.CovariateNames, real.Covariates);
        var pool = generator.Fit(w, seed).Sample(Math.Max(4 * extreme.Count, 200), Seeds.GeneratorSample(seed, Seeds.SamplePurpose.AugmentationPool));
        var q = (nuisance.Outcome ?? new GeneralisedLinearModel(logistic: real.BinaryOutcome)).Fit(NuisanceEstimates.OutcomeDesign(real, null), real.Outcome);
        var p = real.Covariates.Length;
        var mean = real.Covariates.Select(c => c.Average()).ToArray();
        var sd = real.Covariates.Select((c, j) => Math.Sqrt(c.Sum(x => (x - mean[j]) * (x - mean[j])) / Math.Max(1, n - 1))).Select(s => s > 0 ? s : 1).ToArray();
        var used = new bool[pool.Rows];
        var newW = Enumerable.Range(0, p).Select(_ => new List<double>()).ToArray();
        var newA = new List<int>();
        foreach (var i in extreme)
        {
            var best = -1;
            var bestDistance = double.MaxValue;
            for (var r = 0; r < pool.Rows; r++)
            {
                if (used[r]) continue;
                double d = 0;
                for (var j = 0; j < p; j++)
                {
                    var z = (real.Covariates[j][i] - pool.Columns[j][r]) / sd[j];
                    d += z * z;
                }
                if (d < bestDistance) { bestDistance = d; best = r; }
            }
            if (best < 0) break;
            used[best] = true;
            for (var j = 0; j < p; j++) newW[j].Add(pool.Columns[j][best]);
            newA.Add(1 - real.Treatment[i]);
        }
        var added = newA.Count;
        var addedData = new CausalData(newW.Select(l => l.ToArray()).ToArray(), real.CovariateNames, newA.ToArray(), new double[added], real.BinaryOutcome);
        var mu = q.Predict(NuisanceEstimates.OutcomeDesign(addedData, null), added);
        var key = Seeds.Augmentation(seed);
        var fitted = q.Predict(NuisanceEstimates.OutcomeDesign(real, null), n);
        var residuals = real.Outcome.Select((y, k) => y - fitted[k]).ToArray();
        var y = Enumerable.Range(0, added).Select(k => real.BinaryOutcome
            ? (CounterNoise.Uniform(key, k) < mu[k] ? 1.0 : 0.0)
            : mu[k] + residuals[Math.Min(n - 1, (int)(CounterNoise.Uniform(key, k) * n))]).ToArray();
        var covariates = Enumerable.Range(0, p).Select(j => real.Covariates[j].Concat(newW[j]).ToArray()).ToArray();
        return (new CausalData(covariates, real.CovariateNames, real.Treatment.Concat(newA).ToArray(), real.Outcome.Concat(y).ToArray(), real.BinaryOutcome), added);
    }
}
