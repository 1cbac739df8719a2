using HybridSynth.Scm.Inference;
using HybridSynth.Scm.Interventions;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Mechanisms;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Sampling;
using HybridSynth.Scm.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.Scm.Tests.Sampling;

public class SamplingTests
{
    private static SampleChunk Draw(CausalModel m, int n, ulong seed) => new AncestralSampler(m, seed).SampleRange(0, n);

    /// <summary>Every variable's empirical marginal passes a Pearson goodness-of-fit test against the exact marginal (p &gt; 1e-4 each, Bonferroni-safe for dozens of variables at a fixed seed).</summary>
    private static double WorstMarginalPValue(CausalModel sampled, CausalModel exact, int n, ulong seed)
    {
        var chunk = Draw(sampled, n, seed);
        var ve = new VariableElimination(exact);
        var worst = 1.0;
        for (var v = 0; v < exact.Count; v++)
        {
            var p = ve.Query(v);
            worst = Math.Min(worst, Stats.GoodnessOfFitPValue(Stats.Counts(chunk.Columns[v], p.Length), p));
        }
        return worst;
    }

    [Test]
    public void AsiaMarginals_FitTheExactMarginals()
    {
        var m = SpecLoader.Load(SpecLoader.DefaultSpec).Model;
        Assert.That(WorstMarginalPValue(m, m, 200_000, 1), Is.GreaterThan(1e-4));
    }

    [Test]
    public void AlarmMarginals_FitTheExactMarginals()
    {
        var m = BifReader.ReadFile(Paths.Bif("alarm"));
        Assert.That(WorstMarginalPValue(m, m, 200_000, 2), Is.GreaterThan(1e-4));
    }

    [Test]
    public void TheMarginalTest_CanFail_WhenOneTableIsPerturbedBy0Point01()
    {
        // The same test must reject a model that differs by 0.01 in one root probability.
        var m = SpecLoader.Load(SpecLoader.DefaultSpec).Model;
        var smoke = m.IndexOf("smoke");
        var mechs = m.Mechanisms.ToArray();
        mechs[smoke] = new CptMechanism(Array.Empty<int>(), Array.Empty<int>(), 2, new[] { 0.51, 0.49 });
        var perturbed = new CausalModel("perturbed", m.Variables, mechs);
        Assert.That(WorstMarginalPValue(perturbed, m, 200_000, 1), Is.LessThan(1e-4));
    }

    [Test]
    public void InterventionalSample_FitsTheTruncatedFactorisation()
    {
        var m = BifReader.ReadFile(Paths.Bif("alarm"));
        var hyp = m.IndexOf("HYPOVOLEMIA");
        var mutilated = m.Intervene(new HardIntervention(hyp, 0));
        Assert.That(WorstMarginalPValue(mutilated, mutilated, 100_000, 3), Is.GreaterThan(1e-4));
        // And it differs from the observational law where do() matters.
        var chunk = Draw(mutilated, 100_000, 3);
        Assert.That(chunk.Columns[hyp].All(x => x == 0));
        var lved = m.IndexOf("LVEDVOLUME");
        var observational = new VariableElimination(m).Query(lved);
        Assert.That(Stats.GoodnessOfFitPValue(Stats.Counts(chunk.Columns[lved], observational.Length), observational), Is.LessThan(1e-6));
    }

    [Test]
    public void LinearGaussian_SampleMomentsMatchTheClosedForm()
    {
        var m = SpecLoader.Load(Paths.Dag("linear_gaussian.json")).Model;
        const int n = 200_000;
        var c = Draw(m, n, 4);
        // X2 = 1 + 0.8 X1 + 0.6 Z: mean 1, variance 0.64 + 0.36 = 1; Cov(X1, X2) = 0.8.
        var x1 = c.Columns[m.IndexOf("X1")];
        var x2 = c.Columns[m.IndexOf("X2")];
        Assert.That(Math.Abs(x2.Average() - 1), Is.LessThan(5 * Math.Sqrt(1.0 / n)));
        var cov = x1.Zip(x2, (a, b) => a * (b - 1)).Average();
        Assert.That(Math.Abs(cov - 0.8), Is.LessThan(5 * Math.Sqrt(2.0 / n)));
    }

