namespace HybridSynth.HybridBridge.Generators;

/// <summary>A generator of synthetic rows, fitted to a table.</summary>
public interface ITabularGenerator
{
    /// <summary>The generator's name (as the CLI takes it).</summary>
    string Name { get; }
    /// <summary>Fits the generator to <paramref name="data"/>; <paramref name="seed"/> drives any randomness of the fit.</summary>
    IFittedGenerator Fit(ColumnTable data, ulong seed);
}

/// <summary>A fitted generator: draws <c>n</c> rows; the same seed gives the same rows.</summary>
public interface IFittedGenerator
{
    /// <summary>Draws <paramref name="n"/> rows; the same seed gives the same rows.</summary>
    ColumnTable Sample(int n, ulong seed);
}

/// <summary>The generators by the name the CLI takes (<c>--generator bootstrap|copula|bn</c>).</summary>
public static class GeneratorRegistry
{
    /// <summary>The generator names the CLI takes (the language-model generator, which needs a model, is built by the caller).</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { "bootstrap", "copula", "bn" };

    /// <summary>The generator of that name (<see cref="Names"/>).</summary>
    public static ITabularGenerator Create(string name) => name switch
    {
        "bootstrap" => new BootstrapGenerator(),
        "copula" => new GaussianCopulaGenerator(),
        "bn" => new BayesianNetworkGenerator(),
        _ => throw new ArgumentException($"unknown generator '{name}'; expected one of {string.Join(", ", Names)}", nameof(name)),
    };
}
