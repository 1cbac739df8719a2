using HybridSynth.Scm.Mechanisms;
using NUnit.Framework;

namespace HybridSynth.Scm.Tests.Mechanisms;

/// <summary>
/// The CPT's batch path on every vector path this processor runs (offsets, root draws and inverse CDFs eight or four
/// units at a time, unrolled scalar small cases, scalar tails) against its row path, bit for bit: roots and children of
/// 1–4 parents, 1–20 states, every batch length 0–40 and a long one, columns longer than the batch (as recycled ones are).
/// </summary>
public class CptBatchTests
{
    [Test]
    public void BatchEqualsRows_ForEveryShapeAndLength()
    {
        var paths = HybridSynth.Scm.Numerics.VectorPaths.Supported;
        TestContext.Out.WriteLine($"vector paths run here: {string.Join(", ", paths)} units at a time");
        var rng = new Random(2026);
        var checkedUnits = 0;
        foreach (var k in new[] { 1, 2, 3, 4, 5, 16, 17, 20 })
            for (var p = 0; p <= 4; p++)
            {
                var cards = Enumerable.Range(0, p).Select(_ => rng.Next(1, 5)).ToArray();
                var rows = cards.Aggregate(1, (a, c) => a * c);
                var table = new double[rows * k];
                for (var r = 0; r < rows; r++)
                {
                    // Some zero probabilities, so that cumulative sums repeat and pin to 1 early.
                    var w = Enumerable.Range(0, k).Select(_ => rng.Next(4) == 0 ? 0.0 : rng.NextDouble()).ToArray();
                    if (w.Sum() == 0) w[rng.Next(k)] = 1;
                    var total = w.Sum();
                    for (var s = 0; s < k; s++) table[r * k + s] = w[s] / total;
                }
                var cpt = new CptMechanism(Enumerable.Range(1, p).ToArray(), cards, k, table);
                foreach (var n in Enumerable.Range(0, 41).Append(203))
                {
                    var extra = rng.Next(0, 9);
                    var parents = cards.Select(c => Enumerable.Range(0, n + extra).Select(_ => (double)rng.Next(c)).ToArray()).ToArray();
                    var u = Enumerable.Range(0, n + extra).Select(_ => rng.NextDouble() * 0.999999 + 5e-7).ToArray();
                    var rowPath = Enumerable.Range(0, n).Select(i => cpt.Evaluate(parents.Select(c => c[i]).ToArray(), [u[i]])).ToArray();
                    foreach (var lanes in paths)
                    {
                        var batch = new double[n + extra];
                        cpt.EvaluateBatch(new MechanismBatch(parents, [u], n, 0), batch.AsSpan(0, n), lanes);
                        for (var i = 0; i < n; i++)
                            Assert.That(BitConverter.DoubleToInt64Bits(batch[i]), Is.EqualTo(BitConverter.DoubleToInt64Bits(rowPath[i])), $"{lanes} lanes, k {k}, {p} parents, n {n}, unit {i}");
                        Assert.That(batch.AsSpan(n).ToArray(), Is.All.EqualTo(0.0), "nothing past the batch is written");
                    }
                    checkedUnits += n;
                }
            }
        Assert.That(checkedUnits, Is.EqualTo(8 * 5 * (40 * 41 / 2 + 203)));
        var cptForPublic = new CptMechanism([1], [2], 3, [0.2, 0.3, 0.5, 0.6, 0.3, 0.1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => cptForPublic.EvaluateBatch(new MechanismBatch([[0.0]], [[0.5]], 1, 0), new double[1], 2));
    }
}
