using System.Globalization;

namespace HybridSynth.Plots;

/// <summary>A self-contained SVG line chart: one polyline with markers per series over shared x values, axes with ticks, a legend and an optional reference line.</summary>
public static class LinePlot
{
    private static readonly string[] Palette = { "#1f5fa8", "#d9541e", "#2a9d3f", "#8e44ad", "#b8860b", "#555555", "#c2185b" };

    /// <summary>
    /// The chart of <paramref name="series"/> (each with one y per x of <paramref name="xs"/>; non-finite ys are skipped) under
    /// <paramref name="title"/>, with a dashed horizontal line at <paramref name="reference"/> and x on a log scale unless
    /// <paramref name="logX"/> is false.
    /// </summary>
    public static string Render(string title, string xLabel, string yLabel, IReadOnlyList<double> xs,
        IReadOnlyList<(string Name, IReadOnlyList<double> Ys)> series, double? reference = null, bool logX = true)
    {
        const double width = 640, height = 420, left = 70, right = 150, top = 40, bottom = 50;
        var plotW = width - left - right;
        var plotH = height - top - bottom;
        var all = series.SelectMany(s => s.Ys).Where(double.IsFinite).ToList();
        if (reference is { } r0) all.Add(r0);
        var yMin = all.Count == 0 ? 0 : all.Min();
        var yMax = all.Count == 0 ? 1 : all.Max();
        if (yMax - yMin < 1e-12) { yMin -= 0.5; yMax += 0.5; }
        var pad = (yMax - yMin) * 0.08;
        yMin -= pad;
        yMax += pad;
        double Tx(double x) => logX ? Math.Log(x) : x;
        var xMin = Tx(xs.Min());
        var xMax = Tx(xs.Max());
        if (xMax - xMin < 1e-12) { xMin -= 1; xMax += 1; }
        string X(double x) => F(left + (Tx(x) - xMin) / (xMax - xMin) * plotW);
        string Y(double y) => F(top + (1 - (y - yMin) / (yMax - yMin)) * plotH);
        var svg = new SvgCanvas(width, height, left + plotW / 2, title).Frame(left, top, plotW, plotH);
        foreach (var x in xs)
            svg.XTick(X(x), top + plotH, x.ToString("0.###", CultureInfo.InvariantCulture)).Raw("\n");
        for (var k = 0; k <= 4; k++)
        {
            var y = yMin + (yMax - yMin) * k / 4;
            svg.YTick(left, Y(y)).HorizontalGrid(left, left + plotW, Y(y))
                .YTickLabel(left, double.Parse(Y(y), CultureInfo.InvariantCulture) + 4, y.ToString("0.####", CultureInfo.InvariantCulture));
        }
        if (reference is { } r)
            svg.Raw($"<line x1=\"{F(left)}\" y1=\"{Y(r)}\" x2=\"{F(left + plotW)}\" y2=\"{Y(r)}\" stroke=\"#888\" stroke-dasharray=\"5 4\"/>\n");
        for (var s = 0; s < series.Count; s++)
        {
            var colour = Palette[s % Palette.Length];
            var points = xs.Select((x, i) => (x, y: series[s].Ys[i])).Where(p => double.IsFinite(p.y)).ToList();
            if (points.Count > 1)
                svg.Raw($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{string.Join(" ", points.Select(p => $"{X(p.x)},{Y(p.y)}"))}\"/>\n");
            foreach (var (x, y) in points) svg.Raw($"<circle cx=\"{X(x)}\" cy=\"{Y(y)}\" r=\"3.5\" fill=\"{colour}\"/>\n");
            var ly = top + 14 + s * 18;
            svg.Raw($"<line x1=\"{F(left + plotW + 14)}\" y1=\"{F(ly)}\" x2=\"{F(left + plotW + 34)}\" y2=\"{F(ly)}\" stroke=\"{colour}\" stroke-width=\"2\"/>");
            svg.Raw($"<text x=\"{F(left + plotW + 40)}\" y=\"{F(ly + 4)}\" font-size=\"12\">{Escape(series[s].Name)}</text>\n");
        }
        svg.XLabel(left + plotW / 2, height - 12, xLabel + (logX ? " (log scale)" : ""));
        svg.YLabel(18, top + plotH / 2, yLabel);
        return svg.Finish();
    }

    private static string F(double x) => SvgCanvas.N(x);

    private static string Escape(string s) => SvgCanvas.Escape(s);
}
