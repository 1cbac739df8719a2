using System.Globalization;
using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Mechanisms;
using HybridSynth.Scm.Randomness;
using HybridSynth.Scm.Variables;

namespace HybridSynth.Scm.Model;

/// <summary>The graph family of a random model.</summary>
public enum RandomGraphKind
{
    /// <summary>Erdős–Rényi: each pair of nodes, in a random causal order, is an edge with probability d / (n − 1), so the expected degree (in + out) is d.</summary>
    ErdosRenyi,
    /// <summary>Scale-free (Barabási–Albert): each node, in a random causal order, takes ⌈d/2⌉ parents among the earlier ones with probability proportional to their degree + 1.</summary>
    ScaleFree,
}

/// <summary>What a random model is made of.</summary>
/// <param name="Kind">The graph family.</param>
/// <param name="Nodes">The number of variables n ≥ 1.</param>
/// <param name="Degree">The expected degree d ≥ 0 (in + out edges per node).</param>
/// <param name="Seed">Determines the model entirely.</param>
/// <param name="Gaussian">Linear-Gaussian mechanisms instead of Dirichlet CPTs.</param>
/// <param name="MinStates">The fewest states of a discrete variable, ≥ 2.</param>
/// <param name="MaxStates">The most states; each variable's count is uniform in [min, max].</param>
/// <param name="Alpha">The Dirichlet concentration of every CPT row (1: uniform over the simplex).</param>
public sealed record RandomModelOptions(RandomGraphKind Kind, int Nodes, double Degree, ulong Seed, bool Gaussian = false,
    int MinStates = 2, int MaxStates = 2, double Alpha = 1.0);

/// <summary>
/// Random causal models, the staple of causal-discovery benchmarks, determined by their options and seed alone: an
/// Erdős–Rényi or scale-free DAG over X1…Xn (the causal order is a seeded permutation, so index order says nothing), with
/// Dirichlet(α) CPT rows over the given state counts, or linear-Gaussian mechanisms with weights ±U(0.5, 2) and unit noise.
/// Every draw is a counter-based uniform of stream <see cref="NoiseStreams.Bootstrap"/> keyed by purpose; Dirichlet rows are
/// normalised Gamma(α) draws by inverse CDF. Spec strings: <c>random:er:nodes=50,degree=2,states=2-4,alpha=1,seed=7</c>,
/// <c>random:sf:…</c>, and <c>gaussian</c> for linear-Gaussian mechanisms (<see cref="Parse"/>).
/// </summary>
public static class RandomCausalModels
{
    /// <summary>The prefix of random-model spec strings.</summary>
    public const string Prefix = "random:";

