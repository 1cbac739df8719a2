using HybridSynth.Scm.Graph;
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.Mechanisms;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Tests.Support;
using HybridSynth.Scm.Variables;
using NUnit.Framework;

namespace HybridSynth.Scm.Tests.Inference;

/// <summary>Exact inference and implied-independence counts on long chains, where both used to be quadratic.</summary>
public class ChainInferenceTests
{
    /// <summary>X0 → X1 → … with P(X0 = a) = 0.3 and transitions a→a 0.9, b→b 0.8 (stationary (2/3, 1/3)).</summary>
    private static CausalModel Chain(int n)
    {
        var domain = new CategoricalDomain(new[] { "a", "b" });
        var vars = Enumerable.Range(0, n).Select(i => new Variable($"X{i}", domain)).ToArray();
        var mechs = new IMechanism[n];
        mechs[0] = new CptMechanism(Array.Empty<int>(), Array.Empty<int>(), 2, new[] { 0.3, 0.7 });
        for (var i = 1; i < n; i++) mechs[i] = new CptMechanism(new[] { i - 1 }, new[] { 2 }, 2, new[] { 0.9, 0.1, 0.2, 0.8 });
        return new CausalModel("chain", vars, mechs);
    }

    [TestCase(2)]
    [TestCase(50)]
    [TestCase(5000)]
    public void TheLastNodeGivenTheFirst_IsTheMarkovChainsKStepTransition(int n)
    {
        // P(X_k = a | X_0 = a) = 2/3 + (1/3)·0.7^k for this chain (eigenvalues 1 and 0.9 + 0.8 − 1 = 0.7).
        var k = n - 1;
        var p = new VariableElimination(Chain(n)).Query(n - 1, new Dictionary<int, int> { [0] = 0 });
        Assert.That(p[0], Is.EqualTo(2.0 / 3 + Math.Pow(0.7, k) / 3).Within(1e-12));
        Assert.That(p[0] + p[1], Is.EqualTo(1).Within(1e-15));
    }

    [Test]
    public void EvidenceDownstream_IsBayesOnTheChain()
    {
        // P(X0 = a | X_k = a) = P(X0 = a) P(X_k = a | X0 = a) / P(X_k = a), with P(X_k = a | X0 = b) = 2/3 − (2/3)·0.7^k.
        const int n = 3000;
        var k = n - 1;
        var p = new VariableElimination(Chain(n)).Query(0, new Dictionary<int, int> { [n - 1] = 0 });
        double aa = 2.0 / 3 + Math.Pow(0.7, k) / 3, ba = 2.0 / 3 - 2 * Math.Pow(0.7, k) / 3;
        Assert.That(p[0], Is.EqualTo(0.3 * aa / (0.3 * aa + 0.7 * ba)).Within(1e-12));
    }

    [Test]
    public void StatementCounts_EqualTheEnumeratedStatements_OnRandomDags()
    {
        var rng = new Random(11);
        for (var t = 0; t < 40; t++)
        {
            var g = RandomModels.Dag(rng, rng.Next(2, 14), rng.NextDouble() * 0.6);
            Assert.That(ImpliedIndependences.CountLocalMarkov(g), Is.EqualTo(ImpliedIndependences.LocalMarkov(g).Count), $"dag {t}");
            Assert.That(ImpliedIndependences.CountPairwise(g), Is.EqualTo(ImpliedIndependences.PairwiseMinimal(g).Count), $"dag {t}");
        }
    }

    [Test]
    public void AHundredThousandNodeChain_IsRefusedWithItsCount_BeforeAnyStatementIsBuilt()
    {
        var g = Chain(100_000).Graph;
        var e = Assert.Throws<Errors.ModelException>(() => ImpliedIndependences.EnsureCountAtMost(g, local: true, 1_000_000, "raise it"))!;
        Assert.That(e.Message, Does.Contain("more than 1,000,000"));
        var pairwise = Assert.Throws<Errors.ModelException>(() => ImpliedIndependences.EnsureCountAtMost(g, local: false, 1_000_000, "raise it"))!;
        Assert.That(pairwise.Message, Does.Contain("4,999,850,001"), "C(100000, 2) − 99,999 edges");
        Assert.That(ImpliedIndependences.EnsureCountAtMost(Chain(1000).Graph, local: true, 1_000_000, "raise it"), Is.EqualTo(999L * 998 / 2));
    }
}
