using HybridSynth.Scm.Tables;
using HybridSynth.Verifier.CiTests;
using NUnit.Framework;

namespace HybridSynth.Verifier.Tests.CiTests;

public class StratifiedCountsTests
{
    [Test]
    public void StratumIds_AreTheRowByRowKeysNumberedInOrderOfFirstAppearance_AndTheCountsMatch()
    {
        // 0-4 conditioning columns of 2-7 states, lengths that leave every vector tail (0-40 rows, 1,001), against the keys
        // built row by row and numbered as they first appear; then the stratified counts against a plain tally.
        var rng = new Random(3);
        foreach (var rows in Enumerable.Range(0, 41).Append(1_001))
            for (var zs = 0; zs <= 4; zs++)
            {
                var cards = Enumerable.Range(0, zs + 2).Select(_ => rng.Next(2, 8)).ToArray();
                var codes = cards.Select(k => Enumerable.Range(0, rows).Select(_ => rng.Next(k)).ToArray()).ToArray();
                var table = new DataTable(rows);
                for (var c = 0; c < cards.Length; c++) table.AddCategorical(Tables.Cat($"V{c}", cards[c]), codes[c]);
                var z = Enumerable.Range(2, zs).ToList();
                var ids = StratifiedCounts.StratumIds(table, z, out var strata);

                var seen = new Dictionary<long, int>();
                var expected = new int[rows];
                for (var r = 0; r < rows; r++)
                {
                    long key = 0;
                    foreach (var q in z) key = key * cards[q] + codes[q][r];
                    if (!seen.TryGetValue(key, out var id)) seen[key] = id = seen.Count;
                    expected[r] = zs == 0 ? 0 : id;
                }
                Assert.That(ids, Is.EqualTo(expected), $"{rows} rows, {zs} conditioning columns");
                Assert.That(strata, Is.EqualTo(zs == 0 ? (rows > 0 ? 1 : 0) : seen.Count));

                var counts = StratifiedCounts.Count(table, 0, 1, z);
                var tally = new long[Math.Max(1, strata) * cards[0] * cards[1]];
                for (var r = 0; r < rows; r++) tally[(expected[r] * cards[0] + codes[0][r]) * cards[1] + codes[1][r]]++;
                Assert.That(counts.Counts, Is.EqualTo(tally.Take(counts.Counts.Length)), $"{rows} rows, {zs} conditioning columns");
            }
    }
}
