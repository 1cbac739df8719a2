using ScottPlot;

namespace HybridSynth.Plots;

/// <summary>
/// A picture of a DAG: nodes in layers by their longest path from a root (so every edge points down), ordered within a
/// layer by the mean position of their parents, edges as arrows. Meant for the graphs of benchmark models up to a few
/// dozen nodes; larger graphs are better read from their DOT export.
/// </summary>
public static class DagPlot
{
    /// <summary>The largest graph drawn.</summary>
    public const int MaxNodes = 80;

    /// <summary>Each node's (layer, position within its layer), by the layering described above.</summary>
    /// <param name="parents">Each node's parents (indices into the node list); the graph must be acyclic.</param>
    public static (int Layer, double Position)[] Layout(IReadOnlyList<IReadOnlyList<int>> parents)
    {
        var n = parents.Count;
        var layer = new int[n];
        var done = new bool[n];
        int Depth(int v, int guard)
        {
            if (done[v]) return layer[v];
            if (guard > n) throw new ArgumentException("the graph has a cycle", nameof(parents));
            layer[v] = parents[v].Count == 0 ? 0 : parents[v].Max(p => Depth(p, guard + 1)) + 1;
            done[v] = true;
            return layer[v];
        }
        for (var v = 0; v < n; v++) Depth(v, 0);
        var position = new double[n];
        foreach (var group in Enumerable.Range(0, n).GroupBy(v => layer[v]).OrderBy(g => g.Key))
        {
            var members = group.Select(v => (v, key: parents[v].Count == 0 ? v : parents[v].Average(p => position[p]))).OrderBy(x => x.key).ThenBy(x => x.v).ToList();
            var width = members.Count;
            for (var i = 0; i < width; i++) position[members[i].v] = i - (width - 1) / 2.0;
        }
        return Enumerable.Range(0, n).Select(v => (layer[v], position[v])).ToArray();
    }

    /// <summary>The picture as SVG, titled <paramref name="title"/>; null when the graph has more than <see cref="MaxNodes"/> nodes.</summary>
    public static string? Render(string title, IReadOnlyList<string> names, IReadOnlyList<IReadOnlyList<int>> parents)
    {
        if (names.Count > MaxNodes) return null;
        var (plot, width, height) = Build(title, names, parents);
        return Figure.Svg(plot, width, height);
    }

    /// <summary>The picture as a ScottPlot plot with the size it is meant to be rendered at.</summary>
    public static (Plot Plot, int Width, int Height) Build(string title, IReadOnlyList<string> names, IReadOnlyList<IReadOnlyList<int>> parents)
    {
        var layout = Layout(parents);
        var plot = new Plot();
        plot.Title(title, size: 14);
        var layers = layout.Length == 0 ? 1 : layout.Max(l => l.Layer) + 1;
        var widest = layout.Length == 0 ? 1 : layout.GroupBy(l => l.Layer).Max(g => g.Count());
        Coordinates At(int v) => new(layout[v].Position * 1.6, -layout[v].Layer);
        for (var v = 0; v < names.Count; v++)
            foreach (var p in parents[v])
            {
                var (from, to) = (At(p), At(v));
                var dx = to.X - from.X;
                var dy = to.Y - from.Y;
                var len = Math.Sqrt(dx * dx + dy * dy);
                var shrink = Math.Min(0.3, len / 3) / len;
                var arrow = plot.Add.Arrow(new Coordinates(from.X + dx * shrink, from.Y + dy * shrink), new Coordinates(to.X - dx * shrink, to.Y - dy * shrink));
                arrow.ArrowFillColor = Color.FromHex("#666666");
                arrow.ArrowLineColor = Color.FromHex("#666666");
                arrow.ArrowWidth = 1.2f;
                arrow.ArrowheadWidth = 7;
                arrow.ArrowheadLength = 9;
            }
        for (var v = 0; v < names.Count; v++)
        {
            var label = plot.Add.Text(names[v], At(v));
            label.LabelFontSize = 11;
            label.LabelAlignment = Alignment.MiddleCenter;
            label.LabelBackgroundColor = Color.FromHex("#eef3fa");
            label.LabelBorderColor = Figure.Colour(0);
            label.LabelBorderWidth = 1;
            label.LabelPadding = 3;
        }
        plot.Axes.Frameless();
        plot.HideGrid();
        plot.Axes.SetLimits(-widest * 0.8 - 0.6, widest * 0.8 + 0.6, -layers + 0.5, 0.5);
        return (plot, Math.Clamp(110 * widest, 320, 1400), Math.Clamp(90 * layers, 200, 1200));
    }
}
