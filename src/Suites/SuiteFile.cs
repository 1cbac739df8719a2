using System.Globalization;
using HybridSynth.Scm.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HybridSynth.Suites;

/// <summary>An effect to report the truth of: the treatment with its arms, the outcome and its event state (null: the defaults).</summary>
/// <param name="Treatment">The treatment variable.</param>
/// <param name="Outcome">The outcome variable.</param>
/// <param name="Treated">The treated state.</param>
/// <param name="Control">The control state.</param>
/// <param name="Event">The outcome state whose probability the effect is about.</param>
public sealed record SuiteQuery(string? Treatment, string? Outcome, string? Treated, string? Control, string? Event);

/// <summary>An implied-independence audit of each dataset.</summary>
/// <param name="Set">local or pairwise.</param>
/// <param name="Test">A CI test name (auto, g2, chi2, g2-perm, …).</param>
/// <param name="Alpha">The level of each test.</param>
public sealed record SuiteAudit(string Set, string Test, double Alpha);

/// <summary>One model of a suite and what to produce from it.</summary>
/// <param name="Name">The model's key in the suite (a folder-name prefix).</param>
/// <param name="Spec">The spec: a file (relative to the suite file), builtin:NAME, bnlearn:NAME or random:….</param>
/// <param name="Sizes">The row counts n.</param>
/// <param name="Replicates">Datasets K per (regime, n).</param>
/// <param name="Regimes">Observational (an empty set) and hard-intervention regimes, each a set of NAME=STATE assignments.</param>
/// <param name="Counterfactuals">Counterfactual pairs: per set of do() assignments, each unit's factual and counterfactual rows.</param>
/// <param name="Queries">Effects whose truth each dataset reports.</param>
/// <param name="Audit">The audit of each observational or do() dataset, or null.</param>
/// <param name="Estimators">Effect estimators run on each observational dataset for the first query (bias, RMSE and coverage
/// across the replicates go into suite.json), or empty.</param>
public sealed record SuiteModel(string Name, string Spec, IReadOnlyList<int> Sizes, int Replicates,
    IReadOnlyList<IReadOnlyList<string>> Regimes, IReadOnlyList<IReadOnlyList<string>> Counterfactuals, IReadOnlyList<SuiteQuery> Queries,
    SuiteAudit? Audit = null, IReadOnlyList<string>? Estimators = null);

/// <summary>A benchmark suite as its file states it.</summary>
/// <param name="Name">The suite's name.</param>
/// <param name="Seed">The suite seed; every dataset's seed is derived from it and the dataset's key.</param>
/// <param name="Models">The models.</param>
/// <param name="Path">The file the suite was read from (specs are relative to its folder).</param>
public sealed record SuiteFile(string Name, ulong Seed, IReadOnlyList<SuiteModel> Models, string Path)
{
    private static readonly string[] TopKeys = ["name", "seed", "models"];
    private static readonly string[] ModelKeys = ["name", "spec", "sizes", "replicates", "regimes", "counterfactuals", "queries", "audit", "estimators"];
    private static readonly string[] AuditKeys = ["set", "test", "alpha"];
    private static readonly string[] QueryKeys = ["treatment", "outcome", "treated", "control", "event"];

