using ScottPlot;

namespace HybridSynth.Plots;

/// <summary>Point estimates with intervals, one per labelled row (for example an audit's false-positive rate per model and size, with the level α as the reference).</summary>
public static class IntervalPlot
{
    /// <summary>One row: its label, its estimate and its interval (non-finite bounds: no bar).</summary>
    /// <param name="Label">The row's label.</param>
    /// <param name="Estimate">The point estimate.</param>
    /// <param name="Lower">The interval's lower end.</param>
    /// <param name="Upper">The interval's upper end.</param>
    public sealed record Row(string Label, double Estimate, double Lower, double Upper);

    /// <summary>The chart as SVG: rows top to bottom in the order given, the value on x, a line at <paramref name="reference"/>.</summary>
    public static string Render(string title, string valueLabel, IReadOnlyList<Row> rows, double? reference = null) =>
        Figure.Svg(Build(title, valueLabel, rows, reference), 720, 150 + 26 * Math.Max(rows.Count, 1));

    /// <summary>The chart as a ScottPlot plot.</summary>
    public static Plot Build(string title, string valueLabel, IReadOnlyList<Row> rows, double? reference = null)
    {
        var plot = Figure.New(title, valueLabel, "");
        var m = rows.Count;
        for (var i = 0; i < m; i++)
        {
            var y = m - 1 - i;
            var row = rows[i];
            if (double.IsFinite(row.Lower) && double.IsFinite(row.Upper))
            {
                var bar = plot.Add.Line(row.Lower, y, row.Upper, y);
                bar.LineColor = Figure.Colour(0);
                bar.LineWidth = 2;
            }
            if (double.IsFinite(row.Estimate))
            {
                var point = plot.Add.Marker(row.Estimate, y);
                point.Color = Figure.Colour(0);
                point.Size = 8;
            }
        }
        if (reference is { } r)
        {
            var line = plot.Add.VerticalLine(r);
            line.LineColor = Figure.Colour(1);
            line.LineWidth = 1;
        }
        plot.Axes.Left.TickGenerator = Figure.Ticks(Enumerable.Range(0, m).Select(i => (double)(m - 1 - i)), rows.Select(x => x.Label));
        plot.Axes.SetLimitsY(-0.7, Math.Max(m, 1) - 0.3);
        return plot;
    }
}
