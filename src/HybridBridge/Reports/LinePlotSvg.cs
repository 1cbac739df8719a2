using HybridSynth.Scm.IO;
using System.Globalization;
using System.Text;

namespace HybridSynth.HybridBridge.Reports;

/// <summary>A self-contained SVG line chart: one polyline with markers per series over shared x values, axes with ticks, a legend and an optional reference line.</summary>
public static class LinePlotSvg
{
    private static readonly string[] Palette = { "#1f5fa8", "#d9541e", "#2a9d3f", "#8e44ad", "#b8860b", "#555555", "#c2185b" };

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
        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{F(width)}\" height=\"{F(height)}\" viewBox=\"0 0 {F(width)} {F(height)}\" font-family=\"sans-serif\">\n");
        sb.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.Append($"<text x=\"{F(left + plotW / 2)}\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">{Escape(title)}</text>\n");
        sb.Append($"<rect x=\"{F(left)}\" y=\"{F(top)}\" width=\"{F(plotW)}\" height=\"{F(plotH)}\" fill=\"none\" stroke=\"#333\"/>\n");
        foreach (var x in xs)
        {
            sb.Append($"<line x1=\"{X(x)}\" y1=\"{F(top + plotH)}\" x2=\"{X(x)}\" y2=\"{F(top + plotH + 5)}\" stroke=\"#333\"/>");
            sb.Append($"<text x=\"{X(x)}\" y=\"{F(top + plotH + 18)}\" text-anchor=\"middle\" font-size=\"11\">{x.ToString("0.###", CultureInfo.InvariantCulture)}</text>\n");
        }
        for (var k = 0; k <= 4; k++)
        {
            var y = yMin + (yMax - yMin) * k / 4;
            sb.Append($"<line x1=\"{F(left - 5)}\" y1=\"{Y(y)}\" x2=\"{F(left)}\" y2=\"{Y(y)}\" stroke=\"#333\"/>");
            sb.Append($"<line x1=\"{F(left)}\" y1=\"{Y(y)}\" x2=\"{F(left + plotW)}\" y2=\"{Y(y)}\" stroke=\"#eee\"/>");
            sb.Append($"<text x=\"{F(left - 8)}\" y=\"{F(double.Parse(Y(y), CultureInfo.InvariantCulture) + 4)}\" text-anchor=\"end\" font-size=\"11\">{y.ToString("0.####", CultureInfo.InvariantCulture)}</text>\n");
        }
        if (reference is { } r)
            sb.Append($"<line x1=\"{F(left)}\" y1=\"{Y(r)}\" x2=\"{F(left + plotW)}\" y2=\"{Y(r)}\" stroke=\"#888\" stroke-dasharray=\"5 4\"/>\n");
        for (var s = 0; s < series.Count; s++)
        {
            var colour = Palette[s % Palette.Length];
            var points = xs.Select((x, i) => (x, y: series[s].Ys[i])).Where(p => double.IsFinite(p.y)).ToList();
            if (points.Count > 1)
                sb.Append($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{string.Join(" ", points.Select(p => $"{X(p.x)},{Y(p.y)}"))}\"/>\n");
            foreach (var (x, y) in points) sb.Append($"<circle cx=\"{X(x)}\" cy=\"{Y(y)}\" r=\"3.5\" fill=\"{colour}\"/>\n");
            var ly = top + 14 + s * 18;
            sb.Append($"<line x1=\"{F(left + plotW + 14)}\" y1=\"{F(ly)}\" x2=\"{F(left + plotW + 34)}\" y2=\"{F(ly)}\" stroke=\"{colour}\" stroke-width=\"2\"/>");
            sb.Append($"<text x=\"{F(left + plotW + 40)}\" y=\"{F(ly + 4)}\" font-size=\"12\">{Escape(series[s].Name)}</text>\n");
        }
        sb.Append($"<text x=\"{F(left + plotW / 2)}\" y=\"{F(height - 12)}\" text-anchor=\"middle\" font-size=\"12\">{Escape(xLabel)}{(logX ? " (log scale)" : "")}</text>\n");
        sb.Append($"<text x=\"18\" y=\"{F(top + plotH / 2)}\" text-anchor=\"middle\" font-size=\"12\" transform=\"rotate(-90 18 {F(top + plotH / 2)})\">{Escape(yLabel)}</text>\n");
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static string F(double x) => SvgText.Number(x);

    private static string Escape(string s) => SvgText.Escape(s);
}
