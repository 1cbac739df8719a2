using System.Globalization;
using System.Net;
using System.Text;
using HybridSynth.Plots;
using HybridSynth.Scm.Errors;
using HybridSynth.Scm.IO;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Suites;

/// <summary>
/// The HTML report of a built suite: one self-contained file (inline SVG figures drawn with ScottPlot, inline CSS, no
/// scripts, nothing fetched): the suite's models with their DAGs, the datasets and sizes, per model the implied-independence
/// audit across replicates (the false-positive rate with its interval over independent datasets, and QQ plots of the pooled
/// p-values), the estimator benchmark (bias, RMSE and coverage against n with Monte Carlo error bars) and, when text was
/// realized, realizability and selection bias. It reads only the suite folder (suite.json and the dataset folders), so it
/// is the same for a sharded and an unsharded build.
/// </summary>
public static partial class SuiteReport
{
    /// <summary>The report's file name in the suite folder.</summary>
    public const string FileName = "report.html";

    /// <summary>Writes the report of <paramref name="suiteDir"/> to <paramref name="outPath"/> (default: report.html in the folder) with its manifest; returns the path.</summary>
    public static string Write(string suiteDir, string? outPath = null)
    {
        var suitePath = Path.Combine(suiteDir, "suite.json");
        if (!File.Exists(suitePath)) throw new InputFileException(suiteDir, "has no suite.json (build the suite, or run 'hybridsynth suite index DIR' after sharded builds)");
        JObject suite;
        try { suite = JObject.Parse(File.ReadAllText(suitePath)); }
        catch (JsonException e) { throw new InputFileException(suitePath, "is not a suite index: " + e.Message); }
        var path = outPath ?? Path.Combine(suiteDir, FileName);
        var html = Render(suite, suiteDir);
        using var artifacts = new ArtifactWriter(suitePath);
        artifacts.WriteOutput(path, "html", Encoding.UTF8.GetBytes(html));
        artifacts.CommitWithManifest(new RunManifest
        {
            Command = "report",
            Options = new JObject { ["suite"] = suite["name"], ["suite_seed"] = suite["seed"] },
            Extras = new JObject { ["data"] = RunManifest.InputFile(suitePath) },
        });
        return path;
    }

