namespace HybridSynth.HybridBridge.Generators;

/// <summary>A generator of synthetic rows, fitted to a table.</summary>
public interface ITabularGenerator
{
    string Name { get; }
    IFittedGenerator Fit(ColumnTable data, ulong seed);
}

/// <summary>A fitted generator: draws <c>n</c> rows; the same seed gives the same rows.</summary>
public interface IFittedGenerator
{
    ColumnTable Sample(int n, ulong seed);
}

/// <summary>The generators by the name the CLI takes (<c>--generator bootstrap|copula|bn</c>).</summary>
public static class GeneratorRegistry
{
    public static IReadOnlyList<string> Names { get; } = new[] { "bootstrap", "copula", "bn" };

    public static ITabularGenerator Create(string name) => name switch
    {
        "bootstrap" => new BootstrapGenerator(),
        "copula" => new GaussianCopulaGenerator(),
        "bn" => new BayesianNetworkGenerator(),
        _ => throw new ArgumentException($"unknown generator '{name}'; expected one of {string.Join(", ", Names)}", nameof(name)),
    };
}
