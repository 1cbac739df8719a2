using HybridSynth.Scm.Errors;
using QuikGraph;
using QuikGraph.Algorithms;

namespace HybridSynth.Scm.Graph;

/// <summary>
/// An immutable directed acyclic graph over named nodes 0..n−1, built on QuikGraph: the edges are held in a
/// QuikGraph <see cref="ArrayBidirectionalGraph{TVertex, TEdge}"/> (<see cref="Structure"/>), acyclicity is
/// checked with QuikGraph's strongly-connected-components algorithm (Tarjan), and a cycle, when there is one, is
/// named from its component. Parents and children are also kept as sorted index arrays, because the sampler,
/// variable elimination and d-separation read them in their inner loops. The topological order is Kahn's with
/// ties broken by the lowest index, so it is a function of the graph alone (QuikGraph's source-first sort breaks
/// ties by heap position); it is computed once.
/// </summary>
public sealed class CausalGraph
{
    private readonly string[] _names;
    private readonly int[][] _parents;
    private readonly int[][] _children;
    private readonly int[] _topologicalOrder;
    private readonly Dictionary<string, int> _index;
    private readonly ArrayBidirectionalGraph<int, SEdge<int>> _structure;

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
        _index = new Dictionary<string, int>(_names.Length, StringComparer.Ordinal);
        for (var i = 0; i < _names.Length; i++)
            if (!_index.TryAdd(_names[i], i))
                throw new ArgumentException($"duplicate node name '{_names[i]}'", nameof(names));
        var builder = new BidirectionalGraph<int, SEdge<int>>(allowParallelEdges: false, vertexCapacity: _names.Length, edgeCapacity: -1);
        for (var i = 0; i < _names.Length; i++) builder.AddVertex(i);
        for (var i = 0; i < _names.Length; i++)
            foreach (var q in parents[i])
            {
                if (q < 0 || q >= _names.Length)
                    throw new ArgumentOutOfRangeException(nameof(parents), $"parent index {q} of '{_names[i]}' is out of range");
                if (q == i)
                    throw new CyclicGraphException(new[] { _names[i], _names[i] });
                if (!builder.ContainsEdge(q, i)) builder.AddEdge(new SEdge<int>(q, i));
            }
        _structure = builder.ToArrayBidirectionalGraph();
        _parents = new int[_names.Length][];
        _children = new int[_names.Length][];
        for (var i = 0; i < _names.Length; i++)
        {
            _parents[i] = Sorted(_structure.InEdges(i), e => e.Source);
            _children[i] = Sorted(_structure.OutEdges(i), e => e.Target);
        }
        EnsureAcyclic();
        _topologicalOrder = ComputeTopologicalOrder();
    }

    private static int[] Sorted(IEnumerable<SEdge<int>> edges, Func<SEdge<int>, int> end)
    {
        var a = edges.Select(end).ToArray();
        Array.Sort(a);
        return a;
    }

    /// <summary>
    /// The edges as a read-only QuikGraph graph over the node indices (an edge runs parent → child), for QuikGraph's
    /// algorithms. Names are <see cref="Name"/> of a vertex.
    /// </summary>
    public IBidirectionalGraph<int, SEdge<int>> Structure => _structure;

    /// <summary>A new, mutable QuikGraph copy of the graph with the node names as vertices (edges parent → child).</summary>
    public BidirectionalGraph<string, SEdge<string>> ToQuikGraph()
    {
        var g = new BidirectionalGraph<string, SEdge<string>>(allowParallelEdges: false, vertexCapacity: Count, edgeCapacity: -1);
        g.AddVertexRange(_names);
        foreach (var (p, c) in Edges()) g.AddEdge(new SEdge<string>(_names[p], _names[c]));
        return g;
    }

    /// <summary>
    /// A causal graph from any QuikGraph directed graph: its vertices become the nodes, in the graph's vertex order,
    /// named by <paramref name="name"/> (by default <c>ToString()</c>), and each edge runs source (parent) → target (child).
    /// Parallel edges collapse to one.
    /// </summary>
    /// <exception cref="CyclicGraphException">The graph has a directed cycle or a self-loop.</exception>
    /// <exception cref="ArgumentException">Two vertices have the same name.</exception>
    public static CausalGraph FromQuikGraph<TVertex, TEdge>(IVertexAndEdgeListGraph<TVertex, TEdge> graph, Func<TVertex, string>? name = null)
        where TVertex : notnull
        where TEdge : IEdge<TVertex>
    {
        ArgumentNullException.ThrowIfNull(graph);
        name ??= v => v.ToString() ?? throw new ArgumentException("a vertex has no name", nameof(name));
        var vertices = graph.Vertices.ToArray();
        var index = new Dictionary<TVertex, int>(vertices.Length);
        for (var i = 0; i < vertices.Length; i++) index[vertices[i]] = i;
        var parents = vertices.Select(_ => new List<int>()).ToArray();
        foreach (var e in graph.Edges) parents[index[e.Target]].Add(index[e.Source]);
        return new CausalGraph(vertices.Select(name).ToArray(), parents);
    }

    /// <summary>Builds a graph from named edges (parent → child) over the given nodes.</summary>
    public static CausalGraph FromEdges(IReadOnlyList<string> names, IEnumerable<(string Parent, string Child)> edges)
    {
        var idx = names.Select((n, i) => (n, i)).ToDictionary(t => t.n, t => t.i, StringComparer.Ordinal);
        var parents = names.Select(_ => new List<int>()).ToArray();
        foreach (var (p, c) in edges) parents[idx[c]].Add(idx[p]);
        return new CausalGraph(names, parents);
    }

    /// <summary>The number of nodes n.</summary>
    public int Count => _names.Length;
    /// <summary>The node names, by index.</summary>
    public IReadOnlyList<string> Names => _names;
    /// <summary>The name of node <paramref name="node"/>.</summary>
    public string Name(int node) => _names[node];
    /// <summary>The parents of <paramref name="node"/>, sorted by index.</summary>
    public IReadOnlyList<int> Parents(int node) => _parents[node];
    /// <summary>The children of <paramref name="node"/>, sorted by index.</summary>
    public IReadOnlyList<int> Children(int node) => _children[node];

    /// <summary>Nodes in an order where every parent precedes its children; ties broken by index, so the order is deterministic.</summary>
    public IReadOnlyList<int> TopologicalOrder => _topologicalOrder;

    /// <summary>The index of the node named <paramref name="name"/>, if there is one.</summary>
    public bool TryIndexOf(string name, out int node) => _index.TryGetValue(name, out node);

    /// <summary>The index of the node named <paramref name="name"/>; a <see cref="ModelException"/> with a suggestion when there is none.</summary>
    public int IndexOf(string name) =>
        _index.TryGetValue(name, out var i) ? i : throw new Errors.ModelException($"the graph has no node '{name}'{Errors.Suggestions.DidYouMean(name, _names)}");

    /// <summary>True when the edge <paramref name="parent"/> → <paramref name="child"/> is in the graph.</summary>
    public bool HasEdge(int parent, int child) => Array.BinarySearch(_parents[child], parent) >= 0;

    /// <summary>True when a → b or b → a is an edge.</summary>
    public bool Adjacent(int a, int b) => HasEdge(a, b) || HasEdge(b, a);

    /// <summary>Every edge (parent, child), children in index order and each child's parents in index order.</summary>
    public IEnumerable<(int Parent, int Child)> Edges()
    {
        for (var c = 0; c < Count; c++)
            foreach (var p in _parents[c]) yield return (p, c);
    }

    /// <summary>Strict ancestors of the given nodes (the nodes themselves excluded unless one is an ancestor of another).</summary>
    public HashSet<int> Ancestors(IEnumerable<int> nodes) => Reach(nodes, _parents);

    /// <summary>Strict descendants of the given nodes.</summary>
    public HashSet<int> Descendants(IEnumerable<int> nodes) => Reach(nodes, _children);

    /// <summary>The strict ancestors of one node.</summary>
    public HashSet<int> Ancestors(int node) => Ancestors(new[] { node });
    /// <summary>The strict descendants of one node.</summary>
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

    private void EnsureAcyclic()
    {
        // A directed graph is acyclic iff every strongly connected component is a single node (self-loops are
        // rejected while the edges are read).
        var components = new Dictionary<int, int>(Count);
        var count = _structure.StronglyConnectedComponents(components);
        if (count == Count) return;
        var sizes = new int[count];
        foreach (var c in components.Values) sizes[c]++;
        var start = Enumerable.Range(0, Count).First(v => sizes[components[v]] > 1);
        throw new CyclicGraphException(CycleWithin(start, v => components[v] == components[start]));
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
        return order.ToArray();
    }

    private List<string> CycleWithin(int start, Func<int, bool> inComponent)
    {
        // Within a strongly connected component every node has a parent in the component, so walking
        // backwards along such parents must revisit a node.
        var position = new Dictionary<int, int>();
        var path = new List<int>();
        var v = start;
        while (!position.ContainsKey(v))
        {
            position[v] = path.Count;
            path.Add(v);
            v = _parents[v].First(inComponent);
        }
        var cycle = path.Skip(position[v]).Reverse().Select(i => _names[i]).ToList();
        cycle.Add(cycle[0]);
        return cycle;
    }
}
