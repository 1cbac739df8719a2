using System.Text;
using MathNet.Numerics.Distributions;

namespace HybridSynth.Plots;

/// <summary>
/// A QQ plot of p-values against Uniform(0,1) as a self-contained SVG: the sorted p-values p_(i)
/// against the expected quantiles i/(m+1), the diagonal, and the pointwise 95% band of uniform order
/// statistics (p_(i) ~ Beta(i, m − i + 1)). Points below the band mean too many small p-values.
/// </summary>
public static class QqPlot
{
    /// <summary>The figure for <paramref name="pValues"/> (any order; each in [0, 1]) under <paramref name="title"/>.</summary>
    public static string Render(IReadOnlyList<double> pValues, string title)
    {
        const double size = 480, left = 60, top = 40, plot = 380;
        var sorted = pValues.OrderBy(p => p).ToArray();
        var m = sorted.Length;
        string X(double u) => F(left + u * plot);
        string Y(double u) => F(top + (1 - u) * plot);
        var svg = new SvgCanvas(size, size + 20, size / 2, title);
        if (m > 0)
        {
            // 95% band.
            var upper = new StringBuilder();
            var lower = new StringBuilder();
            var step = Math.Max(1, m / 200);
            for (var i = 1; i <= m; i += step) Band(i);
            if ((m - 1) % step != 0) Band(m);
            void Band(int i)
            {
                var e = i / (m + 1.0);
                upper.Append($"{X(e)},{Y(Beta.InvCDF(i, m - i + 1, 0.975))} ");
                lower.Insert(0, $"{X(e)},{Y(Beta.InvCDF(i, m - i + 1, 0.025))} ");
            }
            svg.Raw($"<polygon points=\"{upper}{lower}\" fill=\"#dbe8f5\" stroke=\"none\"/>\n");
        }
        // Frame, grid and ticks.
        svg.Frame(left, top, plot, plot);
        for (var k = 0; k <= 5; k++)
        {
            var u = k / 5.0;
            svg.XTick(X(u), top + plot, F(u)).YTick(left, Y(u)).YTickLabel(left, top + (1 - u) * plot + 4, F(u));
        }
        svg.Raw($"<line x1=\"{X(0)}\" y1=\"{Y(0)}\" x2=\"{X(1)}\" y2=\"{Y(1)}\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>\n");
        for (var i = 0; i < m; i++)
            svg.Raw($"<circle cx=\"{X((i + 1) / (m + 1.0))}\" cy=\"{Y(sorted[i])}\" r=\"2\" fill=\"#1f5fa8\"/>\n");
        svg.XLabel(left + plot / 2, top + plot + 38, "expected quantile of Uniform(0,1)");
        svg.YLabel(16, top + plot / 2, "observed p-value");
        svg.Raw($"<text x=\"{F(left + plot - 4)}\" y=\"{F(top + plot - 8)}\" text-anchor=\"end\" font-size=\"11\" fill=\"#555\">m = {m}; band: pointwise 95%</text>\n");
        return svg.Finish();
    }

    private static string F(double x) => SvgCanvas.N(x);
}
