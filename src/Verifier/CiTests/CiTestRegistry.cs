namespace HybridSynth.Verifier.CiTests;

/// <summary>The conditional-independence tests by the name the CLI takes (<c>--test</c>).</summary>
public static class CiTestRegistry
{
    /// <summary>The test names the CLI takes.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { "auto", "chi2", "g2", "chi2-perm", "g2-perm", "fisher-z", "regression" };

    /// <summary>The test of that name (<see cref="Names"/>); permutation tests use <paramref name="permutations"/> and <paramref name="seed"/>.</summary>
    public static IConditionalIndependenceTest Create(string name, int permutations = 999, ulong seed = 1) => name switch
    {
        "auto" => new AutomaticTest(permutations, seed),
        "chi2" => new StratifiedContingencyTest(ContingencyDivergence.PearsonChiSquare),
        "g2" => new StratifiedContingencyTest(ContingencyDivergence.LikelihoodRatio),
        "chi2-perm" => new PermutationContingencyTest(ContingencyDivergence.PearsonChiSquare, permutations, seed),
        "g2-perm" => new PermutationContingencyTest(ContingencyDivergence.LikelihoodRatio, permutations, seed),
        "fisher-z" => new FisherZTest(),
        "regression" => new RegressionTest(),
        _ => throw new ArgumentException($"unknown test '{name}'; expected one of {string.Join(", ", Names)}", nameof(name)),
    };
}
