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
/// <param name="Given">A CATE conditioning set: categorical variables whose every joint stratum gets its conditional effect (empty: none).</param>
public sealed record SuiteQuery(string? Treatment, string? Outcome, string? Treated, string? Control, string? Event, IReadOnlyList<string>? Given = null);

/// <summary>A regime: hard interventions do(X = x) and soft interventions (files of replacement mechanisms); both empty: observational.</summary>
/// <param name="Do">NAME=STATE assignments.</param>
/// <param name="Soft">Soft-intervention files (<c>{"soft_interventions": [...]}</c>, as <c>--soft</c> takes), relative to the suite file.</param>
public sealed record SuiteRegime(IReadOnlyList<string> Do, IReadOnlyList<string> Soft)
{
    /// <summary>The observational regime.</summary>
    public static SuiteRegime Observational { get; } = new([], []);

    /// <summary>True when the regime intervenes on nothing.</summary>
    public bool IsObservational => Do.Count == 0 && Soft.Count == 0;
}

/// <summary>An SD-SCM family: the model that runs the spec's language_model mechanisms, and the phrasing-family seeds (each seed picks one phrasing per variable: a different SD-SCM of the family).</summary>
/// <param name="Model">A GGUF file (relative to the suite file).</param>
/// <param name="ConfigSeeds">The configuration seeds, each a member of the family.</param>
/// <param name="Scoring">chain_rule or reference.</param>
/// <param name="Temperature">The temperature for variables whose spec gives none.</param>
/// <param name="MaxTabulated">Exact truths tabulate a language-model variable up to this many parent configurations.</param>
public sealed record SuiteLanguageModel(string Model, IReadOnlyList<ulong> ConfigSeeds, string Scoring = "chain_rule", double Temperature = 1.0, long MaxTabulated = 4096);

/// <summary>Text realization of each observational dataset (CausalSynth): notes from the realizer, corrected by the consistency loop, the extracted table, and realizability.</summary>
/// <param name="Realizer">A realizer name (template, prior-override, …).</param>
/// <param name="Strategy">loop (iterative correction) or rejection.</param>
/// <param name="MaxIterations">Correction rounds per note.</param>
/// <param name="Options">Further realizer options, as the realizer takes them (for example the override probability).</param>
/// <param name="Sizes">The sizes n whose datasets are realized (null: every size); text costs far more than a table.</param>
public sealed record SuiteRealization(string Realizer, string Strategy, int MaxIterations, IReadOnlyDictionary<string, string> Options, IReadOnlyList<int>? Sizes = null);

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
/// <param name="Regimes">The regimes: observational, hard and soft interventions.</param>
/// <param name="Counterfactuals">Counterfactual pairs: per set of do() assignments, each unit's factual and counterfactual rows.</param>
/// <param name="Queries">Effects whose truth each dataset reports.</param>
/// <param name="Audit">The audit of each observational or do() dataset, or null.</param>
/// <param name="Estimators">Effect estimators run on each observational dataset for the first query (bias, RMSE and coverage
/// across the replicates go into suite.json), or empty.</param>
/// <param name="LanguageModel">For an SD-SCM spec: its model and phrasing-family seeds (each seed a model of the suite), or null.</param>
/// <param name="Realization">Text realization of the observational datasets, or null.</param>
public sealed record SuiteModel(string Name, string Spec, IReadOnlyList<int> Sizes, int Replicates,
    IReadOnlyList<SuiteRegime> Regimes, IReadOnlyList<IReadOnlyList<string>> Counterfactuals, IReadOnlyList<SuiteQuery> Queries,
    SuiteAudit? Audit = null, IReadOnlyList<string>? Estimators = null, SuiteLanguageModel? LanguageModel = null, SuiteRealization? Realization = null);

/// <summary>A benchmark suite as its file states it.</summary>
/// <param name="Name">The suite's name.</param>
/// <param name="Seed">The suite seed; every dataset's seed is derived from it and the dataset's key.</param>
/// <param name="Models">The models.</param>
/// <param name="Path">The file the suite was read from (specs are relative to its folder).</param>
/// <param name="Format">The tables' format: csv, jsonl or parquet.</param>
public sealed record SuiteFile(string Name, ulong Seed, IReadOnlyList<SuiteModel> Models, string Path, string Format = "csv")
{
    private static readonly string[] TopKeys = ["name", "seed", "format", "models"];
    private static readonly string[] ModelKeys = ["name", "spec", "sizes", "replicates", "regimes", "counterfactuals", "queries", "audit", "estimators", "language_model", "realize"];
    private static readonly string[] AuditKeys = ["set", "test", "alpha"];
    private static readonly string[] QueryKeys = ["treatment", "outcome", "treated", "control", "event", "given"];
    private static readonly string[] LanguageModelKeys = ["model", "config_seeds", "scoring", "temperature", "max_tabulated"];
    private static readonly string[] RealizeKeys = ["realizer", "strategy", "max_iterations", "options", "sizes"];

