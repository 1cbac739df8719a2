using HybridSynth.HybridBridge.Learners;

namespace HybridSynth.HybridBridge.Estimators;

/// <summary>How the nuisances g(A | W) and Q(Y | A, W) are estimated.</summary>
public sealed record NuisanceOptions
{
    /// <summary>The propensity learner (a classifier). Default: main-terms logistic regression.</summary>
    public ILearner Propensity { get; init; } = new GeneralisedLinearModel(logistic: true);

    /// <summary>The outcome learner; null picks logistic for a binary outcome and linear otherwise. It sees A and W as main terms.</summary>
    public ILearner? Outcome { get; init; }

    /// <summary>Propensity bounds [δ, 1 − δ]; null uses δ_n = min(0.1, 5 / (√n · ln n)) (Gruber &amp; van der Laan).</summary>
    public double? Truncation { get; init; }

    /// <summary>K-fold cross-fitting (K ≥ 2); 1 fits and predicts on the same rows.</summary>
    public int Folds { get; init; } = 1;

    /// <summary>Seed of the fold assignment.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>δ_n = 5 / (√n · ln n), capped at 0.1 for very small n.</summary>
    public static double DefaultTruncation(int n) => n < 3 ? 0.1 : Math.Min(0.1, 5.0 / (Math.Sqrt(n) * Math.Log(n)));
}
