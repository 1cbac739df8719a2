using ScottPlot;

namespace HybridSynth.Plots;

/// <summary>Line charts over shared x values (sizes n): one line with markers per series, optional ±1.96·SE error bars, a grey reference line, x on a log scale.</summary>
public static class LinePlot
{
    /// <summary>One series: a name, one y per x (non-finite ys are left out) and optionally each y's standard error.</summary>
    /// <param name="Name">The legend text.</param>
    /// <param name="Ys">One value per x.</param>
    /// <param name="StandardErrors">Each value's Monte Carlo standard error (drawn as a 95% error bar), or null.</param>
    public sealed record Series(string Name, IReadOnlyList<double> Ys, IReadOnlyList<double>? StandardErrors = null);

    /// <summary>The chart of <paramref name="series"/> without error bars (see <see cref="Render(string, string, string, IReadOnlyList{double}, IReadOnlyList{Series}, double?, bool)"/>).</summary>
    public static string Render(string title, string xLabel, string yLabel, IReadOnlyList<double> xs,
        IReadOnlyList<(string Name, IReadOnlyList<double> Ys)> series, double? reference = null, bool logX = true) =>
        Render(title, xLabel, yLabel, xs, series.Select(s => new Series(s.Name, s.Ys)).ToList(), reference, logX);

    /// <summary>
    /// The chart of <paramref name="series"/> under <paramref name="title"/>, with a grey horizontal line at
    /// <paramref name="reference"/>, x on a log scale (ticks labelled with the x values) unless <paramref name="logX"/> is false.
    /// </summary>
    public static string Render(string title, string xLabel, string yLabel, IReadOnlyList<double> xs,
        IReadOnlyList<Series> series, double? reference = null, bool logX = true) =>
        Figure.Svg(Build(title, xLabel, yLabel, xs, series, reference, logX), Width, Height);

    /// <summary>The size the SVG is rendered at.</summary>
    public const int Width = 640, Height = 420;

    /// <summary>The chart as a ScottPlot plot (see <see cref="Render(string, string, string, IReadOnlyList{double}, IReadOnlyList{Series}, double?, bool)"/>).</summary>
    public static Plot Build(string title, string xLabel, string yLabel, IReadOnlyList<double> xs,
        IReadOnlyList<Series> series, double? reference = null, bool logX = true)
    {
        if (logX && xs.Any(x => !(x > 0))) throw new ArgumentException("a log x axis needs positive x values", nameof(xs));
        double T(double x) => logX ? Math.Log10(x) : x;
        var plot = Figure.New(title, xLabel + (logX ? " (log scale)" : ""), yLabel);
        if (reference is { } r)
        {
            var line = plot.Add.HorizontalLine(r);
            line.LineColor = Color.FromHex("#888888");
            line.LineWidth = 1;
        }
        for (var s = 0; s < series.Count; s++)
        {
            var keep = Enumerable.Range(0, xs.Count).Where(i => double.IsFinite(series[s].Ys[i])).ToArray();
            // Spread the series a little along x so that error bars do not hide each other.
            var shift = series.Count > 1 && series.Any(z => z.StandardErrors is not null) ? (s - (series.Count - 1) / 2.0) * 0.012 * Span(xs.Select(T)) : 0;
            var px = keep.Select(i => T(xs[i]) + shift).ToArray();
            var py = keep.Select(i => series[s].Ys[i]).ToArray();
            var scatter = plot.Add.Scatter(px, py);
            scatter.Color = Figure.Colour(s);
            scatter.LineWidth = 2;
            scatter.MarkerSize = 7;
            scatter.LegendText = series[s].Name;
            if (series[s].StandardErrors is { } se)
            {
                var err = keep.Select(i => double.IsFinite(se[i]) ? 1.96 * se[i] : 0).ToArray();
                var bars = plot.Add.ErrorBar(px, py, err);
                bars.Color = Figure.Colour(s);
            }
        }
        plot.Axes.Bottom.TickGenerator = Figure.Ticks(xs.Select(T), xs.Select(Figure.Label));
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    private static double Span(IEnumerable<double> values)
    {
        var v = values.ToArray();
        return v.Length == 0 ? 1 : Math.Max(v.Max() - v.Min(), 1e-9);
    }
}