    /// <summary>The folder the suite's relative paths start from.</summary>
    public string Folder => System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path)) ?? "";

    /// <summary>A path of the suite file resolved against its folder.</summary>
    public string Resolve(string path) => System.IO.Path.IsPathRooted(path) ? path : System.IO.Path.Combine(Folder, path);

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
        SuiteRegime Regime(YamlNode node)
        {
            // As Assignments, or {do: {…}, soft: FILE | [FILES]}.
            if (node is YamlMappingNode m && m.Children.Count > 0 && m.Children.Keys.All(k => k is YamlScalarNode { Value: "do" or "soft" }))
            {
                var parts = Map(m, ["do", "soft"], "a regime");
                var assignments = parts.TryGetValue("do", out var dn) ? Assignments(new YamlMappingNode { { "do", dn } }, "a regime") : [];
                var soft = !parts.TryGetValue("soft", out var sn) ? [] : sn is YamlSequenceNode seq ? seq.Children.Select(x => Scalar(x, "a soft-intervention file")).ToList() : [Scalar(sn, "a soft-intervention file")];
                foreach (var f in soft)
                    if (!File.Exists(System.IO.Path.IsPathRooted(f) ? f : System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? "", f)))
                        throw Error(sn!, $"no soft-intervention file '{f}' (paths are relative to the suite file)");
                return new SuiteRegime(assignments, soft);
            }
            return new SuiteRegime(Assignments(node, "a regime"), []);
        }
        var top = Map(root, TopKeys, "the suite");
        var name = top.TryGetValue("name", out var n) ? Scalar(n, "name") : System.IO.Path.GetFileNameWithoutExtension(path);
        var seed = top.TryGetValue("seed", out var s)
            ? ulong.TryParse(Scalar(s, "seed"), NumberStyles.None, CultureInfo.InvariantCulture, out var sv) ? sv : throw Error(s, "seed must be an unsigned integer")
            : throw Error(root, "the suite needs a seed");
        var format = top.TryGetValue("format", out var fm) ? Scalar(fm, "format") : "csv";
        if (!Scm.IO.TableFormats.Names.Contains(format)) throw Error(fm!, $"format must be one of: {string.Join(", ", Scm.IO.TableFormats.Names)}");
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
            var regimes = m.TryGetValue("regimes", out var rg) ? Seq(rg, "regimes").Select(Regime).ToList() : [SuiteRegime.Observational];
            var cfs = m.TryGetValue("counterfactuals", out var cf) ? Seq(cf, "counterfactuals").Select(x => Assignments(x, "a counterfactual")).ToList() : [];
            if (cfs.Any(c => c.Count == 0)) throw Error(cf!, "a counterfactual needs at least one do() assignment");
            var queries = m.TryGetValue("queries", out var q)
                ? Seq(q, "queries").Select(x =>
                {
                    var qm = Map(x, QueryKeys, "a query");
                    string? Get(string k) => qm.TryGetValue(k, out var v) ? Scalar(v, k) : null;
                    var given = qm.TryGetValue("given", out var gv) ? Seq(gv, "given").Select(g => Scalar(g, "a conditioning variable")).ToList() : [];
                    return new SuiteQuery(Get("treatment"), Get("outcome"), Get("treated"), Get("control"), Get("event"), given);
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
                return HybridBridge.Estimators.EstimatorRegistry.Available.Contains(name) ? name : throw Error(x, $"unknown estimator '{name}'; expected one of: {string.Join(", ", HybridBridge.Estimators.EstimatorRegistry.Available)}");
            }).ToList() : [];
            if (estimators.Count > 0 && queries.Count == 0) throw Error(es!, "estimators need a query (the effect they estimate)");
            SuiteLanguageModel? lm = null;
            if (m.TryGetValue("language_model", out var lmn))
            {
                var lmm = Map(lmn, LanguageModelKeys, "language_model");
                var file = lmm.TryGetValue("model", out var mf) ? Scalar(mf, "model") : throw Error(lmn, "language_model needs a model (a GGUF file)");
                var seeds = lmm.TryGetValue("config_seeds", out var cs) ? ConfigSeeds(cs) : throw Error(lmn, "language_model needs config_seeds (a list, or a range FIRST-LAST)");
                var scoring = lmm.TryGetValue("scoring", out var sc) ? Scalar(sc, "scoring") : "chain_rule";
                if (scoring is not ("chain_rule" or "reference")) throw Error(sc!, "scoring must be chain_rule or reference");
                var temperature = lmm.TryGetValue("temperature", out var tp)
                    ? double.TryParse(Scalar(tp, "temperature"), NumberStyles.Float, CultureInfo.InvariantCulture, out var t) && t > 0 && double.IsFinite(t) ? t : throw Error(tp, "temperature must be a finite number > 0")
                    : 1.0;
                var maxTab = lmm.TryGetValue("max_tabulated", out var mt) ? Int(mt, "max_tabulated", 1) : 4096;
                lm = new SuiteLanguageModel(file, seeds, scoring, temperature, maxTab);
            }
            SuiteRealization? realization = null;
            if (m.TryGetValue("realize", out var rz))
            {
                var rm = Map(rz, RealizeKeys, "realize");
                var realizer = rm.TryGetValue("realizer", out var rn) ? Scalar(rn, "realizer") : "template";
                if (!SuiteText.Realizers.Contains(realizer)) throw Error(rn!, $"unknown realizer '{realizer}'; a suite realizes with: {string.Join(", ", SuiteText.Realizers)}");
                var strategy = rm.TryGetValue("strategy", out var sg) ? Scalar(sg, "strategy") : "loop";
                if (strategy is not ("loop" or "rejection")) throw Error(sg!, "strategy must be loop or rejection");
                var iterations = rm.TryGetValue("max_iterations", out var it) ? Int(it, "max_iterations", 1) : 5;
                var opts = rm.TryGetValue("options", out var on) && on is YamlMappingNode om
                    ? om.Children.ToDictionary(kv => Scalar(kv.Key, "an option"), kv => Scalar(kv.Value, "an option's value"), StringComparer.Ordinal)
                    : new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (k, v) in opts)
                {
                    var at = ((YamlMappingNode)on!).Children.First(kv => ((YamlScalarNode)kv.Key).Value == k).Key;
                    if (!(realizer == "prior-override" && k is "corrupt" or "heed")) throw Error(at, $"unknown option '{k}' of the {realizer} realizer{(realizer == "prior-override" ? "; expected corrupt or heed" : " (it takes none)")}");
                    if (!(double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var pv) && pv is >= 0 and <= 1)) throw Error(at, $"{k} must be a probability in [0, 1]");
                }
                var realizeSizes = rm.TryGetValue("sizes", out var rs) ? Seq(rs, "sizes").Select(x => Int(x, "a size", 1)).ToList() : null;
                if (realizeSizes?.FirstOrDefault(z => !sizes.Contains(z)) is { } extra and > 0) throw Error(rs!, $"realize sizes must be among the model's sizes; {extra} is not");
                realization = new SuiteRealization(realizer, strategy, iterations, opts, realizeSizes);
            }
            models.Add(new SuiteModel(modelName, spec, sizes, reps, regimes, cfs, queries, audit, estimators, lm, realization));
        }
        if (models.Count == 0) throw Error(modelsNode, "the suite has no models");
        return new SuiteFile(name, seed, models, path, format);

        IReadOnlyList<ulong> ConfigSeeds(YamlNode node)
        {
            ulong U(YamlNode at, string text) => ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var u) ? u : throw Error(at, $"'{text}' is not an unsigned integer seed");
            List<ulong> list;
            if (node is YamlSequenceNode) list = Seq(node, "config_seeds").Select(x => U(x, Scalar(x, "a seed"))).ToList();
            else
            {
                var text = Scalar(node, "config_seeds");
                var dash = text.IndexOf('-');
                if (dash < 0) list = [U(node, text)];
                else
                {
                    var (a, b) = (U(node, text[..dash]), U(node, text[(dash + 1)..]));
                    if (b < a || b - a >= 100_000) throw Error(node, "config_seeds FIRST-LAST needs FIRST ≤ LAST and at most 100,000 seeds");
                    list = [];
                    for (var x = a; x <= b; x++) list.Add(x);
                }
            }
            if (list.Count == 0 || list.Distinct().Count() != list.Count) throw Error(node, "config_seeds must be distinct and at least one");
            return list;
        }
    }

    /// <summary>Reads a suite file (see <see cref="Read(string, string)"/>).</summary>
    public static SuiteFile ReadFile(string path)
    {
        InputFileException.RequireFile(path);
        return Read(File.ReadAllText(path), path);
    }
}
