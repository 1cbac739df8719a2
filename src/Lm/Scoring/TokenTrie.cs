namespace HybridSynth.Lm.Scoring;

/// <summary>
/// The candidates' token sequences as a trie. Node d of candidate k's path stands for its first d
/// tokens. Chain-rule scoring decodes the nodes that are proper prefixes of some candidate (their
/// next-token distributions are needed); reference scoring decodes every node and reads the
/// distribution after each candidate's last one. Each node is decoded once, shared by every
/// candidate passing through it.
/// </summary>
public sealed class TokenTrie
{
    /// <summary>One token of one or more candidates' continuations.</summary>
    public sealed class Node
    {
        /// <summary>The token.</summary>
        public required int Token;
        /// <summary>Its depth: 0 for a first token.</summary>
        public required int Depth;
        /// <summary>The node before it, or null at the root.</summary>
        public required Node? Parent;
        /// <summary>The nodes that follow, by token.</summary>
        public readonly Dictionary<int, Node> Children = new();
        /// <summary>Candidates whose path passes through this node and continues after it.</summary>
        public readonly List<int> Continuing = new();
        /// <summary>Candidates whose path passes through this node (continuing or ending here).</summary>
        public readonly List<int> Through = new();
        /// <summary>Candidates whose last token is this node.</summary>
        public readonly List<int> Ending = new();
    }

    /// <summary>The trie of the candidates' token sequences.</summary>
    public TokenTrie(int[][] candidates)
    {
        Candidates = candidates;
        Paths = new Node[candidates.Length][];
        for (var k = 0; k < candidates.Length; k++)
        {
            var path = new Node[candidates[k].Length];
            var children = Roots;
            Node? parent = null;
            for (var d = 0; d < candidates[k].Length; d++)
            {
                var t = candidates[k][d];
                if (!children.TryGetValue(t, out var node))
                {
                    node = new Node { Token = t, Depth = d + 1, Parent = parent };
                    children[t] = node;
                    All.Add(node);
                }
                node.Through.Add(k);
                if (d < candidates[k].Length - 1) node.Continuing.Add(k);
                else node.Ending.Add(k);
                path[d] = node;
                parent = node;
                children = node.Children;
            }
            Paths[k] = path;
        }
    }

    /// <summary>The candidates' token sequences, as given.</summary>
    public int[][] Candidates { get; }
    /// <summary>The first tokens' nodes, by token.</summary>
    public Dictionary<int, Node> Roots { get; } = new();

    /// <summary>Every node, in creation order.</summary>
    public List<Node> All { get; } = new();

    /// <summary>Paths[k][d] is the node of candidate k's first d + 1 tokens.</summary>
    public Node[][] Paths { get; }

    /// <summary>Nodes whose next-token distribution some candidate needs, by depth then creation order.</summary>
    public IReadOnlyList<Node> Internal => All.Where(n => n.Continuing.Count > 0).OrderBy(n => n.Depth).ToList();

    /// <summary>Every node by depth then creation order (each after its parent).</summary>
    public IReadOnlyList<Node> ByDepth => All.OrderBy(n => n.Depth).ToList();
}
