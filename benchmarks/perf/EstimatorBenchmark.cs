using System.Diagnostics;
using HybridSynth.HybridBridge.Data;
using HybridSynth.HybridBridge.Estimators;
using HybridSynth.Scm.Randomness;

namespace HybridSynth.Perf;

/// <summary>
/// Reading the data (the CSV reader behind ate, cate, hybrid and simulate) and AIPW and TMLE with logistic nuisances on
/// n rows × 10 covariates (a logistic propensity and outcome with known coefficients).
/// </summary>
public static class EstimatorBenchmark
{
    public static IEnumerable<string> Run(int n)
    {
        const int p = 10;
        var w = new double[p][];
        for (var j = 0; j < p; j++)
        {
            var key = CounterNoise.Key(1, 9, "w", j);
            w[j] = Enumerable.Range(0, n).Select(i => CounterNoise.StandardNormal(CounterNoise.Uniform(key, i))).ToArray();
        }
        var ka = CounterNoise.Key(1, 9, "a", 0);
        var ky = CounterNoise.Key(1, 9, "y", 0);
        var a = new int[n];
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            var eta = 0.3 * w[0][i] - 0.2 * w[1][i] + 0.1 * w[2][i];
            a[i] = CounterNoise.Uniform(ka, i) < 1 / (1 + Math.Exp(-eta)) ? 1 : 0;
            var ey = -0.5 + 0.8 * a[i] + 0.4 * w[0][i] + 0.3 * w[3][i];
            y[i] = CounterNoise.Uniform(ky, i) < 1 / (1 + Math.Exp(-ey)) ? 1 : 0;
        }
        var data = new CausalData(w, Enumerable.Range(0, p).Select(j => $"W{j}").ToArray(), a, y, true);
        var csv = Path.Combine(Path.GetTempPath(), $"hybridsynth-perf-ate-{Environment.ProcessId}.csv");
        using (var writer = new StreamWriter(csv))
        {
            writer.WriteLine(string.Join(",", data.CovariateNames.Append("A").Append("Y")));
            for (var i = 0; i < n; i++)
                writer.WriteLine(string.Join(",", w.Select(c => c[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append(a[i].ToString()).Append(y[i].ToString())));
        }
        var bytes = new FileInfo(csv).Length;
        var allocated = GC.GetTotalAllocatedBytes(true);
        var sw = Stopwatch.StartNew();
        var read = CsvCausalData.Read(csv, new CsvCausalData.Selection("A", "1", "0", "Y", data.CovariateNames));
        var tRead = sw.Elapsed.TotalSeconds;
        allocated = GC.GetTotalAllocatedBytes(true) - allocated;
        File.Delete(csv);
        if (read.RowsUsed != n) throw new InvalidOperationException("the CSV did not round-trip");
        yield return $"| read CSV (CsvCausalData, as ate) | {n:N0} rows × {p + 2} columns, {bytes / 1e6:0} MB | {tRead:0.000} | {n / tRead:N0} | {allocated / 1e6:0} MB allocated (the columns: {n * (p + 1) * 8.0 / 1e6:0} MB + {n * 4.0 / 1e6:0} MB) |";
        sw.Restart();
        var nu = NuisanceEstimates.Fit(data, new NuisanceOptions());
        var tNuisance = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var aipw = new AugmentedIpw().Estimate(data, nu);
        var tAipw = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var tmle = new Tmle().Estimate(data, nu);
        var tTmle = sw.Elapsed.TotalSeconds;
        yield return $"| nuisances (2 logistic IRLS fits + predictions) | {n:N0} rows × {p} covariates | {tNuisance:0.000} | | |";
        yield return $"| AIPW (given nuisances) | {n:N0} rows | {tAipw:0.000} | | estimate {aipw.Estimate:0.0000} ± {aipw.StandardError:0.0000} |";
        yield return $"| TMLE (given nuisances) | {n:N0} rows | {tTmle:0.000} | | estimate {tmle.Estimate:0.0000} ± {tmle.StandardError:0.0000} |";
    }
}
