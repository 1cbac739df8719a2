using HybridSynth.Scm.Errors;

namespace HybridSynth.Scm.Graph;

/// <summary>
/// An immutable directed acyclic graph over named nodes 0..n−1. Parents and children are kept as
/// sorted index arrays; a topological order is computed once at construction, which also rejects
/// cycles (naming one).
/// </summary>
public sealed class CausalGraph
{
    private readonly string[] _names;
    private readonly int[][] _parents;
    private readonly int[][] _children;
    private readonly int[] _topologicalOrder;
    private readonly Dictionary<string, int> _index;

    /// <param name="names">Node names, unique.</param>
    /// <param name="parents">For each node, the indices of its parents.</param>
    /// <exception cref="CyclicGraphException">The edges contain a directed cycle.</exception>
    public CausalGraph(IReadOnlyList<string> names, IReadOnlyList<IReadOnlyList<int>> parents)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(parents);
        if (names.Count != parents.Count)
            throw new ArgumentException("one parent list is needed per node", nameof(parents));
        _names = names.ToArray();
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _names.Length; i++)
            if (!_index.TryAdd(_names[i], i))
                throw new ArgumentException($"duplicate node name '{_names[i]}'", nameof(names));
        _parents = new int[_names.Length][];
        var children = new List<int>[_names.Length];
        for (var i = 0; i < _names.Length; i++) children[i] = new List<int>();
        for (var i = 0; i < _names.Length; i++)
        {
            var p = parents[i].Distinct().OrderBy(x => x).ToArray();
            foreach (var q in p)
            {
                if (q < 0 || q >= _names.Length)
                    throw new ArgumentOutOfRangeException(nameof(parents), $"parent index {q} of '{_names[i]}' is out of range");
                if (q == i)
                    throw new CyclicGraphException(new[] { _names[i], _names[i] });
                children[q].Add(i);
            }
            _parents[i] = p;
        }
        _children = children.Select(c => c.ToArray()).ToArray();
        _topologicalOrder = ComputeTopologicalOrder();
    }

    /// <summary>Builds a graph from named edges (parent → child) over the given nodes.</summary>
    public static CausalGraph FromEdges(IReadOnlyList<string> names, IEnumerable<(string Parent, string Child)> edges)
    {
        var idx = names.Select((n, i) => (n, i)).ToDictionary(t => t.n, t => t.i, StringComparer.Ordinal);
        var parents = names.Select(_ => new List<int>()).ToArray();
        foreach (var (p, c) in edges) parents[idx[c]].Add(idx[p]);
        return new CausalGraph(names, parents);
    }

    public int Count => _names.Length;
    public IReadOnlyList<string> Names => _names;
    public string Name(int node) => _names[node];
    public IReadOnlyList<int> Parents(int node) => _parents[node];
    public IReadOnlyList<int> Children(int node) => _children[node];

    /// <summary>Nodes in an order where every parent precedes its children; ties broken by index, so the order is deterministic.</summary>
    public IReadOnlyList<int> TopologicalOrder => _topologicalOrder;

    public bool TryIndexOf(string name, out int node) => _index.TryGetValue(name, out node);

    public int IndexOf(string name) =>
        _index.TryGetValue(name, out var i) ? i : throw new Errors.ModelException($"the graph has no node '{name}'{Errors.Suggestions.DidYouMean(name, _names)}");

    public bool HasEdge(int parent, int child) => Array.BinarySearch(_parents[child], parent) >= 0;

    public bool Adjacent(int a, int b) => HasEdge(a, b) || HasEdge(b, a);

    public IEnumerable<(int Parent, int Child)> Edges()
    {
        for (var c = 0; c < Count; c++)
            foreach (var p in _parents[c]) yield return (p, c);
    }

    /// <summary>Strict ancestors of the given nodes (the nodes themselves excluded unless one is an ancestor of another).</summary>
    public HashSet<int> Ancestors(IEnumerable<int> nodes) => Reach(nodes, _parents);

    /// <summary>Strict descendants of the given nodes.</summary>
    public HashSet<int> Descendants(IEnumerable<int> nodes) => Reach(nodes, _children);

    public HashSet<int> Ancestors(int node) => Ancestors(new[] { node });
    public HashSet<int> Descendants(int node) => Descendants(new[] { node });

    private static HashSet<int> Reach(IEnumerable<int> start, int[][] next)
    {
        var seen = new HashSet<int>();
        var stack = new Stack<int>(start);
        while (stack.Count > 0)
        {
            var v = stack.Pop();
            foreach (var w in next[v])
                if (seen.Add(w)) stack.Push(w);
        }
        return seen;
    }

    /// <summary>
    /// The mutilated graph G_{\bar X} of do(X): every edge into a node of <paramref name="intervened"/> is removed.
    /// </summary>
    public CausalGraph Mutilate(IEnumerable<int> intervened)
    {
        var set = new HashSet<int>(intervened);
        var parents = new IReadOnlyList<int>[Count];
        for (var i = 0; i < Count; i++) parents[i] = set.Contains(i) ? Array.Empty<int>() : _parents[i];
        return new CausalGraph(_names, parents);
    }

    private int[] ComputeTopologicalOrder()
    {
        // Kahn's algorithm with a min-heap so that ties go to the lowest index.
        var indegree = _parents.Select(p => p.Length).ToArray();
        var ready = new PriorityQueue<int, int>();
        for (var i = 0; i < Count; i++) if (indegree[i] == 0) ready.Enqueue(i, i);
        var order = new List<int>(Count);
        while (ready.Count > 0)
        {
            var v = ready.Dequeue();
            order.Add(v);
            foreach (var c in _children[v])
                if (--indegree[c] == 0) ready.Enqueue(c, c);
        }
        if (order.Count != Count) throw new CyclicGraphException(FindCycle(indegree));
        return order.ToArray();
    }

    private List<string> FindCycle(int[] remainingIndegree)
    {
        // Every node left with positive indegree lies on or downstream of a cycle; walking
        // backwards along parents that are also left must revisit a node.
        var start = Array.FindIndex(remainingIndegree, d => d > 0);
        var position = new Dictionary<int, int>();
        var path = new List<int>();
        var v = start;
        while (!position.ContainsKey(v))
        {
            position[v] = path.Count;
            path.Add(v);
            v = _parents[v].First(p => remainingIndegree[p] > 0);
        }
        var cycle = path.Skip(position[v]).Reverse().Select(i => _names[i]).ToList();
        cycle.Add(cycle[0]);
        return cycle;
    }
}