    /// <summary>
    /// Reads a suite from YAML or JSON (JSON is YAML). Errors are <see cref="SpecException"/>s at the offending line and column;
    /// unknown keys are errors with a suggestion.
    /// </summary>
    public static SuiteFile Read(string text, string path)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new SpecException(path, (int)Math.Max(1, e.Start.Line), (int)Math.Max(1, e.Start.Column), "not valid YAML or JSON: " + e.Message.Split('\n')[0]);
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new SpecException(path, 1, 1, "a suite is one mapping with name, seed and models");
        SpecException Error(YamlNode node, string message) => new(path, (int)node.Start.Line, (int)node.Start.Column, message);
        Dictionary<string, YamlNode> Map(YamlNode node, string[] allowed, string what)
        {
            if (node is not YamlMappingNode m) throw Error(node, $"{what} must be a mapping");
            var d = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var (k, v) in m.Children)
            {
                var key = ((YamlScalarNode)k).Value ?? "";
                if (!allowed.Contains(key)) throw Error(k, $"unknown key '{key}' in {what}{Suggestions.DidYouMean(key, allowed)}; expected one of: {string.Join(", ", allowed)}");
                if (!d.TryAdd(key, v)) throw Error(k, $"'{key}' is given twice in {what}");
            }
            return d;
        }
        string Scalar(YamlNode node, string what) => node is YamlScalarNode { Value: { } v } ? v : throw Error(node, $"{what} must be a single value");
        int Int(YamlNode node, string what, int min) =>
            int.TryParse(Scalar(node, what), NumberStyles.None, CultureInfo.InvariantCulture, out var x) && x >= min ? x : throw Error(node, $"{what} must be an integer ≥ {min}");
        IEnumerable<YamlNode> Seq(YamlNode node, string what) => node is YamlSequenceNode s ? s.Children : throw Error(node, $"{what} must be a list");
        IReadOnlyList<string> Assignments(YamlNode node, string what)
        {
            // "observational", or {do: {X: x, …}}, or {X: x, …}.
            if (node is YamlScalarNode { Value: "observational" }) return [];
            if (node is not YamlMappingNode m) throw Error(node, $"{what} must be 'observational' or a mapping of do() assignments");
            if (m.Children.Count == 1 && m.Children.Keys.First() is YamlScalarNode { Value: "do" }) m = m.Children.Values.First() as YamlMappingNode ?? throw Error(node, $"{what}: do must map variables to states");
            return m.Children.Select(kv => $"{Scalar(kv.Key, "a variable")}={Scalar(kv.Value, "a state")}").ToList();
        }
        var top = Map(root, TopKeys, "the suite");
        var name = top.TryGetValue("name", out var n) ? Scalar(n, "name") : System.IO.Path.GetFileNameWithoutExtension(path);
        var seed = top.TryGetValue("seed", out var s)
            ? ulong.TryParse(Scalar(s, "seed"), NumberStyles.None, CultureInfo.InvariantCulture, out var sv) ? sv : throw Error(s, "seed must be an unsigned integer")
            : throw Error(root, "the suite needs a seed");
        if (!top.TryGetValue("models", out var modelsNode)) throw Error(root, "the suite needs models");
        var models = new List<SuiteModel>();
        foreach (var mn in Seq(modelsNode, "models"))
        {
            var m = Map(mn, ModelKeys, "a model");
            var spec = m.TryGetValue("spec", out var sp) ? Scalar(sp, "spec") : throw Error(mn, "a model needs a spec");
            var modelName = m.TryGetValue("name", out var mnm) ? Scalar(mnm, "name") : spec.Split(':', '/', '\\').Last().Split('.')[0];
            if (modelName.Length == 0 || modelName.Any(c => !(char.IsLetterOrDigit(c) || c is '-' or '_' or '.')))
                throw Error(mnm ?? mn, $"the model name '{modelName}' must be letters, digits, '-', '_' or '.' (it names folders)");
            if (models.Any(x => x.Name == modelName)) throw Error(mnm ?? mn, $"two models are named '{modelName}'");
            var sizes = m.TryGetValue("sizes", out var sz) ? Seq(sz, "sizes").Select(x => Int(x, "a size", 1)).ToList() : throw Error(mn, "a model needs sizes");
            if (sizes.Distinct().Count() != sizes.Count) throw Error(sz, "each size once");
            var reps = m.TryGetValue("replicates", out var rp) ? Int(rp, "replicates", 1) : 1;
            var regimes = m.TryGetValue("regimes", out var rg) ? Seq(rg, "regimes").Select(x => Assignments(x, "a regime")).ToList() : [[]];
            var cfs = m.TryGetValue("counterfactuals", out var cf) ? Seq(cf, "counterfactuals").Select(x => Assignments(x, "a counterfactual")).ToList() : [];
            if (cfs.Any(c => c.Count == 0)) throw Error(cf!, "a counterfactual needs at least one do() assignment");
            var queries = m.TryGetValue("queries", out var q)
                ? Seq(q, "queries").Select(x =>
                {
                    var qm = Map(x, QueryKeys, "a query");
                    string? Get(string k) => qm.TryGetValue(k, out var v) ? Scalar(v, k) : null;
                    return new SuiteQuery(Get("treatment"), Get("outcome"), Get("treated"), Get("control"), Get("event"));
                }).ToList()
                : [];
            SuiteAudit? audit = null;
            if (m.TryGetValue("audit", out var au))
            {
                var am = Map(au, AuditKeys, "an audit");
                var set = am.TryGetValue("set", out var st) ? Scalar(st, "set") : "local";
                if (set is not ("local" or "pairwise")) throw Error(st!, "set must be local or pairwise");
                var test = am.TryGetValue("test", out var te) ? Scalar(te, "test") : "auto";
                if (!Verifier.CiTests.CiTestRegistry.Names.Contains(test)) throw Error(te!, $"unknown test '{test}'; expected one of: {string.Join(", ", Verifier.CiTests.CiTestRegistry.Names)}");
                var alpha = am.TryGetValue("alpha", out var al)
                    ? double.TryParse(Scalar(al, "alpha"), NumberStyles.Float, CultureInfo.InvariantCulture, out var a) && a is > 0 and < 1 ? a : throw Error(al, "alpha must be in (0, 1)")
                    : 0.05;
                audit = new SuiteAudit(set, test, alpha);
            }
            var estimators = m.TryGetValue("estimators", out var es) ? Seq(es, "estimators").Select(x =>
            {
                var name = Scalar(x, "an estimator");
                return HybridBridge.Estimators.EstimatorRegistry.Names.Contains(name) ? name : throw Error(x, $"unknown estimator '{name}'; expected one of: {string.Join(", ", HybridBridge.Estimators.EstimatorRegistry.Names)}");
            }).ToList() : [];
            if (estimators.Count > 0 && queries.Count == 0) throw Error(es!, "estimators need a query (the effect they estimate)");
            models.Add(new SuiteModel(modelName, spec, sizes, reps, regimes, cfs, queries, audit, estimators));
        }
        if (models.Count == 0) throw Error(modelsNode, "the suite has no models");
        return new SuiteFile(name, seed, models, path);
    }

    /// <summary>Reads a suite file (see <see cref="Read(string, string)"/>).</summary>
    public static SuiteFile ReadFile(string path)
    {
        InputFileException.RequireFile(path);
        return Read(File.ReadAllText(path), path);
    }
}
