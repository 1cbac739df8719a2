using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Mechanisms;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Variables;

namespace HybridSynth.Scm.Inference;

/// <summary>
/// Exact counterfactual probabilities P(T_{X=x} | E = e) of a discrete model under its own structural equations: every
/// categorical mechanism draws V = min{k : U &lt; C_k(pa)} from one uniform U (the inverse CDF), and the counterfactual
/// world reuses the factual world's U (the <c>counterfactual</c> verb samples exactly this). Abduction, action and
/// prediction in one twin network: a variable that does not descend from X is shared by both worlds; a descendant D
/// becomes the pair (D, D_x) with K² states, whose table is the joint law of the two inverse-CDF draws on the same U,
/// P(D = a, D_x = b | pa, pa_x) = |[C_{a−1}(pa), C_a(pa)) ∩ [C_{b−1}(pa_x), C_b(pa_x))|; then variable elimination.
/// </summary>
public static class ExactCounterfactuals
{
    /// <summary>The most entries one twin table may have.</summary>
    public const int MaxTableEntries = 1 << 24;

    /// <summary>
    /// P(T_{X=x} = t | E = e) for every state t of <paramref name="target"/>: <paramref name="evidence"/> is observed in the
    /// factual world (state codes by variable index), and X := <paramref name="state"/> in the counterfactual one.
    /// </summary>
    /// <exception cref="ModelException">A relevant variable is continuous, a mechanism does not draw by one uniform, the evidence has probability zero, or a twin table would be too large.</exception>
    public static double[] Query(CausalModel model, int target, int treatment, int state, IReadOnlyDictionary<int, int> evidence)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(evidence);
        if (target == treatment)
        {
            var point = new double[model[target].Cardinality];
            point[state] = 1;
            return point;
        }
        if (evidence.TryGetValue(target, out var seen) && !model.Graph.Descendants(treatment).Contains(target))
        {
            var point = new double[model[target].Cardinality];
            point[seen] = 1;
            return point;
        }
        var graph = model.Graph;
        var relevant = graph.Ancestors(evidence.Keys.Append(target));
        relevant.UnionWith(evidence.Keys);
        relevant.Add(target);
        var affected = graph.Descendants(treatment);
        affected.IntersectWith(relevant);
        var order = graph.TopologicalOrder.Where(relevant.Contains).ToList();

