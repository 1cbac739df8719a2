using System.CommandLine;
using HybridSynth.HybridBridge.Estimators;
using HybridSynth.HybridBridge.Learners;

namespace HybridSynth.Cli.Commands;

/// <summary>Options of the verbs that run ATE estimators: which estimators, and how the nuisances are fitted.</summary>
public sealed class EstimationOptions
{
    public Option<string> Estimators { get; } = new("--estimators") { Description = "Comma-separated: or, ipw, ipw-hajek, aipw, tmle, tmle-weighted (default: all but tmle-weighted).", DefaultValueFactory = _ => string.Join(",", EstimatorRegistry.Names) };
    public Option<double?> Truncation { get; } = new("--truncation") { Description = "Bound propensities to [δ, 1−δ] (default δ_n = min(0.1, 5/(√n ln n)))." };
    public Option<int?> Folds { get; } = new("--folds") { Description = $"K-fold cross-fitting of the nuisances (1 = none; default {FlexibleFolds} when a learner is forest or super, else 1)." };
    public Option<double> L2 { get; } = new("--l2") { Description = "L2 penalty of the logistic/linear nuisance models.", DefaultValueFactory = _ => 0 };
    public Option<string> PropensityLearner { get; } = new("--propensity-learner") { Description = "glm (logistic regression), glm-interactions (with pairwise products), forest (random forest) or super (a super learner over the three).", DefaultValueFactory = _ => "glm" };
    public Option<string> OutcomeLearner { get; } = new("--outcome-learner") { Description = "glm (logistic or linear regression on A and W), glm-interactions (with pairwise products, A·W among them), forest or super (a super learner over the three).", DefaultValueFactory = _ => "glm" };

    /// <summary>The cross-fitting folds when a flexible learner (forest, super) fits a nuisance and --folds is not given.</summary>
    public const int FlexibleFolds = 5;

    private static readonly string[] LearnerNames = ["glm", "glm-interactions", "forest", "super"];

    public EstimationOptions()
    {
        PropensityLearner.AcceptOnlyFromAmong(LearnerNames);
        OutcomeLearner.AcceptOnlyFromAmong(LearnerNames);
    }

    /// <summary>The propensity learner of that name (<paramref name="l2"/>: the GLM's ridge penalty).</summary>
    private static ILearner PropensityLearnerFor(string name, double l2, ulong seed) => name switch
    {
        "glm" => new GeneralisedLinearModel(logistic: true, l2),
        "glm-interactions" => new InteractionGlm(logistic: true),
        "forest" => new RandomForest(classification: true, seed: seed),
        _ => SuperLearner.Default(classification: true, seed),
    };

    /// <summary>The outcome learner of that name; null (the plain GLM) lets the fit pick logistic or linear by the outcome.</summary>
    private static ILearner? OutcomeLearnerFor(string name, ulong seed) => name switch
    {
        "glm" => null,
        "glm-interactions" => new ResponseAdaptiveLearner("glm with interactions", binary => new InteractionGlm(binary)),
        "forest" => new RandomForest(classification: false, seed: Scm.Randomness.Seeds.OutcomeLearner(seed)),
        _ => new ResponseAdaptiveLearner("super learner (glm, glm with interactions, forest)", binary => SuperLearner.Default(binary, Scm.Randomness.Seeds.OutcomeLearner(seed))),
    };

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Estimators, Truncation, Folds, L2, PropensityLearner, OutcomeLearner }) command.Options.Add(o);
    }

    public IReadOnlyList<string> EstimatorNames(ParseResult r)
    {
        var names = r.GetValue(Estimators)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var n in names)
            if (!EstimatorRegistry.Available.Contains(n)) throw new UsageException($"--estimators: unknown estimator '{n}'; expected some of {string.Join(", ", EstimatorRegistry.Available)}");
        if (names.Length == 0) throw new UsageException("--estimators: give at least one estimator");
        return names;
    }

    public NuisanceOptions Nuisance(ParseResult r, ulong seed)
    {
        var t = r.GetValue(Truncation);
        if (t is { } tv && !(tv >= 0 && tv < 0.5)) throw new UsageException($"--truncation must be in [0, 0.5), got {t}");
        var flexible = r.GetValue(PropensityLearner) is "forest" or "super" || r.GetValue(OutcomeLearner) is "forest" or "super";
        var k = r.GetValue(Folds) ?? (flexible ? FlexibleFolds : 1);
        if (k is < 1 or > 20) throw new UsageException($"--folds must be in 1..20, got {k}");
        var l2 = r.GetValue(L2);
        if (!(l2 >= 0) || double.IsInfinity(l2)) throw new UsageException($"--l2 must be a finite number ≥ 0, got {l2}");
        return new NuisanceOptions
        {
            Truncation = t,
            Folds = k,
            Seed = seed,
            Propensity = PropensityLearnerFor(r.GetValue(PropensityLearner)!, l2, seed),
            Outcome = OutcomeLearnerFor(r.GetValue(OutcomeLearner)!, seed),
        };
    }
}