    /// <summary>The report's HTML for the suite index <paramref name="suite"/> whose dataset folders are in <paramref name="suiteDir"/>.</summary>
    public static string Render(JObject suite, string suiteDir)
    {
        _figure = 0;
        var records = ((JArray)suite["datasets"]!).Cast<JObject>().ToList();
        var audits = (suite["audits"] as JArray ?? []).Cast<JObject>().ToList();
        var benchmarks = (suite["benchmarks"] as JArray ?? []).Cast<JObject>().ToList();
        var realizations = (suite["realizations"] as JArray ?? []).Cast<JObject>().ToList();
        var name = (string)suite["name"]!;
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append($"<title>{E(name)}: HybridSynth suite report</title>\n<style>\n{Css}</style>\n</head>\n<body>\n");
        h.Append($"<h1>Suite <code>{E(name)}</code></h1>\n");
        // A family of SD-SCMs (one per phrasing seed) is one section; other models are families of one.
        var models = records.GroupBy(r => (string?)r["family"] ?? (string)r["model"]!).ToList();
        h.Append($"<p>Seed {E((string)suite["seed"]!)} · {records.Count} datasets · {models.Count} models · {records.Sum(r => (long)r["n"]!):N0} rows in all · report by hybridsynth {E(RunManifest.Version)}.</p>\n");
        h.Append("<p class=\"note\">Every dataset's seed is derived from the suite seed and the dataset's key. Truths are exact (variable elimination) where the model allows, otherwise Monte Carlo with the standard error given. ")
            .Append("Intervals on an audit's false-positive rate are computed <em>across</em> the K independent datasets of a (regime, n): the implied independences within one dataset share its rows and are correlated, so an interval that treats them as independent trials (the per-dataset Wilson interval of <code>audit.json</code>) is too narrow.</p>\n");
        h.Append("<nav><strong>Models:</strong> ").AppendJoin(" · ", models.Select(g => $"<a href=\"#{Id(g.Key)}\">{E(g.Key)}</a>")).Append("</nav>\n");
        foreach (var g in models)
        {
            var list = g.ToList();
            var first = list[0];
            var variants = list.Select(r => (string)r["model"]!).Distinct().ToList();
            string Label(JObject summary) => variants.Count > 1 ? $"{((string)summary["model"]!)[(g.Key.Length + 1)..]} " : "";
            h.Append($"<section id=\"{Id(g.Key)}\">\n<h2>{E(g.Key)}</h2>\n");
            h.Append($"<p>Spec <code>{E((string)first["spec"]!["path"]!)}</code> (SHA-256 {E(((string)first["spec"]!["sha256"]!)[..12])}…)");
            if (first["language_model"] is JObject lm) h.Append($"; SD-SCM on <code>{E((string?)lm["model"] ?? "")}</code>, phrasing-family seeds {E(string.Join(", ", list.Select(r => (string?)r["config_seed"]).Distinct()))}");
            h.Append(".</p>\n");
            h.Append("<div class=\"row\">\n");
            h.Append(Dag(suiteDir, first)).Append('\n');
            h.Append(DatasetTable(list)).Append("</div>\n");
            // The audit.
            var modelAudits = audits.Where(a => variants.Contains((string)a["model"]!)).OrderBy(a => (string)a["model"]!, StringComparer.Ordinal)
                .ThenBy(a => (string)a["regime"]!, StringComparer.Ordinal).ThenBy(a => (int)a["n"]!).ToList();
            if (modelAudits.Count > 0)
            {
                var alpha = (double)modelAudits[0]["alpha"]!;
                h.Append($"<h3>Implied-independence audit ({E((string)modelAudits[0]["test"]!)}, α = {alpha.ToString("0.###", CultureInfo.InvariantCulture)})</h3>\n");
                var rows = modelAudits.Select(a => new IntervalPlot.Row($"{Label(a)}{a["regime"]} n={a["n"]} (K={a["replicates"]})", D(a["false_positive_rate"]), D(a["lower"]), D(a["upper"]))).ToList();
                h.Append("<figure>").Append(Svg(IntervalPlot.Render($"{g.Key}: audit false-positive rate", "share of implied independences rejected", rows, alpha)))
                    .Append("<figcaption>Each row: the mean over the K datasets of the share of tested implied independences rejected at α, with a Student-t interval from the datasets' spread (K − 1 degrees of freedom; wide when K is small, as it should be); the line marks α. A calibrated test puts the line inside the interval.</figcaption></figure>\n");
                h.Append("<div class=\"row\">\n");
                foreach (var bySize in list.Where(r => r["audit"] is JObject).GroupBy(r => (int)r["n"]!).OrderBy(x => x.Key))
                {
                    var p = bySize.SelectMany(r => PValues(suiteDir, r)).ToList();
                    h.Append("<figure>").Append(Svg(QqPlot.Render(p, $"{g.Key}, n = {bySize.Key}: {p.Count} p-values from {bySize.Count()} datasets")))
                        .Append("<figcaption>Pooled over the regimes and replicates of this size (datasets are independent). Under the DAG the p-values are uniform: points inside the band.</figcaption></figure>\n");
                }
                h.Append("</div>\n");
            }
            // The estimator benchmark, per member of the family (each has its own truth).
            foreach (var variant in variants)
            {
                var modelBench = benchmarks.Where(b => (string)b["model"]! == variant).ToList();
                if (modelBench.Count == 0) continue;
                h.Append($"<h3>Estimator benchmark{(variants.Count > 1 ? $" of {E(variant)}" : "")} (truth {E(F(D(modelBench[0]["truth"])))})</h3>\n<div class=\"row\">\n");
                var sizes = modelBench.Select(b => (int)b["n"]!).Distinct().Order().Select(n => (double)n).ToList();
                var estimators = modelBench.Select(b => (string)b["estimator"]!).Distinct().ToList();
                LinePlot.Series Series(string est, string value, string? se) => new(est,
                    sizes.Select(n => D(modelBench.FirstOrDefault(b => (string)b["estimator"]! == est && (int)b["n"]! == (int)n)?[value])).ToList(),
                    se is null ? null : sizes.Select(n => D(modelBench.FirstOrDefault(b => (string)b["estimator"]! == est && (int)b["n"]! == (int)n)?[se])).ToList());
                foreach (var (value, se, label, reference) in new (string, string?, string, double?)[] { ("bias", "bias_se", "bias", 0), ("rmse", null, "RMSE", null), ("coverage", "coverage_se", "95% interval coverage", 0.95) })
                    h.Append("<figure>").Append(Svg(LinePlot.Render($"{variant}: {label} against n", "n", label, sizes, estimators.Select(e => Series(e, value, se)).ToList(), reference))).Append("</figure>\n");
                h.Append("</div>\n").Append(BenchmarkTable(modelBench));
                h.Append("<p class=\"note\">Error bars: ±1.96 Monte Carlo standard errors over the replicates (bias: SD/√K; coverage: √(c(1−c)/K)).</p>\n");
            }
            // Text realization.
            var modelText = realizations.Where(x => variants.Contains((string)x["model"]!)).OrderBy(x => (string)x["model"]!, StringComparer.Ordinal)
                .ThenBy(x => (string)x["regime"]!, StringComparer.Ordinal).ThenBy(x => (int)x["n"]!).ToList();
            if (modelText.Count > 0) h.Append(RealizationSection(g.Key, modelText, Label));
            h.Append("</section>\n");
        }
        h.Append("</body>\n</html>\n");
        return h.ToString();
    }

    private static string Dag(string suiteDir, JObject record)
    {
        var path = Path.Combine(suiteDir, (string)record["folder"]!, "adjacency.csv");
        if (!File.Exists(path)) return "<p>(no graph file)</p>";
        var (names, parents) = ReadAdjacency(path);
        var svg = DagPlot.Render($"{record["model"]}: {names.Count} nodes, {parents.Sum(p => p.Count)} edges", names, parents);
        return svg is null
            ? $"<p class=\"dag\">{names.Count} nodes, {parents.Sum(p => p.Count)} edges: too many to draw here; see <code>graph.dot</code> in any of its dataset folders.</p>"
            : $"<figure class=\"dag\">{Svg(svg)}</figure>";
    }

    /// <summary>Reads an adjacency CSV (a header of names, then one row per parent with 0/1 per child) into names and parent lists.</summary>
    public static (List<string> Names, List<IReadOnlyList<int>> Parents) ReadAdjacency(string path)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvRecordStream(reader, path);
        if (!csv.Next()) throw new InputFileException(path, "is empty");
        var names = Enumerable.Range(1, csv.FieldCount - 1).Select(k => csv.Field(k).ToString()).ToList();
        var parents = names.Select(_ => new List<int>()).ToList();
        for (var p = 0; p < names.Count; p++)
        {
            if (!csv.Next() || csv.FieldCount != names.Count + 1) throw new InputFileException(path, $"line {csv.Line}: expected a row of {names.Count + 1} fields");
            for (var c = 0; c < names.Count; c++) if (csv.Field(c + 1) is "1") parents[c].Add(p);
        }
        return (names, parents.Select(l => (IReadOnlyList<int>)l).ToList());
    }

