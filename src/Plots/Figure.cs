using System.Globalization;
using System.Text.RegularExpressions;
using ScottPlot;

namespace HybridSynth.Plots;

/// <summary>
/// What every HybridSynth figure shares: a ScottPlot <see cref="Plot"/> with the title and axis labels set, one palette,
/// and SVG output. ScottPlot lays text out with the installed fonts, so a figure's bytes are the same for the same data
/// on machines with the same fonts (tables and manifests never depend on fonts).
/// </summary>
public static partial class Figure
{
    /// <summary>The series colours, in order.</summary>
    public static IReadOnlyList<Color> Palette { get; } =
        new[] { "#1f5fa8", "#d9541e", "#2a9d3f", "#8e44ad", "#b8860b", "#555555", "#c2185b" }.Select(Color.FromHex).ToArray();

    /// <summary>The colour of series <paramref name="i"/>.</summary>
    public static Color Colour(int i) => Palette[i % Palette.Count];

    /// <summary>A new plot with its title and axis labels.</summary>
    public static Plot New(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Title(title, size: 14);
        plot.XLabel(xLabel, size: 13);
        plot.YLabel(yLabel, size: 13);
        return plot;
    }

    /// <summary>
    /// The plot as a self-contained SVG document. Skia numbers clip paths with a process-wide counter; they are renumbered
    /// in order of appearance, so that the same figure has the same bytes whatever was drawn before it.
    /// </summary>
    public static string Svg(Plot plot, int width, int height)
    {
        var svg = plot.GetSvgXml(width, height);
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        return ClipId().Replace(svg, m =>
        {
            if (!ids.TryGetValue(m.Value, out var id)) ids[m.Value] = id = "clip" + ids.Count.ToString(CultureInfo.InvariantCulture);
            return id;
        });
    }

    [GeneratedRegex("(?<=id=\"|url\\(#)cl_[0-9a-f]+")]
    private static partial Regex ClipId();

    /// <summary>A short invariant label of a number.</summary>
    public static string Label(double x) => x.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Manual ticks at <paramref name="positions"/> with <paramref name="labels"/>.</summary>
    public static ScottPlot.TickGenerators.NumericManual Ticks(IEnumerable<double> positions, IEnumerable<string> labels) =>
        new(positions.ToArray(), labels.ToArray());
}
