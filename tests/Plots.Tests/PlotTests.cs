using System.Xml.Linq;
using NUnit.Framework;

namespace HybridSynth.Plots.Tests;

/// <summary>The figures (ScottPlot) are well-formed SVG, deterministic, and are drawn from the right numbers.</summary>
public class PlotTests
{
    private static XNamespace Svg => "http://www.w3.org/2000/svg";

    private static XDocument Parse(string svg)
    {
        var doc = XDocument.Parse(svg);
        Assert.That(doc.Root!.Name, Is.EqualTo(Svg + "svg"));
        return doc;
    }

    private static string Text(XDocument doc) => string.Concat(doc.Descendants(Svg + "text").Select(t => t.Value + "\n"));

    [Test]
    public void QqPlot_PointsAreTheSortedPValuesAtTheirExpectedQuantiles_AndTheFigureShowsThem()
    {
        var p = new[] { 0.9, 0.1, 0.5 };
        var (e, o) = QqPlot.Points(p);
        Assert.That(e, Is.EqualTo(new[] { 0.25, 0.5, 0.75 }));
        Assert.That(o, Is.EqualTo(new[] { 0.1, 0.5, 0.9 }));
        var text = QqPlot.Render(p, "a <b> & \"c\"");
        var doc = Parse(text);
        Assert.That(Text(doc), Does.Contain("a <b> & \"c\""), "the title is escaped and survives parsing");
        Assert.That(Text(doc), Does.Contain("m = 3 p-values"));
        Assert.That(doc.Descendants(Svg + "ellipse").Count(), Is.GreaterThanOrEqualTo(3), "one marker per p-value (and the legend's)");
        Assert.That(QqPlot.Render(p, "t"), Is.EqualTo(QqPlot.Render(p.Reverse().ToArray(), "t")), "order of the input does not matter");
        Assert.That(QqPlot.Render(p, "t"), Is.Not.EqualTo(QqPlot.Render([0.8, 0.1, 0.5], "t")), "the figure depends on the data");
        Assert.DoesNotThrow(() => Parse(QqPlot.Render(Array.Empty<double>(), "none")));
    }

    [Test]
    public void QqPlot_BandHoldsTheUniformOrderStatistics()
    {
        // The band at the median order statistic of m = 99 uniforms is Beta(50, 50)'s 2.5% and 97.5% quantiles, ≈ 0.5 ∓ 0.098.
        var (e, lo, hi) = QqPlot.Band(99);
        var mid = Array.IndexOf(e, 0.5);
        Assert.That(mid, Is.GreaterThanOrEqualTo(0));
        Assert.That(lo[mid], Is.EqualTo(0.402).Within(0.005));
        Assert.That(hi[mid], Is.EqualTo(0.598).Within(0.005));
        // Thinned for large m, but always from the first to the last order statistic.
        var (e2, _, _) = QqPlot.Band(10_001);
        Assert.That(e2, Has.Length.LessThanOrEqualTo(202));
        Assert.That(e2[0], Is.EqualTo(1 / 10_002.0));
        Assert.That(e2[^1], Is.EqualTo(10_001 / 10_002.0));
    }

    [Test]
    public void LinePlot_DrawsEachFiniteValue_LabelsTheSizes_AndIsDeterministic()
    {
        var xs = new double[] { 100, 1000, 10000 };
        LinePlot.Series[] series = [new("aipw", [0.1, 0.05, 0.01], [0.01, 0.01, 0.01]), new("tmle", [0.2, double.NaN, 0.02])];
        var text = LinePlot.Render("bias", "n", "bias", xs, series, reference: 0);
        var doc = Parse(text);
        var labels = Text(doc);
        foreach (var s in new[] { "aipw", "tmle", "n (log scale)", "100", "1000", "10000" }) Assert.That(labels, Does.Contain(s));
        // Markers: 3 + 2 points (the NaN is left out), plus one per legend entry.
        Assert.That(doc.Descendants(Svg + "ellipse").Count(), Is.EqualTo(5 + 2));
        Assert.That(text, Is.EqualTo(LinePlot.Render("bias", "n", "bias", xs, series, reference: 0)));
        Assert.Throws<ArgumentException>(() => LinePlot.Render("t", "n", "y", [0, 1], [new LinePlot.Series("a", [1, 2])]));
    }

    [Test]
    public void IntervalPlot_LabelsEveryRow()
    {
        var text = IntervalPlot.Render("false-positive rate", "rate", [new("asia n=1000", 0.05, 0.02, 0.08), new("alarm n=5000", 0.06, double.NaN, double.NaN)], reference: 0.05);
        var labels = Text(Parse(text));
        Assert.That(labels, Does.Contain("asia n=1000").And.Contain("alarm n=5000").And.Contain("false-positive rate"));
    }

    [Test]
    public void DagPlot_LayersPointEveryEdgeDown_AndEveryNodeIsNamed()
    {
        // asia: asia→tub, smoke→lung, smoke→bronc, tub→either, lung→either, either→xray, either→dysp, bronc→dysp.
        string[] names = ["asia", "tub", "smoke", "lung", "bronc", "either", "xray", "dysp"];
        IReadOnlyList<int>[] parents = [[], [0], [], [2], [2], [1, 3], [5], [5, 4]];
        var layout = DagPlot.Layout(parents);
        for (var v = 0; v < names.Length; v++)
            foreach (var p in parents[v]) Assert.That(layout[p].Layer, Is.LessThan(layout[v].Layer), $"{names[p]} → {names[v]}");
        Assert.That(layout.Select(l => l.Layer), Is.EqualTo(new[] { 0, 1, 0, 1, 1, 2, 3, 3 }), "longest path from a root");
        Assert.That(layout.GroupBy(l => l.Layer).All(g => g.Select(l => l.Position).Distinct().Count() == g.Count()), "no two nodes of a layer overlap");
        var labels = Text(Parse(DagPlot.Render("asia", names, parents)!));
        foreach (var n in names) Assert.That(labels, Does.Contain(n));
        Assert.That(DagPlot.Render("big", Enumerable.Range(0, DagPlot.MaxNodes + 1).Select(i => $"v{i}").ToList(), Enumerable.Range(0, DagPlot.MaxNodes + 1).Select(_ => (IReadOnlyList<int>)[]).ToList()), Is.Null);
        Assert.Throws<ArgumentException>(() => DagPlot.Layout([[1], [0]]));
    }
}