    /// <summary>The model the options determine.</summary>
    public static CausalModel Create(RandomModelOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (o.Nodes < 1 || o.Nodes > 100_000) throw new ModelException($"a random model needs 1..100000 nodes, not {o.Nodes}");
        if (!(o.Degree >= 0) || o.Degree > o.Nodes - 1 + 1e-9 && o.Nodes > 1) throw new ModelException($"the expected degree must be in [0, n − 1]; got {o.Degree}");
        if (o.MinStates < 2 || o.MaxStates < o.MinStates || o.MaxStates > 100) throw new ModelException($"states must be a range within 2..100; got {o.MinStates}-{o.MaxStates}");
        if (!(o.Alpha > 0)) throw new ModelException($"the Dirichlet concentration must be positive; got {o.Alpha}");
        double U(string purpose, int coordinate, long unit) => CounterNoise.Uniform(CounterNoise.Key(o.Seed, NoiseStreams.Bootstrap, "random-model-" + purpose, coordinate), unit);
        var n = o.Nodes;
        // The causal order: node order[k] is the k-th in the order.
        var order = Enumerable.Range(0, n).OrderBy(i => U("order", 0, i)).ThenBy(i => i).ToArray();
        var parents = Enumerable.Range(0, n).Select(_ => new List<int>()).ToArray();
        if (o.Kind == RandomGraphKind.ErdosRenyi)
        {
            var p = n > 1 ? o.Degree / (n - 1) : 0;
            for (var a = 0; a < n; a++)
                for (var b = a + 1; b < n; b++)
                    if (U("edge", a, b) < p) parents[order[b]].Add(order[a]);
        }
        else
        {
            var m = (int)Math.Ceiling(o.Degree / 2);
            var degree = new double[n];
            // Σ (degree + 1) over the nodes before k, kept as it changes (integers, so the running sum is exact).
            double total = 0;
            for (var k = 1; k < n; k++)
            {
                total += degree[order[k - 1]] + 1;
                var chosen = new HashSet<int>();
                for (var draw = 0; chosen.Count < Math.Min(m, k) && draw < 64 * (m + 1); draw++)
                {
                    var u = U("attach", k, draw) * total;
                    var j = 0;
                    for (; j < k - 1 && u >= degree[order[j]] + 1; j++) u -= degree[order[j]] + 1;
                    chosen.Add(order[j]);
                }
                foreach (var parent in chosen.Order())
                {
                    parents[order[k]].Add(parent);
                    degree[parent]++;
                    degree[order[k]]++;
                    total++; // the parent is among the earlier nodes; node k joins the total at the next step
                }
            }
        }
        foreach (var list in parents) list.Sort();
        var width = n.ToString(CultureInfo.InvariantCulture).Length;
        var variables = new Variable[n];
        var states = new int[n];
        for (var v = 0; v < n; v++)
        {
            var name = "X" + (v + 1).ToString(CultureInfo.InvariantCulture).PadLeft(width, '0');
            if (o.Gaussian) { variables[v] = new Variable(name, ContinuousDomain.Instance); continue; }
            states[v] = o.MinStates + (int)Math.Floor(U("states", 0, v) * (o.MaxStates - o.MinStates + 1));
            variables[v] = new Variable(name, new CategoricalDomain(Enumerable.Range(0, states[v]).Select(s => "s" + s.ToString(CultureInfo.InvariantCulture)).ToArray()));
        }
        var mechanisms = new IMechanism[n];
        for (var v = 0; v < n; v++)
        {
            var pa = parents[v];
            if (o.Gaussian)
            {
                var weights = pa.Select((_, j) => (U("sign", v, j) < 0.5 ? -1 : 1) * (0.5 + 1.5 * U("weight", v, j))).ToArray();
                mechanisms[v] = new LinearGaussianMechanism(pa, 0, weights, 1);
                continue;
            }
            var k = states[v];
            var cards = pa.Select(p => states[p]).ToArray();
            var rows = cards.Aggregate(1L, (a, b) => a * b);
            if (rows * k > 10_000_000) throw new ModelException($"the table of {variables[v].Name} would have {rows * k:N0} entries; lower the degree or the states");
            var table = new double[rows * k];
            for (var r = 0; r < rows; r++)
            {
                double sum = 0;
                for (var s = 0; s < k; s++)
                {
                    var g = MathNet.Numerics.Distributions.Gamma.InvCDF(o.Alpha, 1, Math.Clamp(U("dirichlet-" + v.ToString(CultureInfo.InvariantCulture), s, r), 1e-300, 1 - 1e-16));
                    table[r * k + s] = Math.Max(g, 1e-300);
                    sum += table[r * k + s];
                }
                for (var s = 0; s < k; s++) table[r * k + s] /= sum;
            }
            mechanisms[v] = new CptMechanism(pa, cards, k, table);
        }
        var label = $"random-{(o.Kind == RandomGraphKind.ErdosRenyi ? "er" : "sf")}-{n}";
        return new CausalModel(label, variables, mechanisms);
    }

    /// <summary>
    /// Parses <c>random:er|sf[:gaussian]:key=value,…</c> with keys nodes, degree, seed, states (<c>k</c> or <c>min-max</c>) and
    /// alpha; a <see cref="SpecException"/> names an unknown key or a bad value.
    /// </summary>
    public static RandomModelOptions Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        SpecException Bad(string message) => new(null, $"{spec}: {message}; expected random:er|sf[:gaussian]:nodes=N,degree=D,seed=S[,states=K or MIN-MAX][,alpha=A]");
        var parts = spec[Prefix.Length..].Split(':');
        if (parts.Length is < 2 or > 3) throw Bad("malformed random-model spec");
        var kind = parts[0] switch { "er" => RandomGraphKind.ErdosRenyi, "sf" => RandomGraphKind.ScaleFree, _ => throw Bad($"unknown graph family '{parts[0]}'") };
        var gaussian = parts.Length == 3 && (parts[1] == "gaussian" ? true : throw Bad($"unknown mechanism family '{parts[1]}'"));
        int nodes = 0, min = 2, max = 2;
        double degree = -1, alpha = 1;
        ulong? seed = null;
        foreach (var pair in parts[^1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = pair.Split('=', 2);
            if (kv.Length != 2) throw Bad($"'{pair}' is not key=value");
            var value = kv[1];
            bool Int(out int x) => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out x);
            switch (kv[0])
            {
                case "nodes": if (!Int(out nodes)) throw Bad($"nodes '{value}' is not a count"); break;
                case "degree": if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out degree)) throw Bad($"degree '{value}' is not a number"); break;
                case "alpha": if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out alpha)) throw Bad($"alpha '{value}' is not a number"); break;
                case "seed": seed = ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : throw Bad($"seed '{value}' is not an unsigned integer"); break;
                case "states":
                    var range = value.Split('-');
                    if (!(range.Length is 1 or 2) || !int.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out min)
                        || !int.TryParse(range[^1], NumberStyles.None, CultureInfo.InvariantCulture, out max)) throw Bad($"states '{value}' is not K or MIN-MAX");
                    break;
                default: throw Bad($"unknown key '{kv[0]}'{Suggestions.DidYouMean(kv[0], ["nodes", "degree", "seed", "states", "alpha"])}");
            }
        }
        if (nodes == 0) throw Bad("nodes is required");
        if (degree < 0) throw Bad("degree is required");
        if (seed is null) throw Bad("seed is required (a random model is determined by its seed)");
        return new RandomModelOptions(kind, nodes, degree, seed.Value, gaussian, min, max, alpha);
    }
}
