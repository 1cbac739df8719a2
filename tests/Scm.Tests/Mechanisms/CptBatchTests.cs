using HybridSynth.Scm.Mechanisms;
using NUnit.Framework;

namespace HybridSynth.Scm.Tests.Mechanisms;

/// <summary>
/// The CPT's batch path (vector offsets and vector root draws where the processor has AVX-512, unrolled small cases,
/// scalar tails) against its row path, bit for bit: roots and children of 1–4 parents, 1–20 states, every batch length
/// 0–40 and a long one, columns longer than the batch (as recycled ones are).
/// </summary>
public class CptBatchTests
{
    [Test]
    public void BatchEqualsRows_ForEveryShapeAndLength()
    {
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
                    var batch = new double[n + extra];
                    cpt.EvaluateBatch(new MechanismBatch(parents, [u], n, 0), batch.AsSpan(0, n));
                    for (var i = 0; i < n; i++)
                    {
                        var row = cpt.Evaluate(parents.Select(c => c[i]).ToArray(), [u[i]]);
                        Assert.That(BitConverter.DoubleToInt64Bits(batch[i]), Is.EqualTo(BitConverter.DoubleToInt64Bits(row)), $"k {k}, {p} parents, n {n}, unit {i}");
                    }
                    checkedUnits += n;
                }
            }
        Assert.That(checkedUnits, Is.EqualTo(8 * 5 * (40 * 41 / 2 + 203)));
    }
}
