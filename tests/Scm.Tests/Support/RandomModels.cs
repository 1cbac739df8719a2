using HybridSynth.Scm.Graph;
using HybridSynth.Scm.Mechanisms;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Variables;

namespace HybridSynth.Scm.Tests.Support;

/// <summary>Random DAGs and discrete models from a seeded System.Random (test inputs only).</summary>
public static class RandomModels
{
    public static CausalGraph Dag(Random rng, int n, double edgeProbability)
    {
        // Random order, then edges only forward in it.
        var order = Enumerable.Range(0, n).OrderBy(_ => rng.Next()).ToArray();
        var parents = Enumerable.Range(0, n).Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < n; i++)
            for (var j = i + 1; j < n; j++)
                if (rng.NextDouble() < edgeProbability) parents[order[j]].Add(order[i]);
        return new CausalGraph(Enumerable.Range(0, n).Select(i => $"V{i}").ToArray(), parents);
    }

    public static CausalModel DiscreteModel(Random rng, CausalGraph g, int maxCard = 3)
    {
        var cards = Enumerable.Range(0, g.Count).Select(_ => rng.Next(2, maxCard + 1)).ToArray();
        var vars = Enumerable.Range(0, g.Count).Select(i => new Variable(g.Name(i), new CategoricalDomain(Enumerable.Range(0, cards[i]).Select(k => $"s{k}").ToArray()))).ToArray();
        var mechs = new IMechanism[g.Count];
        for (var i = 0; i < g.Count; i++)
        {
            var ps = g.Parents(i).ToArray();
            var rows = ps.Aggregate(1, (a, p) => a * cards[p]);
            var table = new double[rows * cards[i]];
            for (var r = 0; r < rows; r++)
            {
                var w = Enumerable.Range(0, cards[i]).Select(_ => rng.NextDouble() + 0.05).ToArray();
                var s = w.Sum();
                for (var k = 0; k < cards[i]; k++) table[r * cards[i] + k] = w[k] / s;
            }
            mechs[i] = new CptMechanism(ps, ps.Select(p => cards[p]).ToArray(), cards[i], table);
        }
        return new CausalModel("random", vars, mechs);
    }

    /// <summary>The full joint distribution by brute-force enumeration of the factorisation Π P(v | pa).</summary>
    public static double[] Joint(CausalModel m, out int[] cards)
    {
        var c = m.Variables.Select(v => v.Cardinality).ToArray();
        cards = c;
        var size = c.Aggregate(1, (a, b) => a * b);
        var joint = new double[size];
        var assignment = new double[m.Count];
        var probs = new double[c.Max()];
        for (var idx = 0; idx < size; idx++)
        {
            var rem = idx;
            for (var v = m.Count - 1; v >= 0; v--) { assignment[v] = rem % c[v]; rem /= c[v]; }
            var p = 1.0;
            for (var v = 0; v < m.Count; v++)
            {
                var mech = (ICategoricalMechanism)m.Mechanisms[v];
                var pv = mech.Parents.Select(q => assignment[q]).ToArray();
                mech.Probabilities(pv, probs.AsSpan(0, c[v]));
                p *= probs[(int)assignment[v]];
            }
            joint[idx] = p;
        }
        return joint;
    }

    /// <summary>P(target | evidence) from the brute-force joint.</summary>
    public static double[] Conditional(CausalModel m, int target, IReadOnlyDictionary<int, int> evidence)
    {
        var joint = Joint(m, out var c);
        var result = new double[c[target]];
        var assignment = new int[m.Count];
        for (var idx = 0; idx < joint.Length; idx++)
        {
            var rem = idx;
            for (var v = m.Count - 1; v >= 0; v--) { assignment[v] = rem % c[v]; rem /= c[v]; }
            if (evidence.All(e => assignment[e.Key] == e.Value)) result[assignment[target]] += joint[idx];
        }
        var z = result.Sum();
        return result.Select(x => x / z).ToArray();
    }
}
