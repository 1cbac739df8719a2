using HybridSynth.Scm.Graph;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Mechanisms;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Sampling;
using HybridSynth.Scm.Tables;
using HybridSynth.Scm.Tests.Support;
using HybridSynth.Scm.Variables;
using HybridSynth.Verifier.Audit;
using NUnit.Framework;

namespace HybridSynth.Verifier.Tests;

/// <summary>
/// The audit on data sampled from a known model. Accepted band for the false-positive rate at α = 0.05:
/// [0.02, 0.09]. With about a thousand statements the binomial standard error is 0.007, but the
/// statements share variables and are positively correlated, and the χ² approximation is loose in
/// sparse strata (pgmpy measured 5.7% with χ² and 4.0% with G at n = 100,000), so the band is wider
/// than ±4 SE; it still excludes a broken test (which rejects far more, or never).
/// </summary>
public class AuditTests
{
    private const double Low = 0.02, High = 0.09;

    private static DataTable Sample(CausalModel m, int n, ulong seed)
    {
        var chunk = new AncestralSampler(m, seed).SampleRange(0, n);
        return DataTable.FromColumns(m.Variables, chunk.Columns);
    }

    [TestCase("g2")]
    [TestCase("chi2")]
    public void Alarm_FalsePositiveRateIsNearAlpha_AndEveryEdgeIsDetected(string test)
    {
        var m = BifReader.ReadFile(Paths.Bif("alarm"));
        var report = IndependenceAudit.Run(m, Sample(m, 100_000, 21), new AuditOptions { Test = test, Threads = 2 });
        // 1,063 local statements, 71 of them the same statement twice (two nodes with the same parents): 992 distinct.
        Assert.That(report.Statements, Has.Count.EqualTo(992));
        Assert.That(report.DuplicateStatements, Is.EqualTo(71));
        Assert.That(report.FalsePositiveRate.Rate, Is.InRange(Low, High));
        Assert.That(report.EdgeDetectionRate.Rate, Is.EqualTo(1.0), string.Join(", ", report.MissedEdges.Select(e => e.Parent + "->" + e.Child)));
        // Pearson's X² overshoots in sparse strata (small expected counts), so only the G-test is held to few family-wise rejections.
        if (test == "g2") Assert.That(report.HolmRejections, Is.LessThanOrEqualTo(2));
    }

    [Test]
    public void TwoNodesWithTheSameParents_GiveOneStatement_TestedAndCountedOnce()
    {
        // A → X, A → Y, A → W, X → W: X ⟂ Y | A and Y ⟂ X | A are one statement; Y ⟂ W | A, X is implied once (W's parents differ).
        var g = new CausalGraph(["A", "X", "Y", "W"], [[], [0], [0], [0, 1]]);
        var all = new HashSet<int> { 0, 1, 2, 3 };
        var local = ImpliedStatements.Local(g, all, out var duplicates);
        var raw = ImpliedIndependences.LocalMarkov(g).Count();
        Assert.That(duplicates, Is.EqualTo(1));
        Assert.That(local, Has.Count.EqualTo(raw - 1));
        Assert.That(local.Count(s => (s.X, s.Y) is (1, 2) or (2, 1)), Is.EqualTo(1));
        Assert.That(local.Select(s => $"{Math.Min(s.X, s.Y)},{Math.Max(s.X, s.Y)}|{string.Join(",", s.Z.Order())}"), Is.Unique);
        // The pairwise set lists each pair once already.
        Assert.That(ImpliedStatements.Enumerate(g, all, StatementSet.Pairwise, out var none), Has.Count.EqualTo(2), "X, Y and Y, W");
        Assert.That(none, Is.Zero);
    }