        // twin variable index by model variable; a pair node's states are (factual, counterfactual) with the latter fastest
        var twinOf = new Dictionary<int, int>();
        var variables = new List<Variable>();
        var mechanisms = new List<IMechanism>();
        foreach (var v in order)
        {
            var variable = model[v];
            if (variable.Domain is not CategoricalDomain domain) throw new ModelException($"exact counterfactuals need discrete variables; '{variable.Name}' is continuous");
            if (model.Mechanisms[v] is not ICategoricalMechanism mechanism || mechanism.NoiseDimension > 1)
                throw new ModelException($"exact counterfactuals need mechanisms that draw by one uniform; '{variable.Name}' does not");
            var parents = mechanism.Parents;
            var cards = parents.Select(p => model[p].Cardinality).ToArray();
            var k = domain.Cardinality;
            var entries = cards.Aggregate((long)k, (a, c) => a * c);
            if (entries > MaxTableEntries) throw TooLarge(variable);
            var table = new double[entries];
            mechanism.Tabulate(cards, table);
            if (!affected.Contains(v))
            {
                twinOf[v] = variables.Count;
                variables.Add(variable);
                mechanisms.Add(new CptMechanism(parents.Select(p => twinOf[p]).ToArray(), cards, k, table));
                continue;
            }
            // a descendant of X: its twin parents are the shared parents, X (factual value; counterfactual = state), and pairs
            var twinParents = parents.Select(p => twinOf[p]).ToArray();
            var twinCards = parents.Select((p, j) => affected.Contains(p) ? cards[j] * cards[j] : cards[j]).ToArray();
            long rows = twinCards.Aggregate(1L, (a, c) => a * c);
            if (rows * k * k > MaxTableEntries) throw TooLarge(variable);
            var twin = new double[rows * k * k];
            var factualCode = new int[parents.Count];
            var counterCode = new int[parents.Count];
            var cf = new double[k];
            var cc = new double[k];
            for (var r = 0; r < rows; r++)
            {
                var rem = r;
                for (var j = parents.Count - 1; j >= 0; j--)
                {
                    var code = rem % twinCards[j];
                    rem /= twinCards[j];
                    var p = parents[j];
                    if (affected.Contains(p)) { factualCode[j] = code / cards[j]; counterCode[j] = code % cards[j]; }
                    else { factualCode[j] = code; counterCode[j] = p == treatment ? state : code; }
                }
                InverseCdf.Cumulative(table.AsSpan(Row(factualCode, cards) * k, k), cf);
                InverseCdf.Cumulative(table.AsSpan(Row(counterCode, cards) * k, k), cc);
                for (var a = 0; a < k; a++)
                    for (var b = 0; b < k; b++)
                    {
                        var lo = Math.Max(a == 0 ? 0 : cf[a - 1], b == 0 ? 0 : cc[b - 1]);
                        var hi = Math.Min(cf[a], cc[b]);
                        twin[(long)r * k * k + a * k + b] = Math.Max(0, hi - lo);
                    }
                // the overlaps of a row sum to 1 up to rounding; renormalise so the table is exact to the checker's 1e-9
                var sum = 0.0;
                for (var q = 0; q < k * k; q++) sum += twin[(long)r * k * k + q];
                for (var q = 0; q < k * k; q++) twin[(long)r * k * k + q] /= sum;
            }
            twinOf[v] = variables.Count;
            var states = domain.States.SelectMany(a => domain.States.Select(b => a + "|" + b)).ToArray();
            variables.Add(new Variable(variable.Name, new CategoricalDomain(states)));
            mechanisms.Add(new CptMechanism(twinParents, twinCards, k * k, twin));
        }

        var twinModel = new CausalModel(model.Name + "-twin", variables, mechanisms);
        var shared = evidence.Where(e => !affected.Contains(e.Key)).ToDictionary(e => twinOf[e.Key], e => e.Value);
        var paired = evidence.Where(e => affected.Contains(e.Key)).Select(e => e.Key).OrderBy(v => v).ToList();
        var targets = paired.Append(target).Distinct().Select(v => twinOf[v]).OrderBy(v => v).ToList();
        var joint = new VariableElimination(twinModel).JointQuery(targets, shared);

        var kt = model[target].Cardinality;
        var result = new double[kt];
        var position = joint.Variables.Select(t => order[t]).ToArray();
        var codes = new int[position.Length];
        for (var i = 0; i < joint.Values.Length; i++)
        {
            var rem = i;
            for (var j = position.Length - 1; j >= 0; j--) { codes[j] = rem % joint.Cardinalities[j]; rem /= joint.Cardinalities[j]; }
            var keep = true;
            var t = -1;
            for (var j = 0; j < position.Length && keep; j++)
            {
                var v = position[j];
                var k = model[v].Cardinality;
                var pair = affected.Contains(v);
                if (evidence.TryGetValue(v, out var e) && pair && codes[j] / k != e) keep = false;
                if (v == target) t = pair ? codes[j] % k : codes[j];
            }
            if (keep) result[t] += joint.Values[i];
        }
        var z = result.Sum();
        if (!(z > 0)) throw new ModelException("the evidence has probability zero under this model");
        for (var s = 0; s < kt; s++) result[s] /= z;
        return result;
    }

    private static int Row(int[] codes, int[] cards)
    {
        var r = 0;
        for (var j = 0; j < codes.Length; j++) r = r * cards[j] + codes[j];
        return r;
    }

    private static ModelException TooLarge(Variable v) => new($"the counterfactual twin table of '{v.Name}' would exceed {MaxTableEntries:N0} entries");
}
