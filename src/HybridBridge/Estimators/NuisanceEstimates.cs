using HybridSynth.HybridBridge.Data;
using HybridSynth.HybridBridge.Learners;
using HybridSynth.Scm.Randomness;

namespace HybridSynth.HybridBridge.Estimators;

/// <summary>
/// Fitted nuisances for every unit: the truncated propensity g(W) = P(A = 1 | W), and the outcome
/// regression Q(a, W) = E[Y | A = a, W] at the observed, treated and control arms. Computed once and
/// shared by all estimators; with K-fold cross-fitting each unit's values come from models fitted on
/// the other folds.
/// </summary>
public sealed class NuisanceEstimates
{
    private NuisanceEstimates(double[] g, double[] q, double[] q1, double[] q0, double bound, int truncated, IGlmModel? outcomeGlm, IGlmModel? propensityGlm, bool[] atBound)
    {
        PropensityGlm = propensityGlm;
        AtBound = atBound;
        G = g;
        Q = q;
        Q1 = q1;
        Q0 = q0;
        Bound = bound;
        Truncated = truncated;
        OutcomeGlm = outcomeGlm;
    }

    /// <summary>The truncated propensity g(Wᵢ) = P(A = 1 | Wᵢ) per unit, within [bound, 1 − bound].</summary>
    public double[] G { get; }
    /// <summary>The outcome regression at the observed arm, Q(Aᵢ, Wᵢ).</summary>
    public double[] Q { get; }
    /// <summary>The outcome regression under treatment, Q(1, Wᵢ).</summary>
    public double[] Q1 { get; }
    /// <summary>The outcome regression under control, Q(0, Wᵢ).</summary>
    public double[] Q0 { get; }

    /// <summary>δ: propensities were bounded to [δ, 1 − δ].</summary>
    public double Bound { get; }

    /// <summary>Units whose propensity was moved by the bound.</summary>
    public int Truncated { get; }

    /// <summary>The outcome model when it is a GLM fitted on all rows (then outcome regression gets a sandwich standard error).</summary>
    public IGlmModel? OutcomeGlm { get; }

    /// <summary>The propensity model when it is a logistic GLM fitted on all rows (then IPW's standard error accounts for its estimation).</summary>
    public IGlmModel? PropensityGlm { get; }

    /// <summary>Units whose propensity sits at a bound (the propensity does not move with the coefficients there).</summary>
    public bool[] AtBound { get; }

    /// <summary>Fits the propensity and outcome learners of <paramref name="options"/> (cross-fitted when it has more than one fold) and evaluates them for every unit.</summary>
    public static NuisanceEstimates Fit(CausalData data, NuisanceOptions options) => Fit(data, options, null);

    /// <summary>
    /// As <see cref="Fit(CausalData, NuisanceOptions)"/>, with <paramref name="extraTraining"/> units (synthetic ones, for
    /// example) added to every fit's training set but never evaluated: the nuisances are still given for the units of
    /// <paramref name="data"/> only, so estimators average over them. The GLM sandwich corrections (which assume the models
    /// were fitted on the evaluated units) are then off.
    /// </summary>
    public static NuisanceEstimates Fit(CausalData data, NuisanceOptions options, CausalData? extraTraining)
    {
        var n = data.Count;
        var bound = options.Truncation ?? NuisanceOptions.DefaultTruncation(n);
        if (bound is < 0 or >= 0.5) throw new ArgumentOutOfRangeException(nameof(options), "the truncation bound must be in [0, 0.5)");
        var outcomeLearner = options.Outcome ?? new GeneralisedLinearModel(logistic: data.BinaryOutcome);
        var g = new double[n];
        var q = new double[n];
        var q1 = new double[n];
        var q0 = new double[n];
        IGlmModel? glm = null;
        IGlmModel? gGlm = null;
        foreach (var (train, test) in Folds(n, options.Folds, options.Seed))
        {
            var fitData = train.Count == n ? data : data.Subset(train);
            if (extraTraining is { Count: > 0 }) fitData = fitData.Concat(extraTraining);
            var gModel = options.Propensity.Fit(fitData.Covariates, Array.ConvertAll(fitData.Treatment, a => (double)a));
            var qModel = outcomeLearner.Fit(OutcomeDesign(fitData, null), fitData.Outcome);
            if (train.Count == n && extraTraining is not { Count: > 0 })
            {
                glm = qModel as IGlmModel;
                gGlm = gModel as IGlmModel;
            }
            var testData = test.Count == n ? data : data.Subset(test);
            var gp = gModel.Predict(testData.Covariates, test.Count);
            var qp = qModel.Predict(OutcomeDesign(testData, null), test.Count);
            var q1p = qModel.Predict(OutcomeDesign(testData, 1), test.Count);
            var q0p = qModel.Predict(OutcomeDesign(testData, 0), test.Count);
            for (var k = 0; k < test.Count; k++)
            {
                g[test[k]] = gp[k];
                q[test[k]] = qp[k];
                q1[test[k]] = q1p[k];
                q0[test[k]] = q0p[k];
            }
        }
        var (truncated, atBound) = Truncate(g, bound);
        var single = options.Folds <= 1;
        return new NuisanceEstimates(g, q, q1, q0, bound, truncated, single ? glm : null, single && gGlm is { Logistic: true } ? gGlm : null, atBound);
    }

