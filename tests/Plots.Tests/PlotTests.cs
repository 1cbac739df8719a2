using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using NUnit.Framework;

namespace HybridSynth.Plots.Tests;

/// <summary>The figures are well-formed SVG, deterministic, and put their marks where the data say.</summary>
public class PlotTests
{
    private static XNamespace Svg => "http://www.w3.org/2000/svg";

    [Test]
    public void QqPlot_PlacesEachSortedPValueAtItsExpectedQuantile()
    {
        var p = new[] { 0.9, 0.1, 0.5 };
        var text = QqPlot.Render(p, "a <b> & \"c\"");
        var doc = XDocument.Parse(text);
        Assert.That(doc.Root!.Name, Is.EqualTo(Svg + "svg"));
        var title = doc.Root.Elements(Svg + "text").First().Value;
        Assert.That(title, Is.EqualTo("a <b> & \"c\""), "the title is escaped and survives parsing");
        var circles = doc.Root.Elements(Svg + "circle").ToList();
        Assert.That(circles, Has.Count.EqualTo(3));
        // Plot area: left 60, top 40, side 380; point i (1-based) of m = 3 sits at x = 60 + 380·i/4, y = 40 + 380·(1 − p₍ᵢ₎).
        var sorted = p.Order().ToArray();
        for (var i = 0; i < 3; i++)
        {
            Assert.That(double.Parse(circles[i].Attribute("cx")!.Value, CultureInfo.InvariantCulture), Is.EqualTo(60 + 380 * (i + 1) / 4.0).Within(0.005));
            Assert.That(double.Parse(circles[i].Attribute("cy")!.Value, CultureInfo.InvariantCulture), Is.EqualTo(40 + 380 * (1 - sorted[i])).Within(0.005));
        }
        Assert.That(QqPlot.Render(p, "t"), Is.EqualTo(QqPlot.Render(p.Reverse().ToArray(), "t")), "order of the input does not matter");
        Assert.That(doc.Root.Elements(Svg + "polygon").Count(), Is.EqualTo(1), "the 95% band");
        Assert.DoesNotThrow(() => XDocument.Parse(QqPlot.Render(Array.Empty<double>(), "none")));
    }

    [Test]
    public void QqPlot_BandHoldsTheUniformOrderStatistics()
    {
        // The band at the median order statistic of m = 99 uniforms is Beta(50, 50)'s 2.5% and 97.5% quantiles, ≈ 0.5 ∓ 0.098.
        var text = QqPlot.Render(Enumerable.Range(1, 99).Select(i => i / 100.0).ToArray(), "t");
        var points = Regex.Match(text, "<polygon points=\"([^\"]*)\"").Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
        var atMedian = points.Where(q => Math.Abs(q[0] - (60 + 380 * 0.5)) < 0.01).Select(q => 1 - (q[1] - 40) / 380).Order().ToArray();
        Assert.That(atMedian, Has.Length.EqualTo(2));
        Assert.That(atMedian[0], Is.EqualTo(0.402).Within(0.005));
        Assert.That(atMedian[1], Is.EqualTo(0.598).Within(0.005));
    }

    [Test]
    public void LinePlot_DrawsOneLinePerSeries_SkipsNonFinitePoints_AndTheReference()
    {
        var xs = new double[] { 100, 1000, 10000 };
        var text = LinePlot.Render("bias", "n", "bias", xs, new (string, IReadOnlyList<double>)[] { ("aipw", new[] { 0.1, 0.05, 0.01 }), ("tmle", new[] { 0.2, double.NaN, 0.02 }) }, reference: 0);
        var doc = XDocument.Parse(text);
        var lines = doc.Root!.Elements(Svg + "polyline").ToList();
        Assert.That(lines, Has.Count.EqualTo(2));
        Assert.That(lines[0].Attribute("points")!.Value.Split(' '), Has.Length.EqualTo(3));
        Assert.That(lines[1].Attribute("points")!.Value.Split(' '), Has.Length.EqualTo(2), "the NaN point is left out");
        Assert.That(doc.Root.Elements(Svg + "circle").Count(), Is.EqualTo(5));
        Assert.That(text, Does.Contain("stroke-dasharray=\"5 4\""), "the reference line");
        Assert.That(text, Does.Contain("n (log scale)"));
        // On a log axis the three x values are equally spaced.
        var x = lines[0].Attribute("points")!.Value.Split(' ').Select(pt => double.Parse(pt.Split(',')[0], CultureInfo.InvariantCulture)).ToArray();
        Assert.That(x[1] - x[0], Is.EqualTo(x[2] - x[1]).Within(0.011));
        Assert.That(LinePlot.Render("bias", "n", "bias", xs, new (string, IReadOnlyList<double>)[] { ("a", new[] { 1.0, 2, 3 }) }), Is.EqualTo(LinePlot.Render("bias", "n", "bias", xs, new (string, IReadOnlyList<double>)[] { ("a", new[] { 1.0, 2, 3 }) })));
    }

    [Test]
    public void Numbers_AreInvariantAndShort()
    {
        Assert.That(SvgCanvas.N(1.23456), Is.EqualTo("1.23"));
        Assert.That(SvgCanvas.N(1e6), Is.EqualTo("1000000"));
        Assert.That(SvgCanvas.Escape("<&>\""), Is.EqualTo("&lt;&amp;&gt;&quot;"));
    }
}
