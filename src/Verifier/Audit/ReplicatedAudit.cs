using HybridSynth.Scm.Model;
using HybridSynth.Scm.Randomness;
using HybridSynth.Scm.Sampling;
using HybridSynth.Scm.Tables;
using MathNet.Numerics.Distributions;

namespace HybridSynth.Verifier.Audit;

/// <summary>
/// The audit of K independent datasets drawn from the model itself: the calibration check of a CI test on a model. The
/// false-positive rate's interval comes from the spread of the K datasets' rates (Student t with K − 1 degrees of freedom),
/// which is valid because the datasets are independent; one dataset's Wilson interval is not (its statements share rows).
/// </summary>
/// <param name="Options">The audit options (each replicate's permutation seed is its sampling seed).</param>
/// <param name="Rows">Rows per dataset.</param>
/// <param name="Seeds">Each replicate's sampling seed (<see cref="Scm.Randomness.Seeds.AuditReplicate"/> of the run's seed and r).</param>
/// <param name="Reports">Each replicate's audit.</param>
public sealed record ReplicatedAuditReport(AuditOptions Options, int Rows, IReadOnlyList<ulong> Seeds, IReadOnlyList<AuditReport> Reports)
{
    /// <summary>Each replicate's false-positive rate.</summary>
    public IReadOnlyList<double> Rates => Reports.Select(r => r.FalsePositiveRate.Rate).ToList();

    /// <summary>The mean of the replicates' rates.</summary>
    public double Mean => Rates.Average();

    /// <summary>The standard error of <see cref="Mean"/> from the replicates' spread (NaN for one replicate).</summary>
    public double StandardError
    {
        get
        {
            var k = Rates.Count;
            if (k < 2) return double.NaN;
            var m = Mean;
            return Math.Sqrt(Rates.Sum(x => (x - m) * (x - m)) / (k - 1) / k);
        }
    }

    /// <summary>The 95% Student-t interval on the mean rate, clipped to [0, 1].</summary>
    public (double Lower, double Upper) Interval
    {
        get
        {
            if (Rates.Count < 2) return (double.NaN, double.NaN);
            var t = StudentT.InvCDF(0, 1, Rates.Count - 1, 0.975);
            return (Math.Max(0, Mean - t * StandardError), Math.Min(1, Mean + t * StandardError));
        }
    }

    /// <summary>Every replicate's p-values, pooled (independent across replicates).</summary>
    public IReadOnlyList<double> PooledPValues => Reports.SelectMany(r => r.Statements.Select(s => s.Result.PValue)).ToList();

    /// <summary>Rejections over statements tested, summed over the replicates.</summary>
    public (long Rejections, long Tested) Pooled => (Reports.Sum(r => r.FalsePositiveRate.Successes), Reports.Sum(r => r.FalsePositiveRate.Trials));
}

/// <summary>Runs <see cref="ReplicatedAuditReport"/>s.</summary>
public static class ReplicatedAudit
{
    /// <summary>Draws <paramref name="replicates"/> datasets of <paramref name="rows"/> rows from <paramref name="model"/> and audits each against its own DAG.</summary>
    /// <param name="progress">Called with (replicates done, replicates).</param>
    public static ReplicatedAuditReport Run(CausalModel model, int rows, int replicates, ulong seed, AuditOptions options, Action<long, long>? progress = null)
    {
        if (replicates < 1) throw new ArgumentOutOfRangeException(nameof(replicates), "at least one replicate");
        if (rows < 1) throw new ArgumentOutOfRangeException(nameof(rows), "at least one row");
        var seeds = Enumerable.Range(0, replicates).Select(r => Scm.Randomness.Seeds.AuditReplicate(seed, r)).ToList();
        var reports = new List<AuditReport>();
        for (var r = 0; r < replicates; r++)
        {
            var job = SampleJobs.Sample(model, rows, seeds[r], new SamplingOptions { Threads = Math.Max(1, options.Threads) }, null);
            var table = DataTable.FromJob(job, model);
            reports.Add(IndependenceAudit.Run(model, table, options with { Seed = seeds[r] }));
            progress?.Invoke(r + 1, replicates);
        }
        return new ReplicatedAuditReport(options, rows, seeds, reports);
    }
}
