using HybridSynth.Scm.Graph;

namespace HybridSynth.Verifier.Audit;

/// <summary>
/// The implied independences among the observed variables (those not hidden and present in the data).
/// Statements about an unobserved variable are left out; a statement that can only be separated with
/// an unobserved variable is kept and marked untestable.
/// </summary>
public static class ImpliedStatements
{
    /// <summary>The implied statements among the observed variables: the local Markov set (with the observed parents as Z, untestable when a parent is hidden) or one minimal observed separator per non-adjacent observed pair.</summary>
    public static IReadOnlyList<ObservedStatement> Enumerate(CausalGraph g, ISet<int> observed, StatementSet set) => Enumerate(g, observed, set, out _);

    /// <summary>As <see cref="Enumerate(CausalGraph, ISet{int}, StatementSet)"/>, with the number of duplicate statements merged (see <see cref="Local(CausalGraph, ISet{int}, out int)"/>).</summary>
    public static IReadOnlyList<ObservedStatement> Enumerate(CausalGraph g, ISet<int> observed, StatementSet set, out int duplicates)
    {
        duplicates = 0;
        return set == StatementSet.Local ? Local(g, observed, out duplicates) : Pairwise(g, observed);
    }

    /// <summary>The local statements, each distinct one once (see <see cref="Local(CausalGraph, ISet{int}, out int)"/>).</summary>
    public static IReadOnlyList<ObservedStatement> Local(CausalGraph g, ISet<int> observed) => Local(g, observed, out _);

    /// <summary>
    /// V ⟂ W | Pa(V) for observed V and observed non-descendants W that are not parents; untestable when a parent of V is
    /// unobserved. When two nodes have the same parents and neither descends from the other, V ⟂ W | Pa and W ⟂ V | Pa are
    /// one statement (the test is symmetric): it is listed once, at its first occurrence, and <paramref name="duplicates"/>
    /// counts the copies left out (ALARM: 1,063 local statements, 71 of them copies).
    /// </summary>
    public static IReadOnlyList<ObservedStatement> Local(CausalGraph g, ISet<int> observed, out int duplicates)
    {
        var result = new List<ObservedStatement>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        duplicates = 0;
        foreach (var s in ImpliedIndependences.LocalMarkov(g))
        {
            if (!observed.Contains(s.X) || !observed.Contains(s.Y)) continue;
            var key = $"{Math.Min(s.X, s.Y)},{Math.Max(s.X, s.Y)}|{string.Join(",", s.Z.Order())}";
            if (!seen.Add(key)) { duplicates++; continue; }
            var hidden = s.Z.Where(z => !observed.Contains(z)).ToList();
            var reason = hidden.Count == 0 ? null : $"needs the unobserved parent(s) {string.Join(", ", hidden.Select(g.Name))}";
            result.Add(ObservedStatement.From(g, s.X, s.Y, s.Z, reason));
        }
        return result;
    }

    /// <summary>
    /// For each non-adjacent observed pair, a minimal separating set within the observed variables:
    /// the observed ancestors of the pair separate it whenever any observed set does (van der Zander,
    /// Liśkiewicz &amp; Textor 2019), and are then reduced one member at a time.
    /// </summary>
    public static IReadOnlyList<ObservedStatement> Pairwise(CausalGraph g, ISet<int> observed)
    {
        var result = new List<ObservedStatement>();
        var nodes = observed.OrderBy(v => v).ToList();
        for (var i = 0; i < nodes.Count; i++)
            for (var j = i + 1; j < nodes.Count; j++)
            {
                var (a, b) = (nodes[i], nodes[j]);
                if (g.Adjacent(a, b)) continue;
                var z = g.Ancestors(new[] { a, b });
                z.Remove(a);
                z.Remove(b);
                var candidate = z.Where(observed.Contains).OrderBy(v => v).ToList();
                if (!DSeparation.AreDSeparated(g, a, b, candidate))
                {
                    result.Add(ObservedStatement.From(g, a, b, candidate, "no set of observed variables separates them (an unobserved variable would be needed)"));
                    continue;
                }
                for (var k = candidate.Count - 1; k >= 0; k--)
                {
                    var trial = candidate.Where((_, q) => q != k).ToArray();
                    if (DSeparation.AreDSeparated(g, a, b, trial)) candidate.RemoveAt(k);
                }
                result.Add(ObservedStatement.From(g, a, b, candidate, null));
            }
        return result;
    }
}
