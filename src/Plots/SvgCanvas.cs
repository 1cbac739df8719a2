using System.Globalization;
using System.Text;

namespace HybridSynth.Plots;

/// <summary>
/// The drawing primitives every figure of the project shares: the document with its white background and title, the plot
/// frame, tick marks with labels, grid lines and axis labels. Coordinates are written with at most two decimals and text is
/// escaped, so a figure is a pure function of its data (no fonts are measured, nothing depends on the machine).
/// </summary>
public sealed class SvgCanvas
{
    private readonly StringBuilder _sb = new();

    /// <summary>Starts a document of the given size with a white background and a centred title at (<paramref name="titleX"/>, 22).</summary>
    public SvgCanvas(double width, double height, double titleX, string title)
    {
        _sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{N(width)}\" height=\"{N(height)}\" viewBox=\"0 0 {N(width)} {N(height)}\" font-family=\"sans-serif\">\n");
        _sb.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        _sb.Append($"<text x=\"{N(titleX)}\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">{Escape(title)}</text>\n");
    }

    /// <summary>A coordinate with at most two decimals, invariant culture.</summary>
    public static string N(double x) => x.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Text escaped for an SVG text node or attribute.</summary>
    public static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");

    /// <summary>Appends raw SVG (an element built by the figure itself).</summary>
    public SvgCanvas Raw(string svg)
    {
        _sb.Append(svg);
        return this;
    }

    /// <summary>The plot area's frame.</summary>
    public SvgCanvas Frame(double left, double top, double width, double height) =>
        Raw($"<rect x=\"{N(left)}\" y=\"{N(top)}\" width=\"{N(width)}\" height=\"{N(height)}\" fill=\"none\" stroke=\"#333\"/>\n");

    /// <summary>A tick below the x axis at <paramref name="x"/> (axis at <paramref name="axisY"/>), labelled 18 px below the axis; no line break.</summary>
    public SvgCanvas XTick(string x, double axisY, string label) =>
        Raw($"<line x1=\"{x}\" y1=\"{N(axisY)}\" x2=\"{x}\" y2=\"{N(axisY + 5)}\" stroke=\"#333\"/>"
            + $"<text x=\"{x}\" y=\"{N(axisY + 18)}\" text-anchor=\"middle\" font-size=\"11\">{label}</text>");

    /// <summary>A tick left of the y axis (at <paramref name="axisX"/>) at height <paramref name="y"/>; no line break.</summary>
    public SvgCanvas YTick(double axisX, string y) =>
        Raw($"<line x1=\"{N(axisX - 5)}\" y1=\"{y}\" x2=\"{N(axisX)}\" y2=\"{y}\" stroke=\"#333\"/>");

    /// <summary>A y tick's label, right-aligned 8 px left of the axis, with its baseline at <paramref name="baseline"/>; ends the line.</summary>
    public SvgCanvas YTickLabel(double axisX, double baseline, string label) =>
        Raw($"<text x=\"{N(axisX - 8)}\" y=\"{N(baseline)}\" text-anchor=\"end\" font-size=\"11\">{label}</text>\n");

    /// <summary>A light horizontal grid line at height <paramref name="y"/>; no line break.</summary>
    public SvgCanvas HorizontalGrid(double left, double right, string y) =>
        Raw($"<line x1=\"{N(left)}\" y1=\"{y}\" x2=\"{N(right)}\" y2=\"{y}\" stroke=\"#eee\"/>");

    /// <summary>The x axis's label, centred at (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public SvgCanvas XLabel(double x, double y, string label) =>
        Raw($"<text x=\"{N(x)}\" y=\"{N(y)}\" text-anchor=\"middle\" font-size=\"12\">{Escape(label)}</text>\n");

    /// <summary>The y axis's label, rotated, centred at (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public SvgCanvas YLabel(double x, double y, string label) =>
        Raw($"<text x=\"{N(x)}\" y=\"{N(y)}\" text-anchor=\"middle\" font-size=\"12\" transform=\"rotate(-90 {N(x)} {N(y)})\">{Escape(label)}</text>\n");

    /// <summary>Closes the document and returns it.</summary>
    public string Finish() => _sb.Append("</svg>\n").ToString();
}
