using HybridSynth.Scm.IO;
using System.Globalization;
using System.Text;
using MathNet.Numerics.Distributions;

namespace HybridSynth.Verifier.Reports;

/// <summary>
/// A QQ plot of p-values against Uniform(0,1) as a self-contained SVG: the sorted p-values p_(i)
/// against the expected quantiles i/(m+1), the diagonal, and the pointwise 95% band of uniform order
/// statistics (p_(i) ~ Beta(i, m − i + 1)). Points below the band mean too many small p-values.
/// </summary>
public static class QqPlotSvg
{
    public static string Render(IReadOnlyList<double> pValues, string title)
    {
        const double size = 480, left = 60, top = 40, plot = 380;
        var sorted = pValues.OrderBy(p => p).ToArray();
        var m = sorted.Length;
        string X(double u) => F(left + u * plot);
        string Y(double u) => F(top + (1 - u) * plot);
        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{F(size)}\" height=\"{F(size + 20)}\" viewBox=\"0 0 {F(size)} {F(size + 20)}\" font-family=\"sans-serif\">\n");
        sb.Append($"<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.Append($"<text x=\"{F(size / 2)}\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">{Escape(title)}</text>\n");
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
            sb.Append($"<polygon points=\"{upper}{lower}\" fill=\"#dbe8f5\" stroke=\"none\"/>\n");
        }
        // Frame, grid and ticks.
        sb.Append($"<rect x=\"{F(left)}\" y=\"{F(top)}\" width=\"{F(plot)}\" height=\"{F(plot)}\" fill=\"none\" stroke=\"#333\"/>\n");
        for (var k = 0; k <= 5; k++)
        {
            var u = k / 5.0;
            sb.Append($"<line x1=\"{X(u)}\" y1=\"{F(top + plot)}\" x2=\"{X(u)}\" y2=\"{F(top + plot + 5)}\" stroke=\"#333\"/>");
            sb.Append($"<text x=\"{X(u)}\" y=\"{F(top + plot + 18)}\" text-anchor=\"middle\" font-size=\"11\">{F(u)}</text>");
            sb.Append($"<line x1=\"{F(left - 5)}\" y1=\"{Y(u)}\" x2=\"{F(left)}\" y2=\"{Y(u)}\" stroke=\"#333\"/>");
            sb.Append($"<text x=\"{F(left - 8)}\" y=\"{F(top + (1 - u) * plot + 4)}\" text-anchor=\"end\" font-size=\"11\">{F(u)}</text>\n");
        }
        sb.Append($"<line x1=\"{X(0)}\" y1=\"{Y(0)}\" x2=\"{X(1)}\" y2=\"{Y(1)}\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>\n");
        for (var i = 0; i < m; i++)
            sb.Append($"<circle cx=\"{X((i + 1) / (m + 1.0))}\" cy=\"{Y(sorted[i])}\" r=\"2\" fill=\"#1f5fa8\"/>\n");
        sb.Append($"<text x=\"{F(left + plot / 2)}\" y=\"{F(top + plot + 38)}\" text-anchor=\"middle\" font-size=\"12\">expected quantile of Uniform(0,1)</text>\n");
        sb.Append($"<text x=\"16\" y=\"{F(top + plot / 2)}\" text-anchor=\"middle\" font-size=\"12\" transform=\"rotate(-90 16 {F(top + plot / 2)})\">observed p-value</text>\n");
        sb.Append($"<text x=\"{F(left + plot - 4)}\" y=\"{F(top + plot - 8)}\" text-anchor=\"end\" font-size=\"11\" fill=\"#555\">m = {m}; band: pointwise 95%</text>\n");
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static string F(double x) => SvgText.Number(x);

    private static string Escape(string s) => SvgText.Escape(s);
}