    [Test]
    public void Logistic_FrequencyMatchesTheSigmoid()
    {
        var m = SpecLoader.Load(Paths.Dag("clinical.json")).Model;
        const int n = 200_000;
        var c = Draw(m, n, 6);
        var sex = c.Columns[m.IndexOf("sex")];
        var smoker = c.Columns[m.IndexOf("smoker")];
        // P(smoker = yes | male) = σ(−1.5 + 0.4).
        var male = Enumerable.Range(0, n).Where(i => sex[i] == 1).ToArray();
        var p = 1 / (1 + Math.Exp(1.1));
        var observed = male.Count(i => smoker[i] == 1) / (double)male.Length;
        Assert.That(Math.Abs(observed - p), Is.LessThan(5 * Math.Sqrt(p * (1 - p) / male.Length)));
    }

    [Test]
    public void SameSeed_SameValues_WhateverTheChunkingAndThreads()
    {
        var m = SpecLoader.Load(Paths.Dag("clinical.json")).Model;
        var sampler = new AncestralSampler(m, 99);
        var whole = sampler.SampleRange(0, 10_000);
        var pieces = ChunkedRunner.Run(10_000, 777, 2, (s, c) => sampler.SampleRange(s, c)).ToList();
        for (var v = 0; v < m.Count; v++)
            Assert.That(pieces.SelectMany(p => p.Columns[v]).ToArray(), Is.EqualTo(whole.Columns[v]));
        var other = new AncestralSampler(m, 100).SampleRange(0, 10_000);
        Assert.That(other.Columns[m.IndexOf("systolic_bp")], Is.Not.EqualTo(whole.Columns[m.IndexOf("systolic_bp")]));
    }

    [Test]
    public void ASamplerReusingItsPassArguments_GivesEveryChunkAFreshSamplersValues_AndAllocatesNothingPerVariable()
    {
        const int width = 300, units = 1_000;
        var vars = Enumerable.Range(0, width).Select(i => new Variables.Variable($"X{i}", new Variables.CategoricalDomain(new[] { "a", "b", "c" }))).ToArray();
        var mechs = Enumerable.Range(0, width).Select(i => (IMechanism)(i == 0
            ? new CptMechanism(Array.Empty<int>(), Array.Empty<int>(), 3, new[] { 0.2, 0.3, 0.5 })
            : new CptMechanism(new[] { i - 1 }, new[] { 3 }, 3, new[] { 0.6, 0.3, 0.1, 0.1, 0.8, 0.1, 0.3, 0.3, 0.4 }))).ToArray();
        var chain = new CausalModel("chain", vars, mechs);

        // Rounds of concurrent chunks on one sampler (each pass takes its batches from what earlier passes left, and the
        // last, shorter chunk of a round drops them), every chunk against a fresh sampler's values for the same units.
        foreach (var m in new[] { SpecLoader.Load(Paths.Dag("clinical.json")).Model, chain })
        {
            var sampler = new AncestralSampler(m, 7);
            foreach (var (chunk, threads) in new[] { (313, 3), (1_000, 3), (500, 2) })
                foreach (var (start, got) in ChunkedRunner.Run(20_000, chunk, threads, (s, c) => (s, sampler.SampleRange(s, c))))
                {
                    var expected = new AncestralSampler(m, 7).SampleRange(start, got.Count);
                    for (var v = 0; v < m.Count; v++) Assert.That(got.Columns[v], Is.EqualTo(expected.Columns[v]), $"{m.Name}: {m[v].Name} at {start}");
                }
        }

        // The chain overwriting an earlier chunk's columns: a pass after the first allocates only its chunk, not a batch,
        // argument arrays and a noise buffer a variable (about 130 bytes each, and 8 KB), nor a column or a list of them.
        var pooled = new AncestralSampler(chain, 11);
        var earlier = pooled.SampleRange(0, units).Columns;
        var before = GC.GetAllocatedBytesForCurrentThread();
        var second = pooled.SampleRange(units, units, reuse: earlier);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(allocated, Is.LessThan(1_024), "bytes allocated by a pass after the first");
        Assert.That(second.Columns, Is.SameAs(earlier));
        Assert.Throws<ArgumentException>(() => pooled.SampleRange(0, units + 1, reuse: earlier));
        var fresh = new AncestralSampler(chain, 11).SampleRange(units, units);
        for (var v = 0; v < width; v++) Assert.That(second.Columns[v], Is.EqualTo(fresh.Columns[v]));
    }

