namespace HybridSynth.HybridBridge.Simulation;

/// <summary>
/// One estimator at one sample size over R replications: the mean estimate, bias = mean − ψ,
/// variance (over replications, divisor R − 1), MSE = mean of (ψ̂ − ψ)², RMSE, the share of 95% intervals
/// that cover ψ with its Monte Carlo standard error, and the mean estimated standard error.
/// Replications where the estimator failed (a non-finite result) are counted, not averaged.
/// </summary>
public sealed record SimulationRow(int N, string Estimator, int Replications, double Truth, double Mean, double Bias, double Variance,
    double Mse, double Rmse, double Coverage, double CoverageStandardError, double MeanStandardError, int Failures)
{
    /// <summary>The rows as CSV (header, then one line per size and estimator; numbers in round-trip form).</summary>
    public static string Csv(IEnumerable<SimulationRow> rows)
    {
        static string F(double x) => x.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        var csv = new System.Text.StringBuilder("n,estimator,replications,truth,mean,bias,variance,mse,rmse,coverage,coverage_se,mean_se,failures\n");
        foreach (var row in rows)
            csv.Append($"{row.N},{row.Estimator},{row.Replications},{F(row.Truth)},{F(row.Mean)},{F(row.Bias)},{F(row.Variance)},{F(row.Mse)},{F(row.Rmse)},{F(row.Coverage)},{F(row.CoverageStandardError)},{F(row.MeanStandardError)},{row.Failures}\n");
        return csv.ToString();
    }
}
