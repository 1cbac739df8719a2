using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Mechanisms;
using HybridSynth.Scm.Model;

namespace HybridSynth.Scm.Inference;

/// <summary>
/// Exact inference on a discrete model by variable elimination: P(T | E = e) = Σ_{others} Π_V P(V | Pa_V)
/// restricted to e, normalised. Only the ancestral closure of T ∪ E is kept (barren nodes sum to
/// one); the elimination order is greedy min-weight. When the largest intermediate factor would
/// exceed <see cref="MaxFactorEntries"/>, the query is refused before any work is done.
/// Interventions are applied beforehand by mutilating the model (truncated factorisation).
/// </summary>
public sealed class VariableElimination
{
    /// <summary>The largest intermediate factor allowed (entries): 2^25 doubles, 256 MiB.</summary>
    public const double DefaultMaxFactorEntries = 1 << 25;

    private readonly CausalModel _model;
    private readonly int[] _cards;

    /// <summary>Exact inference on <paramref name="model"/>, refusing queries whose intermediate factors would exceed <paramref name="maxFactorEntries"/> entries.</summary>
    public VariableElimination(CausalModel model, double maxFactorEntries = DefaultMaxFactorEntries)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        MaxFactorEntries = maxFactorEntries;
        _cards = model.Variables.Select(v => v.IsCategorical ? v.Cardinality : 0).ToArray();
    }

    /// <summary>The largest intermediate factor allowed (entries).</summary>
    public double MaxFactorEntries { get; }

    /// <summary>P(target | evidence) in this model (already intervened if needed), as a probability per state.</summary>
    /// <exception cref="ModelException">A relevant variable is continuous, the evidence has probability 0, or the query is too large.</exception>
    public double[] Query(int target, IReadOnlyDictionary<int, int>? evidence = null)
    {
        evidence ??= new Dictionary<int, int>();
        var joint = JointQuery(new[] { target }, evidence);
        return joint.Values;
    }

    /// <summary>
    /// Whether exact inference can answer a query: every variable in the ancestral closure of the
    /// targets and the evidence is categorical, and the elimination stays under the size limit.
    /// </summary>
    public bool IsFeasible(IReadOnlyList<int> targets, IEnumerable<int> evidence, out string reason)
    {
        var relevant = Relevant(targets, evidence.ToList());
        var continuous = relevant.Where(v => !_model[v].IsCategorical || _model.Mechanisms[v] is not ICategoricalMechanism).OrderBy(v => v).ToList();
        if (continuous.Count > 0)
        {
            reason = $"exact inference needs categorical variables; '{_model[continuous[0]].Name}' is continuous (use Monte Carlo)";
            return false;
        }
        foreach (var v in relevant.OrderBy(v => v))
        {
            if (_model.Mechanisms[v] is not ITabulationLimit limit) continue;
            var rows = _model.Mechanisms[v].Parents.Aggregate(1.0, (a, p) => a * _cards[p]);
            if (rows > limit.MaxConfigurations)
            {
                reason = $"tabulating the {_model.Mechanisms[v].Kind} mechanism of '{_model[v].Name}' needs {rows:0.###e0} parent configurations (limit {limit.MaxConfigurations}); use Monte Carlo";
                return false;
            }
        }
        EliminationOrder(relevant.Except(targets).OrderBy(v => v).ToList(), relevant, out var largest);
        if (largest > MaxFactorEntries)
        {
            reason = $"the network is too large for exact inference: variable elimination would need a factor of {largest:0.###e0} entries (limit {MaxFactorEntries:0.###e0}); use Monte Carlo instead";
            return false;
        }
        reason = "";
        return true;
    }

    private HashSet<int> Relevant(IReadOnlyList<int> targets, IReadOnlyCollection<int> evidence)
    {
        var relevant = _model.Graph.Ancestors(targets.Concat(evidence));
        relevant.UnionWith(targets);
        relevant.UnionWith(evidence);
        return relevant;
    }

    /// <summary>The normalised joint distribution of <paramref name="targets"/> given the evidence, as a factor over the targets.</summary>
    public Factor JointQuery(IReadOnlyList<int> targets, IReadOnlyDictionary<int, int> evidence)
    {
        foreach (var t in targets)
            if (evidence.ContainsKey(t)) throw new ModelException($"'{_model[t].Name}' is both a query target and evidence");
        if (!IsFeasible(targets, evidence.Keys, out var reason)) throw new ModelException(reason);
        var relevant = Relevant(targets, evidence.Keys.ToList());
        var order = EliminationOrder(relevant.Except(targets).OrderBy(v => v).ToList(), relevant, out _);

        // Factors by id in creation order (the initial ones by variable index, each product after them), indexed by
        // variable so that each elimination touches only its own factors: linear in the model on a chain.
        // The product order (ascending id) is the order a single list would give, so results are unchanged.
        var factors = new List<Factor?>();
        var byVariable = new Dictionary<int, SortedSet<int>>();
        void Add(Factor f)
        {
            var id = factors.Count;
            factors.Add(f);
            foreach (var x in f.Variables)
            {
                if (!byVariable.TryGetValue(x, out var ids)) byVariable[x] = ids = new SortedSet<int>();
                ids.Add(id);
            }
        }
        foreach (var v in relevant.OrderBy(v => v)) Add(Tabulate(v, evidence));
        foreach (var v in order)
        {
            if (!byVariable.Remove(v, out var ids) || ids.Count == 0) continue;
            var involved = ids.Select(id => factors[id]!).ToList();
            foreach (var id in ids)
            {
                foreach (var x in factors[id]!.Variables)
                    if (x != v) byVariable[x].Remove(id);
                factors[id] = null;
            }
            Add(Factor.ProductSumOut(involved, v, _cards));
        }
        var result = Factor.ProductSumOut(factors.Where(f => f is not null).Select(f => f!).ToList(), -1, _cards);
        var z = result.Values.Sum();
        if (!(z > 0)) throw new ModelException("the evidence has probability zero under this model");
        for (var i = 0; i < result.Values.Length; i++) result.Values[i] /= z;
        return result;
    }

    /// <summary>
    /// P(T | E = e) for every target at once, from one calibrated clique tree (Shafer–Shenoy): the cliques of a greedy
    /// min-weight elimination of the whole ancestral closure, each CPT assigned to the clique of its first-eliminated
    /// variable, one message up and one down every edge; each target's marginal is its own clique's belief summed down
    /// to it. About three eliminations' work for all targets together, instead of one elimination per target.
    /// </summary>
    /// <exception cref="ModelException">A target is evidence, a relevant variable is continuous, the evidence has probability 0, or a clique is too large.</exception>
    public double[][] Marginals(IReadOnlyList<int> targets, IReadOnlyDictionary<int, int>? evidence = null)
    {
        evidence ??= new Dictionary<int, int>();
        foreach (var t in targets)
            if (evidence.ContainsKey(t)) throw new ModelException($"'{_model[t].Name}' is both a query target and evidence");
        if (!IsFeasible(targets, evidence.Keys, out var reason)) throw new ModelException(reason);
        var relevant = Relevant(targets, evidence.Keys.ToList());
        var cliques = new List<int[]>();
        var order = EliminationOrder(relevant.OrderBy(v => v).ToList(), relevant, out var largest, cliques);
        if (largest > MaxFactorEntries)
            throw new ModelException($"the network is too large for exact inference of all marginals at once: a clique of {largest:0.###e0} entries (limit {MaxFactorEntries:0.###e0}); query the targets one by one");
        var m = order.Count;
        var position = new Dictionary<int, int>();
        for (var i = 0; i < m; i++) position[order[i]] = i;
        // The parent of clique i: the clique of the earliest-eliminated variable of its separator C_i \ {v_i}.
        var parent = new int[m];
        var separator = new HashSet<int>[m];
        var children = Enumerable.Range(0, m).Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < m; i++)
        {
            separator[i] = cliques[i].Where(x => x != order[i]).ToHashSet();
            parent[i] = separator[i].Count == 0 ? -1 : separator[i].Min(x => position[x]);
            if (parent[i] >= 0) children[parent[i]].Add(i);
        }
        var potentials = Enumerable.Range(0, m).Select(_ => new List<Factor>()).ToArray();
        foreach (var v in relevant.OrderBy(v => v))
        {
            var family = _model.Mechanisms[v].Parents.Append(v);
            potentials[family.Min(x => position[x])].Add(Tabulate(v, evidence));
        }
        var up = new Factor[m];
        for (var i = 0; i < m; i++)
        {
            var sep = separator[i];
            up[i] = Factor.ProductKeeping(potentials[i].Concat(children[i].Select(c => up[c])).ToList(), sep.Contains, _cards);
        }
        var down = new Factor?[m];
        for (var i = m - 1; i >= 0; i--)
            foreach (var c in children[i])
            {
                var incoming = potentials[i].Concat(children[i].Where(o => o != c).Select(o => up[o]));
                if (down[i] is { } d) incoming = incoming.Append(d);
                var sep = separator[c];
                down[c] = Factor.ProductKeeping(incoming.ToList(), sep.Contains, _cards);
            }
        var result = new double[targets.Count][];
        for (var q = 0; q < targets.Count; q++)
        {
            var t = targets[q];
            var i = position[t];
            var belief = potentials[i].Concat(children[i].Select(c => up[c]));
            if (down[i] is { } d) belief = belief.Append(d);
            var marginal = Factor.ProductKeeping(belief.ToList(), x => x == t, _cards).Values;
            var z = marginal.Sum();
            if (!(z > 0)) throw new ModelException("the evidence has probability zero under this model");
            result[q] = marginal.Select(x => x / z).ToArray();
        }
        return result;
    }

    /// <summary>
    /// P(V | Pa_V) as a factor, with evidence variables already reduced away (evidence on V itself
    /// keeps only that state). Enumerates parent configurations through the mechanism, so any
    /// categorical mechanism (a table, a logistic, a language model) can be tabulated.
    /// </summary>
    private Factor Tabulate(int v, IReadOnlyDictionary<int, int> evidence)
    {
        var mech = (ICategoricalMechanism)_model.Mechanisms[v];
        var parents = mech.Parents.ToArray();
        var scope = parents.Append(v).ToArray();
        var k = _cards[v];
        long rows = 1;
        foreach (var p in parents) rows *= _cards[p];
        var table = new double[rows * k];
        mech.Tabulate(parents.Select(p => _cards[p]).ToArray(), table);
        // Reorder the scope to ascending variable index.
        var sorted = scope.OrderBy(x => x).ToArray();
        Factor f;
        if (sorted.SequenceEqual(scope))
        {
            f = new Factor(scope, scope.Select(x => _cards[x]).ToArray(), table);
        }
        else
        {
            var src = new Factor(sorted, sorted.Select(x => _cards[x]).ToArray(), new double[table.Length]);
            Permute(table, scope, src);
            f = src;
        }
        foreach (var x in sorted)
            if (evidence.TryGetValue(x, out var code)) f = f.Reduce(x, code);
        return f;
    }

    private void Permute(double[] table, int[] scope, Factor target)
    {
        var n = scope.Length;
        var targetStride = new int[n];
        for (var j = 0; j < n; j++)
        {
            var pos = Array.IndexOf(target.Variables, scope[j]);
            var stride = 1;
            for (var q = target.Variables.Length - 1; q > pos; q--) stride *= target.Cardinalities[q];
            targetStride[j] = stride;
        }
        var assignment = new int[n];
        for (var i = 0; i < table.Length; i++)
        {
            var t = 0;
            for (var j = 0; j < n; j++) t += assignment[j] * targetStride[j];
            target.Values[t] = table[i];
            for (var j = n - 1; j >= 0; j--)
            {
                if (++assignment[j] < _cards[scope[j]]) break;
                assignment[j] = 0;
            }
        }
    }

    /// <summary>Greedy min-weight order over the interaction graph of the relevant factors; reports the largest factor it creates.</summary>
    private List<int> EliminationOrder(List<int> toEliminate, HashSet<int> relevant, out double largest, List<int[]>? cliques = null)
    {
        var neighbours = relevant.ToDictionary(v => v, _ => new HashSet<int>());
        foreach (var v in relevant)
        {
            var family = _model.Mechanisms[v].Parents.Append(v).ToArray();
            foreach (var a in family)
                foreach (var b in family)
                    if (a != b) neighbours[a].Add(b);
        }
        largest = 0;
        var order = new List<int>();
        // The vertex of least weight, ties to the lowest index, from an ordered set updated as neighbourhoods change.
        double Weight(int v) => _cards[v] * Factor.SizeOf(neighbours[v], _cards);
        var weight = toEliminate.ToDictionary(v => v, Weight);
        var queue = new SortedSet<(double Weight, int Vertex)>(toEliminate.Select(v => (weight[v], v)));
        while (queue.Count > 0)
        {
            var (bestWeight, best) = queue.Min;
            queue.Remove(queue.Min);
            weight.Remove(best);
            largest = Math.Max(largest, bestWeight);
            order.Add(best);
            var nb = neighbours[best].ToArray();
            cliques?.Add(nb.Append(best).ToArray());
            foreach (var a in nb)
            {
                neighbours[a].Remove(best);
                foreach (var b in nb)
                    if (a != b) neighbours[a].Add(b);
            }
            neighbours.Remove(best);
            foreach (var a in nb)
                if (weight.TryGetValue(a, out var old))
                {
                    var w = Weight(a);
                    if (w == old) continue;
                    queue.Remove((old, a));
                    queue.Add((w, a));
                    weight[a] = w;
                }
            if (largest > MaxFactorEntries) break;
        }
        return order;
    }
}