    [TestCase(1, 65_536)]
    [TestCase(16, 8_192)]
    [TestCase(37, 3_542)]
    [TestCase(512, 256)]
    [TestCase(1_041, 256)]
    [TestCase(100_000, 256)]
    public void TheDefaultChunk_HoldsAbout1MiBOfValues_Within256To65536Units(int columns, int units) =>
        Assert.That(SamplingOptions.ChunkSizeFor(columns), Is.EqualTo(units));

    [TestCase(5, 65_536)]
    [TestCase(37, 14_169)]
    [TestCase(1_041, 503)]
    public void ALanguageModelsDefaultChunk_HoldsAbout4MiBOfValues(int columns, int units) =>
        Assert.That(SamplingOptions.ChunkSizeFor(columns, SamplingOptions.DepthFirstChunkBytes), Is.EqualTo(units));

    [Test]
    public void AddingAnUnrelatedVariable_LeavesTheOthersNoiseUnchanged()
    {
        var m = SpecLoader.Load(Paths.Dag("confounder.json")).Model;
        var extra = new Variables.Variable("W", new Variables.CategoricalDomain(new[] { "a", "b" }));
        var bigger = new CausalModel("bigger", new[] { extra }.Concat(m.Variables).ToArray(),
            new IMechanism[] { new CptMechanism(Array.Empty<int>(), Array.Empty<int>(), 2, new[] { 0.5, 0.5 }) }
                .Concat(m.Mechanisms.Select(Shift)).ToArray());
        var a = Draw(m, 1000, 5);
        var b = Draw(bigger, 1000, 5);
        for (var v = 0; v < m.Count; v++) Assert.That(b.Columns[v + 1], Is.EqualTo(a.Columns[v]));

        static IMechanism Shift(IMechanism mech)
        {
            var cpt = (CptMechanism)mech;
            return new CptMechanism(cpt.Parents.Select(p => p + 1).ToArray(), cpt.ParentCardinalities, cpt.Cardinality, cpt.Table.ToArray());
        }
    }

    [Test]
    public void ChunkedRunner_PipelinesBatches_InOrder_AndAnEarlyStopLeavesNothingRunning()
    {
        // Chunks finish in scrambled order (sleeps), yet come out in unit order; the next batch runs while one is consumed.
        var rng = new Random(3);
        var delays = Enumerable.Range(0, 40).Select(_ => rng.Next(0, 4)).ToArray();
        var starts = ChunkedRunner.Run(400, 10, 3, (start, count) => { Thread.Sleep(delays[start / 10]); return (start, count); }).ToList();
        Assert.That(starts.Select(x => x.start), Is.EqualTo(Enumerable.Range(0, 40).Select(i => (long)i * 10)));
        Assert.That(starts.Sum(x => x.count), Is.EqualTo(400));
        // Stop after the first chunk: once the enumerator is disposed no chunk is still being produced.
        var running = 0;
        var produced = 0;
        foreach (var _ in ChunkedRunner.Run(1000, 10, 2, (start, count) =>
                 {
                     Interlocked.Increment(ref running);
                     Thread.Sleep(5);
                     Interlocked.Increment(ref produced);
                     Interlocked.Decrement(ref running);
                     return start;
                 }))
            break;
        Assert.That(running, Is.Zero);
        Assert.That(produced, Is.LessThanOrEqualTo(4), "at most the chunk consumed and the 2 × threads − 1 ahead of it");
    }

    [Test]
    public void ChunkedRunner_RaisesTheEarliestFailingChunksError_AfterDeliveringTheChunksBeforeIt_AndStopsTheRest()
    {
        // Chunk 7 fails first in time (chunk 5 sleeps), but chunk 5's error is the one raised, after chunks 0–4.
        var delivered = new List<long>();
        var started = 0;
        var e = Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (var start in ChunkedRunner.Run(1000, 10, 3, (start, count) =>
                     {
                         Interlocked.Increment(ref started);
                         if (start == 50) { Thread.Sleep(30); throw new InvalidOperationException("chunk 5"); }
                         if (start == 70) throw new InvalidOperationException("chunk 7");
                         return start;
                     }))
                delivered.Add(start);
        })!;
        Assert.That(e.Message, Is.EqualTo("chunk 5"));
        Assert.That(delivered, Is.EqualTo(new long[] { 0, 10, 20, 30, 40 }));
        Assert.That(started, Is.LessThanOrEqualTo(11), "never more than 2 × threads chunks beyond the one the caller waits for");
    }
}