    /// <summary>
    /// Nuisances given as values — the true ones of a simulation's model (oracle nuisances), or a mixture of true and fitted
    /// ones: g is bounded to [<paramref name="bound"/>, 1 − bound] as fitted propensities are, and Q(Aᵢ, Wᵢ) is taken from the
    /// arm each unit received. No GLM is attached, so the estimators use their influence-function standard errors.
    /// </summary>
    public static NuisanceEstimates FromValues(int[] treatment, double[] g, double[] q1, double[] q0, double bound)
    {
        var n = treatment.Length;
        if (g.Length != n || q1.Length != n || q0.Length != n) throw new ArgumentException("one value per unit");
        if (bound is < 0 or >= 0.5) throw new ArgumentOutOfRangeException(nameof(bound), "the truncation bound must be in [0, 0.5)");
        g = (double[])g.Clone();
        var (truncated, atBound) = Truncate(g, bound);
        var q = Enumerable.Range(0, n).Select(i => treatment[i] == 1 ? q1[i] : q0[i]).ToArray();
        return new NuisanceEstimates(g, q, (double[])q1.Clone(), (double[])q0.Clone(), bound, truncated, null, null, atBound);
    }

    private static (int Truncated, bool[] AtBound) Truncate(double[] g, double bound)
    {
        var truncated = 0;
        var atBound = new bool[g.Length];
        for (var i = 0; i < g.Length; i++)
        {
            var b = Math.Clamp(g[i], bound, 1 - bound);
            if (b != g[i]) { truncated++; atBound[i] = true; }
            g[i] = b;
        }
        return (truncated, atBound);
    }

    /// <summary>The outcome model's design: A (observed, or fixed to <paramref name="arm"/>) then W.</summary>
    public static IReadOnlyList<double[]> OutcomeDesign(CausalData data, int? arm)
    {
        var a = arm is { } x ? Enumerable.Repeat((double)x, data.Count).ToArray() : Array.ConvertAll(data.Treatment, v => (double)v);
        return new[] { a }.Concat(data.Covariates).ToArray();
    }

    /// <summary>(train, test) row sets: one pair with all rows when K ≤ 1; else K folds from a seeded random permutation.</summary>
    public static IEnumerable<(List<int> Train, List<int> Test)> Folds(int n, int k, ulong seed)
    {
        var all = Enumerable.Range(0, n).ToList();
        if (k <= 1)
        {
            yield return (all, all);
            yield break;
        }
        if (k > n) throw new HybridSynth.Scm.Errors.ModelException($"{k} cross-fitting folds for {n} units: every fold needs units; lower --folds");
        var fold = SuperLearner.FoldOf(n, k, seed);
        for (var f = 0; f < k; f++)
            yield return (all.Where(i => fold[i] != f).ToList(), all.Where(i => fold[i] == f).ToList());
    }
}
