using MathNet.Numerics.Distributions;
using ScottPlot;

namespace HybridSynth.Plots;

/// <summary>
/// A QQ plot of p-values against Uniform(0,1): the sorted p-values p_(i) against the expected quantiles i/(m+1), the
/// diagonal, and the pointwise 95% band of uniform order statistics (p_(i) ~ Beta(i, m − i + 1)). Points below the band
/// mean too many small p-values.
/// </summary>
public static class QqPlot
{
    /// <summary>The plotted points: (i/(m+1), p_(i)) for the sorted p-values.</summary>
    public static (double[] Expected, double[] Observed) Points(IReadOnlyList<double> pValues)
    {
        var sorted = pValues.OrderBy(p => p).ToArray();
        var m = sorted.Length;
        return (Enumerable.Range(1, m).Select(i => i / (m + 1.0)).ToArray(), sorted);
    }

    /// <summary>The band: at most about 200 order statistics i (always the first and the last) with their 2.5% and 97.5% quantiles.</summary>
    public static (double[] Expected, double[] Lower, double[] Upper) Band(int m)
    {
        if (m == 0) return ([], [], []);
        var step = Math.Max(1, m / 200);
        var idx = new List<int>();
        for (var i = 1; i <= m; i += step) idx.Add(i);
        if (idx[^1] != m) idx.Add(m);
        return (idx.Select(i => i / (m + 1.0)).ToArray(),
            idx.Select(i => Beta.InvCDF(i, m - i + 1, 0.025)).ToArray(),
            idx.Select(i => Beta.InvCDF(i, m - i + 1, 0.975)).ToArray());
    }

    /// <summary>The figure for <paramref name="pValues"/> (any order; each in [0, 1]) under <paramref name="title"/>, as SVG.</summary>
    public static string Render(IReadOnlyList<double> pValues, string title) => Figure.Svg(Build(pValues, title), Width, Height);

    /// <summary>The size the SVG is rendered at.</summary>
    public const int Width = 480, Height = 480;

    /// <summary>The figure as a ScottPlot plot (to save as PNG, or to change before rendering).</summary>
    public static Plot Build(IReadOnlyList<double> pValues, string title)
    {
        var plot = Figure.New(title, "expected quantile of Uniform(0,1)", "observed p-value");
        var (e, o) = Points(pValues);
        if (e.Length > 0)
        {
            var (be, lo, hi) = Band(e.Length);
            var band = plot.Add.FillY(be, hi, lo);
            band.FillColor = Color.FromHex("#dbe8f5");
            band.LineWidth = 0;
            band.LegendText = "pointwise 95% band";
        }
        var diagonal = plot.Add.Line(0, 0, 1, 1);
        diagonal.LineColor = Color.FromHex("#888888");
        var points = plot.Add.ScatterPoints(e, o);
        points.Color = Figure.Colour(0);
        points.MarkerSize = 4;
        points.LegendText = $"m = {e.Length} p-values";
        plot.Axes.SetLimits(0, 1, 0, 1);
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }
}
