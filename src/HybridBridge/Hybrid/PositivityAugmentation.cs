using HybridSynth.HybridBridge.Data;
using HybridSynth.HybridBridge.Estimators;
using HybridSynth.HybridBridge.Generators;
using HybridSynth.HybridBridge.Learners;
using HybridSynth.Scm.Randomness;

namespace HybridSynth.HybridBridge.Hybrid;

/// <summary>
/// Positivity augmentation by synthetic pairing: every real unit whose estimated propensity is below ε
/// or above 1 − ε is paired with the nearest unused synthetic covariate row (standardised Euclidean
/// distance), which enters the data with the opposite treatment and an outcome drawn from Q̂ — so the
/// sparse arm gains support where the real data have none.
/// </summary>
public static class PositivityAugmentation
{
    /// <summary>Positivity augmentation: where the fitted propensity is within <paramref name="epsilon"/> of 0 or 1, adds synthetic units of the opposite arm drawn near those covariates (the generator's pool, outcome from Q̂); returns the augmented data and the number of rows added.</summary>
    public static (CausalData Augmented, int Added) Augment(CausalData real, double epsilon, string generator, ulong seed, NuisanceOptions? nuisance = null)
    {
        nuisance ??= new NuisanceOptions();
        var n = real.Count;
        var g = nuisance.Propensity.Fit(real.Covariates, Array.ConvertAll(real.Treatment, a => (double)a)).Predict(real.Covariates, n);
        var extreme = Enumerable.Range(0, n).Where(i => g[i] < epsilon || g[i] > 1 - epsilon).ToList();
        if (extreme.Count == 0) return (real, 0);
        var w = new ColumnTable(real.CovariateNames, real.Covariates);
        var pool = GeneratorRegistry.Create(generator).Fit(w, seed).Sample(Math.Max(4 * extreme.Count, 200), Seeds.GeneratorSample(seed, Seeds.SamplePurpose.AugmentationPool));
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
