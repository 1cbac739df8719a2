namespace HybridSynth.HybridBridge.Estimators;

/// <summary>The ATE estimators by the name the CLI takes (<c>--estimators or,ipw,ipw-hajek,aipw,tmle</c>).</summary>
public static class EstimatorRegistry
{
    public static IReadOnlyList<string> Names { get; } = new[] { "or", "ipw", "ipw-hajek", "aipw", "tmle" };

    public static IAteEstimator Create(string name) => name switch
    {
        "or" => new OutcomeRegression(),
        "ipw" => new InverseProbabilityWeighting(hajek: false),
        "ipw-hajek" => new InverseProbabilityWeighting(hajek: true),
        "aipw" => new AugmentedIpw(),
        "tmle" => new Tmle(),
        _ => throw new ArgumentException($"unknown estimator '{name}'; expected one of {string.Join(", ", Names)}", nameof(name)),
    };

    public static IReadOnlyList<IAteEstimator> All() => Names.Select(Create).ToList();
}