    private static string DatasetTable(List<JObject> list)
    {
        var t = new StringBuilder("<table>\n<tr><th>model</th><th>regime</th><th>n</th><th>datasets</th><th>truth (first query's ATE)</th><th>audit rate (mean of K)</th></tr>\n");
        foreach (var g in list.GroupBy(r => ((string)r["regime"]!, (int)r["n"]!, (string)r["model"]!))
                     .OrderBy(g => g.Key.Item3, StringComparer.Ordinal).ThenBy(g => g.Key.Item1, StringComparer.Ordinal).ThenBy(g => g.Key.Item2))
        {
            var ate = g.First()["headline"];
            var rates = g.Where(r => r["audit"] is JObject).Select(r => (double)r["audit"]!["rate"]!).ToList();
            t.Append($"<tr><td>{E(g.Key.Item3)}</td><td><code>{E(g.Key.Item1)}</code></td><td class=\"num\">{g.Key.Item2:N0}</td><td class=\"num\">{g.Count()}</td>")
                .Append($"<td class=\"num\">{(ate is JValue { Type: JTokenType.Float or JTokenType.Integer } ? F((double)ate) : "—")}</td>")
                .Append($"<td class=\"num\">{(rates.Count > 0 ? F(rates.Average()) : "—")}</td></tr>\n");
        }
        return t.Append("</table>\n").ToString();
    }

    private static string BenchmarkTable(List<JObject> bench)
    {
        var t = new StringBuilder("<table>\n<tr><th>estimator</th><th>n</th><th>K</th><th>failures</th><th>bias (SE)</th><th>RMSE</th><th>coverage (SE)</th></tr>\n");
        foreach (var b in bench.OrderBy(b => (string)b["estimator"]!, StringComparer.Ordinal).ThenBy(b => (int)b["n"]!))
            t.Append($"<tr><td>{E((string)b["estimator"]!)}</td><td class=\"num\">{(int)b["n"]!:N0}</td><td class=\"num\">{b["replicates"]}</td><td class=\"num\">{b["failures"]}</td>")
                .Append($"<td class=\"num\">{F(D(b["bias"]))} ({F(D(b["bias_se"]))})</td><td class=\"num\">{F(D(b["rmse"]))}</td><td class=\"num\">{F(D(b["coverage"]))} ({F(D(b["coverage_se"]))})</td></tr>\n");
        return t.Append("</table>\n").ToString();
    }

