namespace HybridSynth.HybridBridge.Simulation;

/// <summary>
/// One estimator at one sample size over R replications: the mean estimate, bias = mean − ψ,
/// variance (over replications, divisor R − 1), MSE = mean of (ψ̂ − ψ)², RMSE, the share of 95% intervals
/// that cover ψ with its Monte Carlo standard error, and the mean estimated standard error.
/// Replications where the estimator failed (a non-finite result) are counted, not averaged.
/// </summary>
public sealed record SimulationRow(int N, string Estimator, int Replications, double Truth, double Mean, double Bias, double Variance,
    double Mse, double Rmse, double Coverage, double CoverageStandardError, double MeanStandardError, int Failures);