    [Test]
    public void ReplicatedAudits_AreIndependentDatasets_AndTheirIntervalIsTheStudentTOne()
    {
        var m = SpecLoader.Load(SpecLoader.DefaultSpec).Model;
        var options = new AuditOptions { Test = "g2" };
        var rep = ReplicatedAudit.Run(m, 3000, 40, 7, options);
        Assert.That(rep.Seeds.Distinct().Count(), Is.EqualTo(40));
        // Replicate r is the audit of the table sampled with its own seed.
        var table = DataTable.FromJob(SampleJobs.Sample(m, 3000, rep.Seeds[3], new SamplingOptions(), null), m);
        Assert.That(rep.Reports[3].FalsePositiveRate.Successes, Is.EqualTo(IndependenceAudit.Run(m, table, options with { Seed = rep.Seeds[3] }).FalsePositiveRate.Successes));
        // The interval: mean ± t(0.975, K − 1)·SD/√K over the replicates' rates.
        var rates = rep.Reports.Select(r => r.FalsePositiveRate.Rate).ToArray();
        var mean = rates.Average();
        var sd = Math.Sqrt(rates.Sum(x => (x - mean) * (x - mean)) / 39);
        var t = MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, 39, 0.975);
        Assert.That(rep.Mean, Is.EqualTo(mean).Within(1e-15));
        Assert.That(rep.Interval.Lower, Is.EqualTo(Math.Max(0, mean - t * sd / Math.Sqrt(40))).Within(1e-12));
        Assert.That(rep.Interval.Upper, Is.EqualTo(mean + t * sd / Math.Sqrt(40)).Within(1e-12));
        // Data drawn from the DAG itself: the G-test is calibrated on ASIA, so α lies inside the interval across datasets,
        // and the interval is wider than a single dataset's would suggest per statement (the statements are correlated).
        Assert.That(0.05, Is.InRange(rep.Interval.Lower, rep.Interval.Upper), $"mean {rep.Mean}, [{rep.Interval.Lower}, {rep.Interval.Upper}]");
        Assert.That(rep.PooledPValues, Has.Count.EqualTo(rep.Pooled.Tested));
    }

    [Test]
    public void Auto_IsCalibratedOnHailfindersSparseTables_WhereTheG2ReferenceIsNot()
    {
        // Two 10,000-row hailfinder datasets (about 4,000 true statements): G² with its χ² reference rejects far more than
        // α (sparse strata), auto (Cochran's rule, else the permutation test) stays within 3.5 binomial SEs of α.
        var m = BifReader.ReadFile(Paths.Bif("hailfinder"));
        var auto = ReplicatedAudit.Run(m, 10_000, 2, 3, new AuditOptions { Threads = 2 });
        var g2 = ReplicatedAudit.Run(m, 10_000, 2, 3, new AuditOptions { Threads = 2, Test = "g2" });
        var t = auto.Pooled.Tested;
        var rate = auto.Pooled.Rejections / (double)t;
        Assert.That(t, Is.GreaterThan(3000));
        Assert.That(rate, Is.EqualTo(0.05).Within(3.5 * Math.Sqrt(0.05 * 0.95 / t)), $"auto: {auto.Pooled.Rejections} of {t}");
        Assert.That(g2.Pooled.Rejections / (double)g2.Pooled.Tested, Is.GreaterThan(0.08), "g2 over-rejects here, so the test can tell");
    }

    [Test]
    public void AnAddedEdge_IsFlaggedByTheStatementsItBreaks_AndNoOthersBeyondAlpha()
    {
        var m = BifReader.ReadFile(Paths.Bif("alarm"));
        var g = m.Graph;
        // A non-adjacent pair with c not an ancestor of p; c gets p as an extra parent with a strong effect.
        var p = m.IndexOf("HYPOVOLEMIA");
        var c = m.IndexOf("HRBP");
        Assert.That(g.Adjacent(p, c), Is.False);
        var old = (CptMechanism)m.Mechanisms[c];
        var k = old.Cardinality;
        var kp = m[p].Cardinality;
        var table = new double[old.RowCount * kp * k];
        for (var r = 0; r < old.RowCount; r++)
            for (var s = 0; s < kp; s++)
                for (var j = 0; j < k; j++)
                    table[(r * kp + s) * k + j] = old.Table[r * k + (j + s) % k]; // rotate the row by p's state
        var mechanisms = m.Mechanisms.ToArray();
        mechanisms[c] = new CptMechanism(old.Parents.Append(p).ToArray(), old.ParentCardinalities.Append(kp).ToArray(), k, table);
        var modified = new CausalModel("alarm+edge", m.Variables, mechanisms);

        var report = IndependenceAudit.Run(m, Sample(modified, 100_000, 22), new AuditOptions { Threads = 2 });
        var broken = report.Statements.Where(s => !DSeparation.AreDSeparated(modified.Graph, s.Statement.X, s.Statement.Y, s.Statement.Z)).ToList();
        var intact = report.Statements.Except(broken).ToList();
        Assert.That(broken, Is.Not.Empty);
        var direct = broken.Single(s => s.Statement.X == c && s.Statement.Y == p); // HRBP ⟂ HYPOVOLEMIA | Pa(HRBP)
        Assert.That(direct.Result.PValue, Is.LessThan(1e-10), direct.Statement.Text);
        var flagged = broken.Count(s => s.Result.RejectsAt(0.05)) / (double)broken.Count;
        Assert.That(flagged, Is.GreaterThan(0.5), $"{broken.Count} broken statements");
        Assert.That(intact.Count(s => s.Result.RejectsAt(0.05)) / (double)intact.Count, Is.InRange(Low, High));
        // The same data audited against the true (modified) graph keep the rate near α.
        var truth = IndependenceAudit.Run(modified, Sample(modified, 100_000, 22), new AuditOptions { Threads = 2 });
        Assert.That(truth.FalsePositiveRate.Rate, Is.InRange(Low, High));
    }

    [Test]
    public void LinearGaussian_FisherZ_GivesTheSamePicture()
    {
        var rng = new Random(5);
        long rejected = 0, tested = 0, edges = 0, detected = 0;
        for (var rep = 0; rep < 6; rep++)
        {
            var g = RandomModels.Dag(rng, 14, 0.25);
            var vars = Enumerable.Range(0, g.Count).Select(i => new Variable(g.Name(i), ContinuousDomain.Instance)).ToArray();
            var mechs = Enumerable.Range(0, g.Count).Select(i => (IMechanism)new LinearGaussianMechanism(g.Parents(i).ToArray(), rng.NextDouble(),
                g.Parents(i).Select(_ => (rng.Next(2) * 2 - 1) * (0.5 + 0.5 * rng.NextDouble())).ToArray(), 1.0)).ToArray();
            var m = new CausalModel("lg", vars, mechs);
            var report = IndependenceAudit.Run(m, Sample(m, 5000, (ulong)rep), new AuditOptions { Test = "fisher-z" });
            rejected += report.FalsePositiveRate.Successes;
            tested += report.FalsePositiveRate.Trials;
            edges += report.EdgeDetectionRate.Trials;
            detected += report.EdgeDetectionRate.Successes;
            Assert.That(report.Statements.Select(s => s.Result.Method), Is.All.EqualTo("fisher-z"));
        }
        Assert.That(tested, Is.GreaterThan(300));
        Assert.That(rejected / (double)tested, Is.InRange(Low, High));
        Assert.That(detected, Is.EqualTo(edges));
    }

    [Test]
    public void BenchmarkLinearGaussianSpec_ImpliedIndependencesHold()
    {
        var m = SpecLoader.Load(Paths.Dag("linear_gaussian.json")).Model;
        var report = IndependenceAudit.Run(m, Sample(m, 20_000, 3), new AuditOptions { Set = StatementSet.Pairwise });
        Assert.That(report.Statements, Is.Not.Empty);
        Assert.That(report.EdgeDetectionRate.Rate, Is.EqualTo(1.0));
        Assert.That(report.HolmRejections, Is.EqualTo(0));
    }

    [Test]
    public void HiddenVariables_AreExcluded_AndStatementsThatNeedThemAreUntestable()
    {
        var m = SpecLoader.Load(Paths.Dag("clinical.json")).Model;
        var report = IndependenceAudit.Run(m, Sample(m, 5000, 4), new AuditOptions());
        Assert.That(report.Unobserved, Is.EqualTo(new[] { "frailty" }));
        Assert.That(report.Statements.Concat<object>(report.Untestable).Count(), Is.GreaterThan(0));
        Assert.That(report.Statements.Any(s => s.Statement.Text.Contains("frailty")), Is.False);
        Assert.That(report.Untestable.Select(u => u.Untestable), Has.Some.Contains("frailty"));
        // comorbidity and cv_event share the hidden frailty: no observed set separates them pairwise — but they are adjacent anyway;
        // age_group ⟂ sex is testable and must hold; with both roots, sex ⟂ age_group is the same statement and listed once.
        Assert.That(report.Statements.Count(s => s.Statement.Text is "sex ⟂ age_group" or "age_group ⟂ sex"), Is.EqualTo(1));
        var pairwise = IndependenceAudit.Run(m, Sample(m, 5000, 4), new AuditOptions { Set = StatementSet.Pairwise });
        Assert.That(pairwise.Untestable.Select(u => u.Untestable), Has.All.Contains("unobserved"));
    }

    [Test]
    public void AuditReport_IsIndependentOfThreadCount()
    {
        var m = BifReader.ReadFile(Paths.Bif("asia"));
        var data = Sample(m, 10_000, 9);
        var a = IndependenceAudit.Run(m, data, new AuditOptions { Threads = 1, Test = "auto" });
        var b = IndependenceAudit.Run(m, data, new AuditOptions { Threads = 2, Test = "auto" });
        Assert.That(b.Statements.Select(s => s.Result.PValue), Is.EqualTo(a.Statements.Select(s => s.Result.PValue)));
    }
}
