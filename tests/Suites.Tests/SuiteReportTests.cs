using System.Diagnostics;
using System.Text.RegularExpressions;
using HybridSynth.Scm.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.Suites.Tests;

/// <summary>The HTML report: self-contained, the same for sharded and unsharded builds, every section and figure there; and it renders in a real browser.</summary>
public class SuiteReportTests
{
    private const string Yaml = """
    name: rep
    seed: 8
    models:
      - name: asia
        spec: builtin:asia
        sizes: [500, 2000]
        replicates: 3
        regimes: [observational, { do: { smoke: "yes" } }]
        audit: { set: local, test: g2, alpha: 0.05 }
        realize: { realizer: template }
      - name: conf
        spec: DAGS/confounder.json
        sizes: [400, 800]
        replicates: 4
        queries: [{}]
        estimators: [or, aipw]
    """;

    private static (string Whole, string Sharded) Build()
    {
        var dir = Path.Combine(Path.GetTempPath(), "hs-report-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "rep.yaml");
        File.WriteAllText(path, Yaml.Replace("DAGS/", Path.Combine(Paths.RepoRoot, "benchmarks", "dags") + "/"));
        var suite = SuiteFile.ReadFile(path);
        var whole = Path.Combine(dir, "whole");
        SuiteBuilder.Build(suite, whole, jobs: 2);
        SuiteBuilder.Index(whole);
        var sharded = Path.Combine(dir, "sharded");
        SuiteBuilder.Build(suite, sharded, shard: 1, shards: 2);
        SuiteBuilder.Build(suite, sharded, shard: 2, shards: 2);
        SuiteBuilder.Index(sharded);
        return (whole, sharded);
    }

    [Test]
    public void TheReport_IsSelfContained_Complete_AndTheSameForAShardedBuild()
    {
        var (whole, sharded) = Build();
        var a = SuiteReport.Write(whole);
        var b = SuiteReport.Write(sharded);
        Assert.That(File.ReadAllBytes(b), Is.EqualTo(File.ReadAllBytes(a)), "the report reads only the suite folder");
        Assert.That(File.Exists(RunManifestPath(a)));
        var html = File.ReadAllText(a);
        // Nothing to fetch: no scripts, no external stylesheets or images, no links out.
        Assert.That(html, Does.Not.Contain("<script").And.Not.Contain("<link").And.Not.Contain("src=\"").And.Not.Contain("href=\"http"));
        Assert.That(html, Does.Contain("<section id=\"m-asia\">").And.Contain("<section id=\"m-conf\">"));
        // asia: DAG, audit intervals, two QQ plots (one per size), realizability and selection bias; conf: DAG and three curves.
        Assert.That(Regex.Matches(html, "<svg ").Count, Is.EqualTo(1 + 1 + 2 + 2 + 1 + 3));
        Assert.That(html, Does.Contain("Student-t interval"));
        // Every figure's clip paths are its own (ids are global to the page).
        var ids = Regex.Matches(html, "id=\"(f[0-9]+-clip[0-9]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.That(ids, Is.Unique);
        foreach (Match m in Regex.Matches(html, "url\\(#([^)]+)\\)")) Assert.That(ids, Does.Contain(m.Groups[1].Value));
        Assert.That(html, Does.Contain("aipw").And.Contain("realizability"));
    }

    private static string RunManifestPath(string path) => Scm.IO.RunManifest.PathFor(path);

    [Test]
    public void TheReport_RendersInChromium()
    {
        var chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);
        if (chromium is null) Assert.Ignore("no Chromium here (Debian: apt-get install chromium); the report's browser check needs it");
        var (whole, _) = Build();
        var html = SuiteReport.Write(whole);
        var png = Path.Combine(whole, "report.png");
        var start = new ProcessStartInfo(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1400,2200", $"--screenshot={png}", new Uri(html).AbsoluteUri])
        {
            RedirectStandardError = true, RedirectStandardOutput = true,
        };
        using var p = Process.Start(start)!;
        p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEndAsync();
        Assert.That(p.WaitForExit(120_000), "Chromium finished");
        Assert.That(File.Exists(png), "Chromium wrote the screenshot");
        using var bitmap = SkiaSharp.SKBitmap.Decode(png);
        Assert.That(bitmap.Width, Is.EqualTo(1400));
        // The page is drawn: the heading's rule, the DAG, the tables and the audit figure put ink on a good share of the
        // screen, and the figures' blue marks (the palette's first colour, #1f5fa8) are there.
        long ink = 0, blue = 0;
        for (var y = 0; y < bitmap.Height; y += 2)
            for (var x = 0; x < bitmap.Width; x += 2)
            {
                var c = bitmap.GetPixel(x, y);
                if (c.Red < 200 || c.Green < 200 || c.Blue < 200) ink++;
                if (Math.Abs(c.Red - 0x1f) < 24 && Math.Abs(c.Green - 0x5f) < 24 && Math.Abs(c.Blue - 0xa8) < 24) blue++;
            }
        var pixels = (long)(bitmap.Width / 2) * (bitmap.Height / 2);
        Assert.That(ink, Is.GreaterThan(pixels / 50), "more than 2% of the page is drawn");
        Assert.That(blue, Is.GreaterThan(200), "the figures' marks are rendered");
    }
}
