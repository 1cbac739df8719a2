using HybridSynth.Scm.Randomness;

namespace HybridSynth.HybridBridge.Generators;

/// <summary>
/// A Bayesian network fitted to the data: continuous columns are cut at quintiles (discrete ones keep
/// their values), the structure is the Chow–Liu tree (the maximum-weight spanning tree of pairwise
/// mutual information, rooted at the first column), and each conditional table is estimated with
/// Laplace smoothing (α = 1). Sampling draws the bins ancestrally, then a continuous value by resampling
/// an observed value of that column from the drawn bin.
/// </summary>
public sealed class BayesianNetworkGenerator : ITabularGenerator
{
    /// <summary>Continuous columns are discretised into this many quantile bins for the network.</summary>
    public const int Bins = 5;

    /// <inheritdoc />
    public string Name => "bn";

    /// <inheritdoc />
    public IFittedGenerator Fit(ColumnTable data, ulong seed)
    {
        var n = data.Rows;
        var p = data.Columns.Count;
        var codes = new int[p][];
        var cards = new int[p];
        var members = new List<double>[p][];
        for (var j = 0; j < p; j++)
        {
            var column = data.Columns[j];
            var levels = data.Levels(j);
            if (levels is not null)
            {
                codes[j] = column.Select(x => Array.BinarySearch(levels, x)).ToArray();
                cards[j] = levels.Length;
            }
            else
            {
                var sorted = column.OrderBy(x => x).ToArray();
                var cuts = Enumerable.Range(1, Bins - 1).Select(k => sorted[(int)((long)k * (n - 1) / Bins)]).ToArray();
                codes[j] = column.Select(x => cuts.Count(c => x > c)).ToArray();
                cards[j] = Bins;
            }
            members[j] = Enumerable.Range(0, cards[j]).Select(_ => new List<double>()).ToArray();
            for (var i = 0; i < n; i++) members[j][codes[j][i]].Add(column[i]);
        }
        // Chow–Liu: Prim's algorithm on mutual information.
        var parent = Enumerable.Repeat(-1, p).ToArray();
        var inTree = new bool[p];
        var order = new List<int>();
        if (p > 0) { inTree[0] = true; order.Add(0); }
        var mi = new double[p, p];
        for (var a = 0; a < p; a++)
            for (var b = a + 1; b < p; b++) mi[a, b] = mi[b, a] = MutualInformation(codes[a], cards[a], codes[b], cards[b]);
        while (order.Count < p)
        {
            var best = (-1.0, -1, -1);
            foreach (var a in order)
                for (var b = 0; b < p; b++)
                    if (!inTree[b] && mi[a, b] > best.Item1) best = (mi[a, b], a, b);
            parent[best.Item3] = best.Item2;
            inTree[best.Item3] = true;
            order.Add(best.Item3);
        }
        // Smoothed conditional tables P(child | parent).
        var tables = new double[p][];
        for (var j = 0; j < p; j++)
        {
            var rowsCount = parent[j] < 0 ? 1 : cards[parent[j]];
            var t = new double[rowsCount * cards[j]];
            Array.Fill(t, 1.0);
            for (var i = 0; i < n; i++) t[(parent[j] < 0 ? 0 : codes[parent[j]][i]) * cards[j] + codes[j][i]]++;
            for (var r = 0; r < rowsCount; r++)
            {
                var s = 0.0;
                for (var k = 0; k < cards[j]; k++) s += t[r * cards[j] + k];
                for (var k = 0; k < cards[j]; k++) t[r * cards[j] + k] /= s;
            }
            tables[j] = t;
        }
        return new Fitted(data.Names, order, parent, cards, tables, members.Select(m => m.Select(l => l.ToArray()).ToArray()).ToArray());
    }

    private static double MutualInformation(int[] x, int kx, int[] y, int ky)
    {
        var n = x.Length;
        var joint = new double[kx * ky];
        var px = new double[kx];
        var py = new double[ky];
        for (var i = 0; i < n; i++) { joint[x[i] * ky + y[i]]++; px[x[i]]++; py[y[i]]++; }
        double mi = 0;
        for (var a = 0; a < kx; a++)
            for (var b = 0; b < ky; b++)
            {
                var j = joint[a * ky + b];
                if (j > 0) mi += j / n * Math.Log(j * n / (px[a] * py[b]));
            }
        return mi;
    }

    private sealed class Fitted(IReadOnlyList<string> names, List<int> order, int[] parent, int[] cards, double[][] tables, double[][][] members) : IFittedGenerator
    {
        public ColumnTable Sample(int n, ulong seed)
        {
            var p = cards.Length;
            var codes = Enumerable.Range(0, p).Select(_ => new int[n]).ToArray();
            var columns = Enumerable.Range(0, p).Select(_ => new double[n]).ToArray();
            foreach (var j in order)
            {
                var kCode = Seeds.BayesianNetworkColumn(seed, names[j], 0);
                var kValue = Seeds.BayesianNetworkColumn(seed, names[j], 1);
                for (var i = 0; i < n; i++)
                {
                    var row = parent[j] < 0 ? 0 : codes[parent[j]][i];
                    var probabilities = tables[j].AsSpan(row * cards[j], cards[j]);
                    var code = Scm.Mechanisms.InverseCdf.Sample(probabilities, CounterNoise.Uniform(kCode, i));
                    codes[j][i] = code;
                    var pool = members[j][code];
                    columns[j][i] = pool.Length == 0 ? members[j].First(m => m.Length > 0)[0] : pool[Math.Min(pool.Length - 1, (int)(CounterNoise.Uniform(kValue, i) * pool.Length))];
                }
            }
            return new ColumnTable(names, columns);
        }
    }
}