    private static string RealizationSection(string model, List<JObject> rows, Func<JObject, string> label)
    {
        var h = new StringBuilder($"<h3>Text realization ({E((string)rows[0]["realizer"]!)}, {E((string)rows[0]["strategy"]!)})</h3>\n");
        var bars = rows.Select(r => new IntervalPlot.Row($"{label(r)}{r["regime"]} n={r["n"]}", D(r["realizability"]), D(r["realizability_lower"]), D(r["realizability_upper"]))).ToList();
        h.Append("<div class=\"row\">\n<figure>").Append(Svg(IntervalPlot.Render($"{model}: realizability (share of rows whose note agrees with the skeleton)", "realizability", bars)))
            .Append("</figure>\n<figure>").Append(Svg(IntervalPlot.Render($"{model}: selection bias (max TV, accepted vs skeleton marginals)", "total variation",
                rows.Select(r => new IntervalPlot.Row($"{label(r)}{r["regime"]} n={r["n"]}", D(r["max_tv"]), double.NaN, double.NaN)).ToList(), 0)))
            .Append("</figure>\n</div>\n");
        var t = new StringBuilder("<table>\n<tr><th>dataset group</th><th>rows</th><th>consistent</th><th>realizability [95% Wilson]</th><th>mean rounds</th><th>max TV</th><th>audit rate on accepted rows</th></tr>\n");
        foreach (var r in rows)
            t.Append($"<tr><td>{E(label(r))}{E((string)r["regime"]!)} n={r["n"]}</td><td class=\"num\">{r["rows"]}</td><td class=\"num\">{r["consistent"]}</td>")
                .Append($"<td class=\"num\">{F(D(r["realizability"]))} [{F(D(r["realizability_lower"]))}, {F(D(r["realizability_upper"]))}]</td><td class=\"num\">{F(D(r["mean_rounds"]))}</td>")
                .Append($"<td class=\"num\">{F(D(r["max_tv"]))}</td><td class=\"num\">{F(D(r["audit_false_positive_rate"]))}</td></tr>\n");
        h.Append(t.Append("</table>\n<p class=\"note\">Realizability: the share of rows whose final note extracts back to its skeleton. Selection bias: how far the accepted rows' marginals are from the skeleton's; the audit on accepted rows shows whether keeping only realizable rows breaks the DAG's independences.</p>\n"));
        return h.ToString();
    }

    private static IEnumerable<double> PValues(string suiteDir, JObject record)
    {
        var path = Path.Combine(suiteDir, (string)record["folder"]!, "audit.json");
        if (!File.Exists(path)) yield break;
        var audit = JObject.Parse(File.ReadAllText(path));
        foreach (var s in (JArray)audit["statements"]!)
            if (s["test"]?["p"] is JValue { Type: JTokenType.Float or JTokenType.Integer } p) yield return (double)p;
    }

    private static double D(JToken? t) => t is JValue { Type: JTokenType.Float or JTokenType.Integer } v ? (double)v : double.NaN;

    private static string F(double x) => double.IsFinite(x) ? x.ToString("0.####", CultureInfo.InvariantCulture) : "—";

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private static string Id(string s) => "m-" + new string(s.Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());

    /// <summary>
    /// An SVG document inlined in HTML: its XML declaration dropped, and its element ids (clip paths) prefixed with the
    /// figure's number, since ids are global to the HTML document and every figure numbers its own from zero.
    /// </summary>
    private static string Svg(string svg)
    {
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        var body = start < 0 ? svg : svg[start..];
        var prefix = "f" + (++_figure).ToString(CultureInfo.InvariantCulture) + "-";
        return IdReference().Replace(body, m => prefix + m.Value);
    }

    [ThreadStatic] private static int _figure;

    [System.Text.RegularExpressions.GeneratedRegex("(?<=id=\"|url\\(#)clip[0-9]+")]
    private static partial System.Text.RegularExpressions.Regex IdReference();

    private const string Css = """
        body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1500px; color: #222; line-height: 1.4; }
        h1 { border-bottom: 2px solid #1f5fa8; padding-bottom: .2em; }
        h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
        code { background: #f3f3f3; padding: 0 .25em; border-radius: 3px; }
        .note { color: #555; font-size: .92em; max-width: 70em; }
        nav { margin: 1em 0; }
        .row { display: flex; flex-wrap: wrap; gap: 1.5em; align-items: flex-start; }
        figure { margin: .5em 0; }
        figcaption { font-size: .85em; color: #555; max-width: 45em; }
        table { border-collapse: collapse; font-size: .9em; margin: .5em 0; }
        th, td { border: 1px solid #ccc; padding: .25em .6em; }
        th { background: #eef3fa; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }

        """;
}
