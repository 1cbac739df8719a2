using HybridSynth.HybridBridge.Estimators;

namespace HybridSynth.HybridBridge.Hybrid;

/// <summary>How hybrid (and fully generative) synthetic data are made.</summary>
public sealed record HybridOptions
{
    /// <summary>A name from <see cref="Generators.GeneratorRegistry"/>.</summary>
    public string Generator { get; init; } = "copula";

    /// <summary>A generator instance to use instead of <see cref="Generator"/> (the language-model generator, bound to a loaded model).</summary>
    public Generators.ITabularGenerator? GeneratorInstance { get; init; }

    /// <summary>Synthetic rows (default: as many as the data).</summary>
    public int? Rows { get; init; }

    /// <summary>Assign the synthetic treatment by design, A ~ Bernoulli(1/2), instead of from ĝ(A | W).</summary>
    public bool RandomisedDesign { get; init; }

    /// <summary>The seed of the generator, the holdout, the synthetic treatment and outcome draws and any learner randomness.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>The learners of ĝ and Q̂ (truncation and folds are not used here).</summary>
    public NuisanceOptions Nuisance { get; init; } = new();

    /// <summary>
    /// Fit the hybrid's outcome model on (A, W, A·W) (default) rather than (A, W): with main effects only, a GLM's
    /// Q̂(1, W) − Q̂(0, W) is one number for a continuous outcome (the treatment coefficient), so the known ATE would be
    /// the same for every generator.
    /// </summary>
    public bool OutcomeInteractions { get; init; } = true;
}
