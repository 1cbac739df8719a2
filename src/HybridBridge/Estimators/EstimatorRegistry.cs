namespace HybridSynth.HybridBridge.Estimators;

/// <summary>The ATE estimators by the name the CLI takes (<c>--estimators or,ipw,ipw-hajek,aipw,tmle</c>).</summary>
public static class EstimatorRegistry
{
    /// <summary>The estimator names the CLI takes: or, ipw (Horvitz–Thompson), ipw-hajek, aipw, tmle.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { "or", "ipw", "ipw-hajek", "aipw", "tmle" };

    /// <summary>Every estimator the CLI takes: <see cref="Names"/> (the default set) and tmle-weighted.</summary>
    public static IReadOnlyList<string> Available { get; } = Names.Append("tmle-weighted").ToArray();

    /// <summary>The estimator of that name (<see cref="Names"/>).</summary>
    public static IAteEstimator Create(string name) => name switch
    {
        "or" => new OutcomeRegression(),
        "ipw" => new InverseProbabilityWeighting(hajek: false),
        "ipw-hajek" => new InverseProbabilityWeighting(hajek: true),
        "aipw" => new AugmentedIpw(),
        "tmle" => new Tmle(),
        "tmle-weighted" => new Tmle(weighted: true),
        _ => throw new ArgumentException($"unknown estimator '{name}'; expected one of {string.Join(", ", Available)}", nameof(name)),
    };

    /// <summary>Every estimator, in <see cref="Names"/> order.</summary>
    public static IReadOnlyList<IAteEstimator> All() => Names.Select(Create).ToList();

    /// <summary>
    /// The named estimators on <paramref name="data"/>, the nuisances fitted once. An estimator that cannot run
    /// (data with a single arm) reports NaN, and a fit that breaks down gives its non-finite numbers, rather than
    /// stopping the others: the policy for synthetic data, which may be degenerate. Any other exception is a defect and
    /// is not swallowed.
    /// </summary>
    public static Dictionary<string, AteEstimate> EstimateOrNaN(IReadOnlyList<string> names, Data.CausalData data, NuisanceOptions options)
    {
        if (!data.HasBothArms) return names.ToDictionary(n => n, n => new AteEstimate(n, double.NaN, double.NaN));
        var nuisances = NuisanceEstimates.Fit(data, options);
        return names.ToDictionary(n => n, n => Create(n).Estimate(data, nuisances));
    }
}
