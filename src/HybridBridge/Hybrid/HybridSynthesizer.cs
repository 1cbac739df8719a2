using HybridSynth.HybridBridge.Data;
using HybridSynth.HybridBridge.Estimators;
using HybridSynth.HybridBridge.Generators;
using HybridSynth.HybridBridge.Learners;
using HybridSynth.Scm.Randomness;

namespace HybridSynth.HybridBridge.Hybrid;

/// <summary>A synthetic dataset and, for a hybrid one, its ATE known exactly from Q̂ over the synthetic covariates.</summary>
public sealed record SyntheticData(CausalData Data, double KnownAte, string Description)
{
    /// <summary>What the caller should know about the data (for example a learned contrast that does not vary with W).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

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
        var fitted = FittedHybrid.Fit(real, o);
        return fitted.Draw(o.Rows ?? real.Count, Seeds.GeneratorSample(o.Seed, Seeds.SamplePurpose.HybridCovariates), Seeds.HybridTreatment(o.Seed), Seeds.HybridOutcome(o.Seed));
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

/// <summary>
/// A hybrid model fitted to real data once (Xu): the covariate generator fitted to W, the propensity ĝ fitted to (W, A) and
/// the outcome model Q̂ fitted to (W, A, Y). Every draw is a fresh synthetic population from it, so it is also a data-generating
/// process with a known truth: the pre-analysis simulation engine (<c>simulate --data</c>) draws its replications from it.
/// </summary>
public sealed class FittedHybrid
{
    private readonly IFittedGenerator _generator;
    private readonly IFittedModel _g;
    private readonly IFittedModel _q;
    private readonly double[] _residuals;
    private readonly HybridOptions _options;
    private readonly CausalData _real;
    private readonly string _learnerName;

    private FittedHybrid(CausalData real, HybridOptions options, IFittedGenerator generator, IFittedModel g, IFittedModel q, double[] residuals, string learnerName)
    {
        (_real, _options, _generator, _g, _q, _residuals, _learnerName) = (real, options, generator, g, q, residuals, learnerName);
    }

    /// <summary>Fits the generator, ĝ and Q̂ of <paramref name="o"/> to <paramref name="real"/>.</summary>
    public static FittedHybrid Fit(CausalData real, HybridOptions o)
    {
        var w = new ColumnTable(real.CovariateNames, real.Covariates);
        var generator = (o.GeneratorInstance ?? GeneratorRegistry.Create(o.Generator)).Fit(w, o.Seed);
        var g = o.Nuisance.Propensity.Fit(real.Covariates, Array.ConvertAll(real.Treatment, a => (double)a));
        var outcomeLearner = o.Nuisance.Outcome ?? new GeneralisedLinearModel(logistic: real.BinaryOutcome);
        var q = outcomeLearner.Fit(Design(real, null, o.OutcomeInteractions), real.Outcome);
        var residuals = Array.Empty<double>();
        if (!real.BinaryOutcome)
        {
            var fitted = q.Predict(Design(real, null, o.OutcomeInteractions), real.Count);
            residuals = real.Outcome.Select((y, i) => y - fitted[i]).ToArray();
        }
        return new FittedHybrid(real, o, generator, g, q, residuals, outcomeLearner.Name);
    }

    /// <summary>The outcome model's design: (A, W), with A·W when <paramref name="interactions"/>.</summary>
    public static IReadOnlyList<double[]> Design(CausalData d, int? arm, bool interactions)
    {
        var main = NuisanceEstimates.OutcomeDesign(d, arm);
        return interactions ? main.Concat(d.Covariates.Select(c => c.Select((x, i) => x * main[0][i]).ToArray())).ToArray() : main;
    }

    /// <summary>A synthetic population of <paramref name="rows"/> units: W̃ with <paramref name="covariateSeed"/>, Ã and Ỹ with their keys; its known ATE is the mean of Q̂(1, W̃) − Q̂(0, W̃).</summary>
    public SyntheticData Draw(int rows, ulong covariateSeed, ulong treatmentKey, ulong outcomeKey)
    {
        var o = _options;
        var wSyn = _generator.Sample(rows, covariateSeed);
        var gSyn = o.RandomisedDesign ? Enumerable.Repeat(0.5, rows).ToArray() : _g.Predict(wSyn.Columns, rows);
        var treatment = Enumerable.Range(0, rows).Select(i => CounterNoise.Uniform(treatmentKey, i) < gSyn[i] ? 1 : 0).ToArray();
        var synthetic = new CausalData(wSyn.Columns.ToArray(), _real.CovariateNames, treatment, new double[rows], _real.BinaryOutcome);
        var qObserved = _q.Predict(Design(synthetic, null, o.OutcomeInteractions), rows);
        var q1 = _q.Predict(Design(synthetic, 1, o.OutcomeInteractions), rows);
        var q0 = _q.Predict(Design(synthetic, 0, o.OutcomeInteractions), rows);
        var outcome = new double[rows];
        for (var i = 0; i < rows; i++)
            outcome[i] = _real.BinaryOutcome
                ? (CounterNoise.Uniform(outcomeKey, i) < qObserved[i] ? 1 : 0)
                : qObserved[i] + _residuals[Math.Min(_residuals.Length - 1, (int)(CounterNoise.Uniform(outcomeKey, i) * _residuals.Length))];
        var data = new CausalData(wSyn.Columns.ToArray(), _real.CovariateNames, treatment, outcome, _real.BinaryOutcome);
        var contrasts = Enumerable.Range(0, rows).Select(i => q1[i] - q0[i]).ToArray();
        var ate = contrasts.Average();
        var spread = rows > 1 ? Math.Sqrt(contrasts.Sum(c => (c - ate) * (c - ate)) / (rows - 1)) : 0;
        var warnings = new List<string>();
        if (!(spread > 1e-9 * (1 + Math.Abs(ate))))
            warnings.Add($"the learned contrast Q̂(1, W) − Q̂(0, W) is the same for every unit ({ate.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)}): the known ATE does not depend on the generated covariates; fit the outcome with treatment interactions or a flexible learner");
        var design = o.RandomisedDesign ? "A ~ Bernoulli(1/2) by design" : $"A ~ Bernoulli(ĝ(W̃)), ĝ = {o.Nuisance.Propensity.Name}";
        return new SyntheticData(data, ate, $"hybrid: W̃ from {o.Generator}; {design}; Y from Q̂ = {_learnerName} on {(o.OutcomeInteractions ? "(A, W, A·W)" : "(A, W)")}") { Warnings = warnings };
    }

    /// <summary>
    /// The hybrid population's ATE, E over the generator's W̃ of Q̂(1, W̃) − Q̂(0, W̃), by Monte Carlo over <paramref name="units"/>
    /// generated units; returns the estimate and its standard error.
    /// </summary>
    public (double Ate, double StandardError) TrueAte(int units, ulong seed)
    {
        var wSyn = _generator.Sample(units, seed);
        var d = new CausalData(wSyn.Columns.ToArray(), _real.CovariateNames, new int[units], new double[units], _real.BinaryOutcome);
        var q1 = _q.Predict(Design(d, 1, _options.OutcomeInteractions), units);
        var q0 = _q.Predict(Design(d, 0, _options.OutcomeInteractions), units);
        var c = Enumerable.Range(0, units).Select(i => q1[i] - q0[i]).ToArray();
        var mean = c.Average();
        var sd = units > 1 ? Math.Sqrt(c.Sum(x => (x - mean) * (x - mean)) / (units - 1)) : 0;
        return (mean, sd / Math.Sqrt(units));
    }
}
