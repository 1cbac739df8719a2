using HybridSynth.Scm.Randomness;

namespace HybridSynth.HybridBridge.Learners;

/// <summary>
/// A random forest of our own (Breiman 2001): each tree is grown on a bootstrap sample with, at every
/// split, √p (classification) or p/3 (regression) candidate features chosen at random; splits minimise
/// the squared error of the response (for a 0/1 response that is the Gini impurity up to a constant);
/// trees grow to a minimum leaf size. Predictions average the trees (probabilities for a 0/1 response).
/// Seeded: the same seed grows the same forest.
/// </summary>
public sealed class RandomForest : ILearner
{
    /// <summary>A random forest (bootstrap samples, √p features per split for classification, p/3 for regression).</summary>
    /// <param name="classification">True for a probability forest on a 0/1 response.</param>
    /// <param name="trees">Trees, ≥ 1.</param>
    /// <param name="minLeaf">The smallest leaf size.</param>
    /// <param name="maxDepth">The deepest split.</param>
    /// <param name="seed">The seed of the bootstrap samples and feature choices.</param>
    public RandomForest(bool classification, int trees = 100, int minLeaf = 5, int maxDepth = 20, ulong seed = 1)
    {
        Classification = classification;
        Trees = trees;
        MinLeaf = minLeaf;
        MaxDepth = maxDepth;
        Seed = seed;
    }

    /// <summary>True for a probability forest on a 0/1 response.</summary>
    public bool Classification { get; }
    /// <summary>The number of trees.</summary>
    public int Trees { get; }
    /// <summary>The smallest leaf size.</summary>
    public int MinLeaf { get; }
    /// <summary>The deepest split.</summary>
    public int MaxDepth { get; }
    /// <summary>The seed of the bootstrap samples and feature choices (tree t uses <see cref="Scm.Randomness.Seeds.ForestTree"/>).</summary>
    public ulong Seed { get; }
    /// <inheritdoc />
    public string Name => $"forest({Trees} trees, leaf {MinLeaf})";

    private sealed record Node(int Feature, double Threshold, Node? Left, Node? Right, double Value);

    /// <inheritdoc />
    public IFittedModel Fit(IReadOnlyList<double[]> columns, double[] response)
    {
        var n = response.Length;
        var p = columns.Count;
        var forest = new Node[Trees];
        for (var t = 0; t < Trees; t++)
        {
            var key = Seeds.ForestTree(Seed, t);
            long draw = 0;
            double U() => CounterNoise.Uniform(key, draw++);
            var rows = Enumerable.Range(0, n).Select(_ => Math.Min(n - 1, (int)(U() * n))).ToArray();
            var mtry = p == 0 ? 0 : Math.Max(1, Classification ? (int)Math.Sqrt(p) : p / 3);
            forest[t] = Grow(columns, response, rows, 0, mtry, U);
        }
        return new Fitted(forest);
    }

    private Node Grow(IReadOnlyList<double[]> x, double[] y, int[] rows, int depth, int mtry, Func<double> u)
    {
        var mean = rows.Average(i => y[i]);
        if (rows.Length < 2 * MinLeaf || depth >= MaxDepth || mtry == 0 || rows.All(i => y[i] == y[rows[0]]))
            return new Node(-1, 0, null, null, mean);
        var features = Enumerable.Range(0, x.Count).OrderBy(_ => u()).Take(mtry).ToArray();
        var best = (Gain: 0.0, Feature: -1, Threshold: 0.0);
        var total = rows.Sum(i => y[i]);
        foreach (var f in features)
        {
            var sorted = rows.OrderBy(i => x[f][i]).ToArray();
            double left = 0;
            for (var k = 0; k < sorted.Length - 1; k++)
            {
                left += y[sorted[k]];
                var nl = k + 1;
                var nr = sorted.Length - nl;
                if (nl < MinLeaf || nr < MinLeaf || x[f][sorted[k]] == x[f][sorted[k + 1]]) continue;
                // Reduction of the sum of squares: S_L²/n_L + S_R²/n_R − S²/n.
                var gain = left * left / nl + (total - left) * (total - left) / nr - total * total / sorted.Length;
                if (gain > best.Gain + 1e-12) best = (gain, f, (x[f][sorted[k]] + x[f][sorted[k + 1]]) / 2);
            }
        }
        if (best.Feature < 0) return new Node(-1, 0, null, null, mean);
        var l = rows.Where(i => x[best.Feature][i] <= best.Threshold).ToArray();
        var r = rows.Where(i => x[best.Feature][i] > best.Threshold).ToArray();
        return new Node(best.Feature, best.Threshold, Grow(x, y, l, depth + 1, mtry, u), Grow(x, y, r, depth + 1, mtry, u), mean);
    }

    private sealed class Fitted(Node[] forest) : IFittedModel
    {
        public double[] Predict(IReadOnlyList<double[]> columns, int rows)
        {
            var result = new double[rows];
            for (var i = 0; i < rows; i++)
            {
                double s = 0;
                foreach (var tree in forest)
                {
                    var node = tree;
                    while (node.Feature >= 0) node = columns[node.Feature][i] <= node.Threshold ? node.Left! : node.Right!;
                    s += node.Value;
                }
                result[i] = s / forest.Length;
            }
            return result;
        }
    }
}
