using HybridSynth.Scm.Mechanisms;
using HybridSynth.Scm.Randomness;
using NUnit.Framework;

namespace HybridSynth.Scm.Tests.Support;

/// <summary>
/// The contract every <see cref="IMechanism"/> keeps, checked on random parent values and noise: evaluation is a
/// deterministic function of (parents, noise); the batch path gives the row path's values bit for bit; a categorical
/// mechanism's probabilities are a distribution, its value is the inverse-CDF draw from them, its draws follow them
/// (a binomial band), and its table is its rows. Linked into every test project that has mechanisms of its own.
/// </summary>
public static class MechanismContract
{
    /// <param name="mechanism">The mechanism under test.</param>
    /// <param name="parentCardinalities">Per parent, its number of states, or 0 for a continuous parent.</param>
    /// <param name="units">How many random (parents, noise) rows to check.</param>
    /// <param name="seed">The seed of the rows.</param>
    public static void Check(IMechanism mechanism, IReadOnlyList<int> parentCardinalities, int units = 64, ulong seed = 1)
    {
        Assert.That(mechanism.Kind, Is.Not.Empty, "a kind");
        Assert.That(mechanism.Parents, Has.Count.EqualTo(parentCardinalities.Count), "one cardinality per parent");
        Assert.That(mechanism.Parents.Distinct().Count(), Is.EqualTo(mechanism.Parents.Count), "distinct parents");
        Assert.That(mechanism.NoiseDimension, Is.GreaterThanOrEqualTo(0));
        var p = parentCardinalities.Count;
        var d = mechanism.NoiseDimension;
        double U(long i, int j) => CounterNoise.Uniform(CounterNoise.Key(seed, 99, "mechanism-contract", j), i);
        var parents = Enumerable.Range(0, p).Select(j => Enumerable.Range(0, units)
            .Select(i => parentCardinalities[j] > 0 ? Math.Floor(U(i, j) * parentCardinalities[j]) : CounterNoise.StandardNormal(U(i, j))).ToArray()).ToArray();
        var noise = Enumerable.Range(0, d).Select(k => Enumerable.Range(0, units)
            .Select(i => mechanism.NoiseKind == NoiseKind.StandardNormal ? CounterNoise.StandardNormal(U(i, 100 + k)) : U(i, 100 + k)).ToArray()).ToArray();

        var single = new double[units];
        for (var i = 0; i < units; i++)
        {
            var pv = parents.Select(c => c[i]).ToArray();
            var nv = noise.Select(c => c[i]).ToArray();
            single[i] = mechanism.Evaluate(pv, nv);
            Assert.That(BitConverter.DoubleToInt64Bits(mechanism.Evaluate(pv, nv)), Is.EqualTo(BitConverter.DoubleToInt64Bits(single[i])), "deterministic");
            Assert.That(double.IsFinite(single[i]), $"a finite value (unit {i})");
        }
        var batch = new double[units];
        mechanism.EvaluateBatch(new MechanismBatch(parents, noise, units, 0), batch);
        for (var i = 0; i < units; i++)
            Assert.That(BitConverter.DoubleToInt64Bits(batch[i]), Is.EqualTo(BitConverter.DoubleToInt64Bits(single[i])), $"batch = rows (unit {i})");

        if (mechanism is not ICategoricalMechanism c) return;
        var k = c.Cardinality;
        if (k == 0)
        {
            // A formula in value form is one type with its categorical forms: it reports no states and has no table.
            Assert.Throws<InvalidOperationException>(() => c.Probabilities(parents.Select(col => col[0]).ToArray(), new double[1]), "no probability table");
            return;
        }
        var probabilities = new double[k];
        for (var i = 0; i < units; i++)
        {
            var pv = parents.Select(col => col[i]).ToArray();
            c.Probabilities(pv, probabilities);
            Assert.That(probabilities.All(x => x >= 0 && x <= 1), "probabilities in [0, 1]");
            Assert.That(probabilities.Sum(), Is.EqualTo(1).Within(1e-9), "a distribution");
            Assert.That(single[i], Is.EqualTo(Math.Floor(single[i])).And.InRange(0, k - 1), "a state code");
            if (d >= 1) Assert.That(single[i], Is.EqualTo(InverseCdf.Sample(probabilities, noise[0][i])), "the inverse-CDF draw");
            else Assert.That(probabilities[(int)single[i]], Is.EqualTo(1), "no noise: the value has probability 1");
        }

        // Draws follow the probabilities: 4,000 uniforms at the first configuration, each state's count within 4.5 binomial SDs.
        if (d >= 1)
        {
            var pv = parents.Select(col => col[0]).ToArray();
            c.Probabilities(pv, probabilities);
            const int draws = 4000;
            var counts = new int[k];
            var u = new double[d];
            for (var i = 0; i < draws; i++)
            {
                for (var j = 0; j < d; j++) u[j] = CounterNoise.Uniform(CounterNoise.Key(seed, 99, "mechanism-contract-draws", j), i);
                counts[(int)c.Evaluate(pv, u)]++;
            }
            for (var s = 0; s < k; s++)
            {
                var sd = Math.Sqrt(draws * probabilities[s] * (1 - probabilities[s]));
                Assert.That(counts[s], Is.EqualTo(draws * probabilities[s]).Within(4.5 * sd + 1e-9), $"state {s}: {counts[s]} draws for p = {probabilities[s]}");
            }
        }

        if (c.RequiredParentCardinalities is { } required) Assert.That(required, Is.EqualTo(parentCardinalities), "the required cardinalities are the parents'");
        if (parentCardinalities.All(x => x > 0))
        {
            var rows = parentCardinalities.Aggregate(1, (a, b) => a * b);
            var table = new double[rows * k];
            c.Tabulate(parentCardinalities, table);
            var values = new double[p];
            for (var r = 0; r < rows; r++)
            {
                var rem = r;
                for (var j = p - 1; j >= 0; j--) { values[j] = rem % parentCardinalities[j]; rem /= parentCardinalities[j]; }
                c.Probabilities(values, probabilities);
                for (var s = 0; s < k; s++) Assert.That(table[r * k + s], Is.EqualTo(probabilities[s]), $"table row {r} (last parent fastest)");
            }
        }
    }
}
