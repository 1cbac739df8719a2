using System.Globalization;

namespace HybridSynth.Scm.IO;

/// <summary>The small pieces every hand-written SVG of the project needs: compact coordinates and escaped text.</summary>
public static class SvgText
{
    /// <summary>A coordinate with at most two decimals, invariant culture.</summary>
    public static string Number(double x) => x.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Text escaped for an SVG text node or attribute.</summary>
    public static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");
}
