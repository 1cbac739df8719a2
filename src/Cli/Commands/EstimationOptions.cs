using System.CommandLine;
using HybridSynth.HybridBridge.Estimators;
using HybridSynth.HybridBridge.Learners;

namespace HybridSynth.Cli.Commands;

/// <summary>Options of the verbs that run ATE estimators: which estimators, and how the nuisances are fitted.</summary>
public sealed class EstimationOptions
{
    public Option<string> Estimators { get; } = new("--estimators") { Description = "Comma-separated: or, ipw, ipw-hajek, aipw, tmle.", DefaultValueFactory = _ => string.Join(",", EstimatorRegistry.Names) };
    public Option<double?> Truncation { get; } = new("--truncation") { Description = "Bound propensities to [δ, 1−δ] (default δ_n = min(0.1, 5/(√n ln n)))." };
    public Option<int> Folds { get; } = new("--folds") { Description = "K-fold cross-fitting of the nuisances (1 = none).", DefaultValueFactory = _ => 1 };
    public Option<double> L2 { get; } = new("--l2") { Description = "L2 penalty of the logistic/linear nuisance models.", DefaultValueFactory = _ => 0 };
    public Option<string> PropensityLearner { get; } = new("--propensity-learner") { Description = "glm (logistic regression) or forest (random forest).", DefaultValueFactory = _ => "glm" };
    public Option<string> OutcomeLearner { get; } = new("--outcome-learner") { Description = "glm (logistic or linear regression) or forest (random forest).", DefaultValueFactory = _ => "glm" };

    public EstimationOptions()
    {
        PropensityLearner.AcceptOnlyFromAmong("glm", "forest");
        OutcomeLearner.AcceptOnlyFromAmong("glm", "forest");
    }

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Estimators, Truncation, Folds, L2, PropensityLearner, OutcomeLearner }) command.Options.Add(o);
    }

    public IReadOnlyList<string> EstimatorNames(ParseResult r)
    {
        var names = r.GetValue(Estimators)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var n in names)
            if (!EstimatorRegistry.Names.Contains(n)) throw new UsageException($"--estimators: unknown estimator '{n}'; expected some of {string.Join(", ", EstimatorRegistry.Names)}");
        if (names.Length == 0) throw new UsageException("--estimators: give at least one estimator");
        return names;
    }

    public NuisanceOptions Nuisance(ParseResult r, ulong seed)
    {
        var t = r.GetValue(Truncation);
        if (t is { } tv && !(tv >= 0 && tv < 0.5)) throw new UsageException($"--truncation must be in [0, 0.5), got {t}");
        var k = r.GetValue(Folds);
        if (k is < 1 or > 20) throw new UsageException($"--folds must be in 1..20, got {k}");
        var l2 = r.GetValue(L2);
        if (!(l2 >= 0) || double.IsInfinity(l2)) throw new UsageException($"--l2 must be a finite number ≥ 0, got {l2}");
        return new NuisanceOptions
        {
            Truncation = t,
            Folds = k,
            Seed = seed,
            Propensity = r.GetValue(PropensityLearner) == "forest" ? new RandomForest(classification: true, seed: seed) : new GeneralisedLinearModel(logistic: true, l2),
            Outcome = r.GetValue(OutcomeLearner) == "forest" ? new RandomForest(classification: false, seed: Scm.Randomness.Seeds.OutcomeLearner(seed)) : null,
        };
    }
}
