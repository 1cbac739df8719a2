using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HybridSynth.HybridBridge.Data;
using HybridSynth.HybridBridge.Estimators;
using HybridSynth.HybridBridge.Simulation;
using HybridSynth.Lm.Mechanisms;
using HybridSynth.Scm.Counterfactuals;
using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.Interventions;
using HybridSynth.Scm.Mechanisms;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Randomness;
using HybridSynth.Scm.Sampling;
using HybridSynth.Scm.Tables;
using HybridSynth.Verifier.Audit;
using HybridSynth.Verifier.Reports;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Suites;

/// <summary>One dataset of a suite: its key (which alone determines its seed), its folder, and what to draw.</summary>
/// <param name="Key">model[/cfg=S]/regime/n=N/r=R, e.g. <c>asia/do(smoke=yes)/n=1000/r=0</c>.</param>
/// <param name="Folder">The dataset's folder name: the key made safe for file systems, with a short hash of the key.</param>
/// <param name="Model">The suite model it comes from.</param>
/// <param name="ConfigSeed">For an SD-SCM family: the phrasing-family seed of this member; otherwise null.</param>
/// <param name="Counterfactual">True for a counterfactual-pair dataset, false for a regime's sample.</param>
/// <param name="Assignments">The do() assignments of the regime or the counterfactual (empty: none).</param>
/// <param name="Soft">The regime's soft-intervention files (empty: none).</param>
/// <param name="N">The rows.</param>
/// <param name="Replicate">The replicate index r.</param>
/// <param name="Seed">The sampler seed, <see cref="Seeds.SuiteDataset"/> of the suite seed and the key.</param>
public sealed record SuiteDataset(string Key, string Folder, SuiteModel Model, ulong? ConfigSeed, bool Counterfactual, IReadOnlyList<string> Assignments,
    IReadOnlyList<string> Soft, int N, int Replicate, ulong Seed)
{
    /// <summary>The model's name in keys and records: the suite model's name, with /cfg=S for a member of an SD-SCM family.</summary>
    public string Variant => ConfigSeed is { } c ? $"{Model.Name}/cfg={c}" : Model.Name;

    /// <summary>True for the observational regime.</summary>
    public bool IsObservational => !Counterfactual && Assignments.Count == 0 && Soft.Count == 0;

    /// <summary>The regime's label: observational, do(A=a,B=b), soft(FILE), do(A=a)+soft(FILE) or cf(do(A=a)).</summary>
    public string Regime
    {
        get
        {
            if (Counterfactual) return $"cf(do({string.Join(",", Assignments)}))";
            var parts = new List<string>();
            if (Assignments.Count > 0) parts.Add($"do({string.Join(",", Assignments)})");
            if (Soft.Count > 0) parts.Add($"soft({string.Join(",", Soft.Select(f => Path.GetFileNameWithoutExtension(f)))})");
            return parts.Count == 0 ? "observational" : string.Join("+", parts);
        }
    }

    /// <summary>The shard (1..<paramref name="shards"/>) that builds this dataset: a hash of the key, so assignments do not depend on the suite's order.</summary>
    public int Shard(int shards) => (int)(BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(Key)), 0) % (ulong)shards) + 1;
}

/// <summary>
/// Builds a benchmark suite: one folder per dataset with its table and manifest, its truths, the graph as DOT, GML and an
/// adjacency CSV, the model written out (BIF for discrete models, the JSON spec otherwise) and a completion record, then
/// <c>suite.json</c> and <c>index.csv</c> over all of them. A dataset's seed comes from the suite seed and its key, and
/// every file is a function of the dataset alone, so the result is byte-identical whatever the job count, the sharding or
/// the order of the suite's entries. A dataset is built in a temporary folder and renamed into place when complete;
/// a complete dataset whose inputs hash the same is skipped on the next run, anything else is rebuilt.
/// </summary>
public static class SuiteBuilder
{
    /// <summary>The completion record of a dataset folder.</summary>
    public const string RecordFile = "dataset.json";

    /// <summary>Monte Carlo units for truths that are not exact.</summary>
    public const long MonteCarloUnits = 200_000;

    /// <summary>Every dataset of the suite, sorted by key.</summary>
    public static IReadOnlyList<SuiteDataset> Plan(SuiteFile suite)
    {
        var list = new List<SuiteDataset>();
        foreach (var m in suite.Models)
        {
            var regimes = m.Regimes.Select(r => (Cf: false, Do: (IReadOnlyList<string>)r.Do.Order(StringComparer.Ordinal).ToList(), Soft: r.Soft))
                .Concat(m.Counterfactuals.Select(c => (Cf: true, Do: (IReadOnlyList<string>)c.Order(StringComparer.Ordinal).ToList(), Soft: (IReadOnlyList<string>)[]))).ToList();
            var configs = m.LanguageModel is { } lm ? lm.ConfigSeeds.Select(c => (ulong?)c).ToList() : [null];
            foreach (var config in configs)
                foreach (var (cf, assignments, soft) in regimes)
                    foreach (var n in m.Sizes)
                        for (var r = 0; r < m.Replicates; r++)
                        {
                            var probe = new SuiteDataset("", "", m, config, cf, assignments, soft, n, r, 0);
                            var key = $"{probe.Variant}/{probe.Regime}/n={n}/r={r}";
                            var safe = new string(key.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or '=' ? c : '_').ToArray());
                            var folder = safe + "-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..8];
                            list.Add(probe with { Key = key, Folder = folder, Seed = Seeds.SuiteDataset(suite.Seed, key) });
                        }
        }
        var duplicate = list.GroupBy(d => d.Key).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ModelException($"the suite lists the dataset '{duplicate.Key}' twice (a regime or size repeated)");
        return list.OrderBy(d => d.Key, StringComparer.Ordinal).ToList();
    }

    /// <summary>What a build did.</summary>
    /// <param name="Built">Datasets written by this run.</param>
    /// <param name="Skipped">Datasets already complete with the same inputs.</param>
    /// <param name="Rows">Rows written by this run.</param>
    public sealed record BuildResult(int Built, int Skipped, long Rows);

    /// <summary>Builds the datasets of shard <paramref name="shard"/> of <paramref name="shards"/> (1 of 1: all) into <paramref name="outDir"/>, <paramref name="jobs"/> at a time.</summary>
    /// <param name="progress">Called with (datasets done, datasets of this shard, rows written so far) from any thread.</param>
    public static BuildResult Build(SuiteFile suite, string outDir, int jobs = 1, int shard = 1, int shards = 1, Action<int, int, long>? progress = null)
    {
        if (shards < 1 || shard < 1 || shard > shards) throw new ArgumentOutOfRangeException(nameof(shard), $"shard {shard} of {shards}");
        var plan = Plan(suite).Where(d => d.Shard(shards) == shard).ToList();
        using var models = new SuiteModels(suite);
        // Every model (each member of an SD-SCM family) is loaded and checked before anything is written.
        foreach (var d in plan) models.Get(d);
        Directory.CreateDirectory(outDir);
        RemoveStaleTemporaries(outDir);
        // Truths depend on the model and the regime only, not on n or the replicate: computed once per regime.
        var truths = new System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<JObject>>(StringComparer.Ordinal);
        int built = 0, skipped = 0, done = 0;
        long rows = 0;
        Parallel.ForEach(plan, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, jobs) }, d =>
        {
            var spec = models.Get(d);
            var final = Path.Combine(outDir, d.Folder);
            var hash = InputHash(suite, d, spec);
            if (IsComplete(final, hash)) Interlocked.Increment(ref skipped);
            else
            {
                BuildOne(suite, d, spec, outDir, hash, truths);
                Interlocked.Increment(ref built);
                Interlocked.Add(ref rows, d.N);
            }
            progress?.Invoke(Interlocked.Increment(ref done), plan.Count, Interlocked.Read(ref rows));
        });
        return new BuildResult(built, skipped, rows);
    }

    private static string InputHash(SuiteFile suite, SuiteDataset d, SuiteModels.Entry spec)
    {
        var o = new JObject
        {
            ["tool"] = RunManifest.Version, ["suite_seed"] = suite.Seed, ["key"] = d.Key, ["seed"] = d.Seed, ["spec_sha256"] = spec.Spec.Sha256,
            ["format"] = suite.Format,
            ["queries"] = JArray.FromObject(d.Model.Queries),
            ["audit"] = d.Model.Audit is null ? null : JObject.FromObject(d.Model.Audit),
            ["estimators"] = new JArray(d.Model.Estimators ?? []),
            ["soft"] = new JArray(d.Soft.Select(f => FileDigest.Sha256(suite.Resolve(f)))),
            ["language_model"] = spec.LanguageModelSha256 is null ? null : new JObject
            {
                ["sha256"] = spec.LanguageModelSha256, ["config_seed"] = d.ConfigSeed, ["scoring"] = d.Model.LanguageModel!.Scoring,
                ["temperature"] = d.Model.LanguageModel.Temperature, ["max_tabulated"] = d.Model.LanguageModel.MaxTabulated,
            },
            ["realize"] = d.Model.Realization is null ? null : JObject.FromObject(d.Model.Realization),
        };
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(o.ToString(Formatting.None))));
    }

    private static bool IsComplete(string folder, string inputHash)
    {
        var record = Path.Combine(folder, RecordFile);
        if (!File.Exists(record)) return false;
        try
        {
            var o = JObject.Parse(File.ReadAllText(record));
            if (o.Value<string>("input_sha256") != inputHash) return false;
            foreach (var f in (JObject)o["files"]!)
            {
                var path = Path.Combine(folder, f.Key);
                if (!File.Exists(path) || FileDigest.Sha256(path) != (string?)f.Value) return false;
            }
            return true;
        }
        catch (Exception e) when (e is JsonException or IOException or InvalidCastException or NullReferenceException)
        {
            return false;
        }
    }

    private static void RemoveStaleTemporaries(string outDir)
    {
        foreach (var dir in Directory.GetDirectories(outDir, ".tmp-*"))
        {
            var parts = Path.GetFileName(dir).Split('-');
            var alive = parts.Length > 2 && int.TryParse(parts[^2], out var pid) && pid != Environment.ProcessId && IsAlive(pid);
            if (!alive) Directory.Delete(dir, recursive: true);
        }
    }

    private static bool IsAlive(int pid)
    {
        try { using var p = Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    private static void BuildOne(SuiteFile suite, SuiteDataset d, SuiteModels.Entry entry, string outDir, string inputHash,
        System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<JObject>> truths)
    {
        var model = entry.Model;
        var spec = entry.Spec;
        var temp = Path.Combine(outDir, $".tmp-{d.Folder}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            var interventions = entry.Interventions(d);
            var files = new JObject();
            void Put(string name, string text)
            {
                File.WriteAllText(Path.Combine(temp, name), text, new UTF8Encoding(false));
                files[name] = FileDigest.Sha256(Path.Combine(temp, name));
            }
            // The table and its manifest; the columns the audit, the estimators or the realizer need are kept as they stream by.
            var options = new SamplingOptions();
            var queries = d.Model.Queries.Select(q => TreatmentContrast.Resolve(model, q.Treatment, q.Outcome, q.Treated, q.Control, q.Event)).ToList();
            var poContrast = !d.Counterfactual && queries.Count > 0 && interventions.All(i => i.Variable != queries[0].Treatment) ? queries[0] : null;
            var regimeModel = model.Intervene(interventions);
            var job = d.Counterfactual
                ? CounterfactualJobs.Pairs(model, interventions, d.N, d.Seed, options)
                : SampleJobs.Sample(regimeModel, d.N, d.Seed, options, poContrast);
            var estimate = d.IsObservational && d.Model.Estimators is { Count: > 0 };
            var realize = d.IsObservational && d.Model.Realization is { } rz && (rz.Sizes is null || rz.Sizes.Contains(d.N));
            var collector = !d.Counterfactual && (d.Model.Audit is not null || estimate || realize) ? new TableCollector(regimeModel, job.Schema, d.N) : null;
            if (collector is not null) job = job with { Blocks = collector.Tee(job.Blocks) };
            var dataName = "data." + suite.Format;
            var dataPath = Path.Combine(temp, dataName);
            var lmSection = LanguageModelSection(d, entry);
            TableFormats.WriteJobWithManifest(suite.Format, dataPath, job, Path.Combine(temp, "data.manifest.json"), table => new RunManifest
            {
                Command = "suite",
                Spec = spec,
                Seed = d.Seed,
                Rows = table.Rows,
                Interventions = interventions.Select(i => i.Describe(model)).ToList(),
                Options = new JObject { ["suite"] = suite.Name, ["suite_seed"] = suite.Seed, ["key"] = d.Key, ["counterfactual"] = d.Counterfactual },
                Columns = job.Schema,
                OutputPath = dataName,
                OutputFormat = suite.Format,
                OutputBytes = table.Length,
                OutputSha256 = table.Sha256,
                Extras = lmSection is null ? new JObject() : new JObject { ["sdscm"] = lmSection },
            }.ToBytes());
            files[dataName] = FileDigest.Sha256(dataPath);
            files["data.manifest.json"] = FileDigest.Sha256(Path.Combine(temp, "data.manifest.json"));
            // Truths under the regime (for a counterfactual pair: under its do()).
            var truth = (JObject)truths.GetOrAdd($"{d.Variant}/{d.Regime}", _ => new Lazy<JObject>(() => Truth(suite, d, model, interventions, queries, poContrast))).Value.DeepClone();
            truth.AddFirst(new JProperty("key", d.Key));
            Put("truth.json", truth.ToString(Formatting.Indented) + "\n");
            // The audit of the implied independences (of the regime's mutilated graph), the estimators and the text.
            JObject? auditSummary = null, estimates = null, realization = null;
            var table = collector?.Table();
            if (table is not null && d.Model.Audit is { } a)
            {
                var report = IndependenceAudit.Run(regimeModel, table, new AuditOptions
                {
                    Set = a.Set == "pairwise" ? StatementSet.Pairwise : StatementSet.Local, Test = a.Test, Alpha = a.Alpha, Seed = d.Seed,
                });
                Put("audit.json", AuditJson.ToJson(report).ToString(Formatting.Indented) + "\n");
                auditSummary = new JObject
                {
                    ["statements"] = report.Statements.Count, ["rejections"] = report.FalsePositiveRate.Successes, ["rate"] = report.FalsePositiveRate.Rate,
                    ["set"] = a.Set, ["test"] = a.Test, ["alpha"] = a.Alpha,
                };
            }
            if (table is not null && estimate)
            {
                var q = queries[0];
                var data = CausalData.From(table, model[q.Treatment].Name, model[q.Outcome].Name, SimulationEngine.Covariates(model, q), (q.TreatedCode, q.ControlCode), q.Scale);
                var results = EstimatorRegistry.EstimateOrNaN(d.Model.Estimators!, data, new NuisanceOptions());
                estimates = new JObject(results.Select(e => new JProperty(e.Key, new JObject
                {
                    ["estimate"] = Finite(e.Value.Estimate), ["standard_error"] = Finite(e.Value.StandardError),
                    ["lower"] = Finite(e.Value.Lower), ["upper"] = Finite(e.Value.Upper),
                })));
                Put("estimates.json", new JObject { ["contrast"] = q.ToJson(model), ["covariates"] = new JArray(SimulationEngine.Covariates(model, q)), ["estimates"] = estimates }.ToString(Formatting.Indented) + "\n");
            }
            if (table is not null && realize)
                realization = SuiteText.Realize(model, table, d.Model.Realization!, Seeds.SuiteDataset(suite.Seed, d.Key + "/realize"), Put);
            // The graph and the model.
            Put("graph.dot", GraphFormats.Dot(model.Graph, model.Name));
            Put("graph.gml", GraphFormats.Gml(model.Graph, model.Name));
            Put("adjacency.csv", GraphFormats.AdjacencyCsv(model.Graph));
            string? modelFile = null, modelNote = null;
            var tabulable = entry.Session is null || Enumerable.Range(0, model.Count).All(v =>
                model.Mechanisms[v] is not ITabulationLimit limit || model.Graph.Parents(v).Aggregate(1L, (x, p) => x * Math.Max(1, model[p].Cardinality)) <= limit.MaxConfigurations);
            if (tabulable)
            {
                try { Put("model.bif", BifWriter.Write(model)); modelFile = "model.bif"; }
                catch (ModelException) { }
            }
            else modelNote = "the language model's CPTs are too large to tabulate (max_tabulated); the spec and the phrasings in sdscm.json define the model";
            if (modelFile is null && entry.Session is null)
            {
                try { Put("model.json", JsonSpecWriter.Write(model)); modelFile = "model.json"; }
                catch (ModelException e) { modelNote = e.Message; }
            }
            if (lmSection is not null)
            {
                lmSection["model_bif"] = modelFile == "model.bif" ? "the CPTs the language model induces under these phrasings, tabulated exactly" : null;
                Put("sdscm.json", lmSection.ToString(Formatting.Indented) + "\n");
            }
            var record = new JObject
            {
                ["suite"] = new JObject { ["name"] = suite.Name, ["seed"] = suite.Seed },
                ["key"] = d.Key,
                ["folder"] = d.Folder,
                ["model"] = d.Variant,
                ["family"] = d.Model.Name,
                ["config_seed"] = d.ConfigSeed,
                ["spec"] = new JObject { ["path"] = spec.Path, ["sha256"] = spec.Sha256 },
                ["language_model"] = d.Model.LanguageModel is { } lm ? new JObject { ["model"] = lm.Model, ["sha256"] = entry.LanguageModelSha256 } : null,
                ["regime"] = d.Regime,
                ["counterfactual"] = d.Counterfactual,
                ["n"] = d.N,
                ["replicate"] = d.Replicate,
                ["seed"] = d.Seed,
                ["data"] = dataName,
                ["model_file"] = modelFile,
                ["model_note"] = modelNote,
                ["headline"] = truth["effects"]!.FirstOrDefault()?["ate"],
                ["audit"] = auditSummary,
                ["estimates"] = estimates,
                ["realization"] = realization,
                ["input_sha256"] = inputHash,
                ["files"] = files,
            };
            // The record comes last: a folder without it, or whose files do not match it, is not complete.
            File.WriteAllText(Path.Combine(temp, RecordFile), record.ToString(Formatting.Indented) + "\n", new UTF8Encoding(false));
            var final = Path.Combine(outDir, d.Folder);
            if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
            Directory.Move(temp, final);
        }
        catch
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// What a dataset records of its SD-SCM: the model's identity (kind, name, digest: nothing that depends on the machine),
    /// the configuration seed and the phrasing each variable got. The memo's counters are left out: they depend on which
    /// datasets shared the session, and records must not.
    /// </summary>
    private static JObject? LanguageModelSection(SuiteDataset d, SuiteModels.Entry entry)
    {
        if (entry.Session is not { } s) return null;
        var full = LanguageModelManifest.Describe(s, entry.Model);
        var identity = (JObject)full["language_model"]!;
        var sdscm = (JObject)full["sdscm"]!;
        return new JObject
        {
            ["language_model"] = new JObject { ["kind"] = identity["kind"], ["name"] = identity["name"], ["digest"] = identity["digest"], ["file"] = d.Model.LanguageModel!.Model },
            ["configuration_seed"] = sdscm["configuration_seed"],
            ["scoring"] = sdscm["default_scoring"],
            ["temperature"] = sdscm["default_temperature"],
            ["family_size"] = sdscm["family_size"],
            ["phrasings"] = sdscm["phrasings"],
        };
    }

    private static JToken Finite(double x) => double.IsFinite(x) ? x : JValue.CreateNull();

    private static JObject Truth(SuiteFile suite, SuiteDataset d, CausalModel model, List<Intervention> interventions, List<TreatmentContrast> queries, TreatmentContrast? poContrast)
    {
        var mc = new MonteCarloSettings(MonteCarloUnits, Seeds.SuiteTruth(suite.Seed, $"{d.Variant}/{d.Regime}"));
        string Method(bool exact) => exact ? "exact (variable elimination)" : $"Monte Carlo ({MonteCarloUnits:N0} units)";
        var marginals = new JObject();
        for (var v = 0; v < model.Count; v++)
        {
            var t = GroundTruth.Distribution(model, v, GroundTruthMethod.Auto, mc, interventions: interventions);
            var entry = new JObject { ["method"] = Method(t.Exact) };
            if (model[v].IsCategorical)
                entry["distribution"] = new JObject(model[v].Categorical.States.Select((s, k) => new JProperty(s, t.Values[k])));
            else entry["mean"] = t.Values[0];
            if (t.StandardErrors is { } se) entry["standard_errors"] = new JArray(se);
            marginals[model[v].Name] = entry;
        }
        var effects = new JArray();
        for (var qi = 0; qi < queries.Count; qi++)
        {
            var q = queries[qi];
            if (interventions.Any(i => i.Variable == q.Treatment)) continue; // the regime fixes the treatment: no contrast
            var e = GroundTruth.AverageTreatmentEffect(model, q, GroundTruthMethod.Auto, mc, interventions: interventions);
            var o = new JObject
            {
                ["contrast"] = q.ToJson(model),
                ["ate"] = e.Estimate.Effect,
                ["standard_error"] = e.Estimate.StandardError,
                ["method"] = e.Method.ToString().ToLowerInvariant(),
            };
            var given = (d.Model.Queries[qi].Given ?? []).Select(model.IndexOf).ToList();
            if (given.Count > 0) o["cate"] = Cate(model, q, given, interventions, mc, Method);
            effects.Add(o);
        }
        var result = new JObject
        {
            ["regime"] = d.Regime,
            ["interventions"] = new JArray(interventions.Select(i => i.Describe(model))),
            ["marginals"] = marginals,
            ["effects"] = effects,
        };
        if (poContrast is not null)
            result["potential_outcomes"] = $"the table's columns {poContrast.PotentialOutcomeColumn(model, false)}, {poContrast.PotentialOutcomeColumn(model, true)} and ite are each unit's potential outcomes under the first query's arms (the same noise as the row)";
        if (d.Counterfactual)
            result["counterfactuals"] = "each row holds the unit's factual values and, in the *_cf columns, its values under the do() of this dataset (the same noise)";
        return result;
    }

    /// <summary>
    /// The CATE in every joint stratum of the conditioning set, with the stratum's probability under the regime (the chain
    /// P(g₁)·P(g₂ | g₁)·…), so that Σ P(stratum)·CATE(stratum) = ATE. Strata of probability zero have no CATE.
    /// </summary>
    private static JArray Cate(CausalModel model, TreatmentContrast q, IReadOnlyList<int> given, IReadOnlyList<Intervention> interventions, MonteCarloSettings mc, Func<bool, string> method)
    {
        var strata = new JArray();
        var codes = new int[given.Count];
        while (true)
        {
            var evidence = new Dictionary<int, int>();
            var p = 1.0;
            var exact = true;
            for (var k = 0; k < given.Count && p > 0; k++)
            {
                var t = GroundTruth.Distribution(model, given[k], GroundTruthMethod.Auto, mc, evidence, interventions);
                p *= t.Values[codes[k]];
                exact &= t.Exact;
                evidence[given[k]] = codes[k];
            }
            var stratum = new JObject(given.Select((v, k) => new JProperty(model[v].Name, model[v].Categorical.States[codes[k]])));
            var o = new JObject { ["given"] = stratum, ["probability"] = p, ["probability_method"] = method(exact) };
            if (p > 0)
            {
                var e = GroundTruth.AverageTreatmentEffect(model, q, GroundTruthMethod.Auto, mc, evidence, interventions);
                o["cate"] = e.Estimate.Effect;
                o["standard_error"] = e.Estimate.StandardError;
                o["method"] = e.Method.ToString().ToLowerInvariant();
            }
            else o["cate"] = null;
            strata.Add(o);
            var i = given.Count - 1;
            while (i >= 0 && ++codes[i] == model[given[i]].Cardinality) codes[i--] = 0;
            if (i < 0) break;
        }
        return strata;
    }

    /// <summary>
    /// Per (model, regime, n): the audit's false-positive rate across the replicates — the mean of the datasets' rates, with a
    /// Student-t interval (K − 1 degrees of freedom) from their spread, clipped to [0, 1] (K independent datasets; the statements
    /// within one dataset are correlated, so the per-dataset Wilson interval is too narrow).
    /// </summary>
    private static JArray AuditSummaries(IReadOnlyList<JObject> records) => new(records.Where(r => r["audit"] is JObject)
        .GroupBy(r => ((string)r["model"]!, (string)r["regime"]!, (int)r["n"]!))
        .Select(g =>
        {
            var rates = g.Select(r => (double)r["audit"]!["rate"]!).ToArray();
            var mean = rates.Average();
            var se = rates.Length > 1 ? Math.Sqrt(rates.Sum(x => (x - mean) * (x - mean)) / (rates.Length - 1) / rates.Length) : double.NaN;
            var t = rates.Length > 1 ? MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, rates.Length - 1, 0.975) : double.NaN;
            return new JObject
            {
                ["model"] = g.Key.Item1, ["regime"] = g.Key.Item2, ["n"] = g.Key.Item3, ["replicates"] = rates.Length,
                ["alpha"] = g.First()["audit"]!["alpha"], ["test"] = g.First()["audit"]!["test"],
                ["false_positive_rate"] = mean, ["standard_error"] = Finite(se),
                ["lower"] = Finite(Math.Max(0, mean - t * se)), ["upper"] = Finite(Math.Min(1, mean + t * se)), ["interval"] = "Student t over the replicates",
            };
        }));

    /// <summary>Per (model, n, estimator) over the observational replicates: bias, RMSE and 95% coverage against the exact truth, with Monte Carlo standard errors.</summary>
    private static JArray BenchmarkSummaries(IReadOnlyList<JObject> records) => new(records.Where(r => r["estimates"] is JObject && r["headline"] is JValue { Type: JTokenType.Float or JTokenType.Integer })
        .SelectMany(r => ((JObject)r["estimates"]!).Properties().Select(p => (Record: r, Estimator: p.Name, Estimate: p.Value)))
        .GroupBy(x => ((string)x.Record["model"]!, (int)x.Record["n"]!, x.Estimator))
        .Select(g =>
        {
            var ok = g.Where(x => x.Estimate["estimate"]!.Type == JTokenType.Float).ToList();
            var truth = (double)g.First().Record["headline"]!;
            var errors = ok.Select(x => (double)x.Estimate["estimate"]! - truth).ToArray();
            var covered = ok.Count(x => (double)x.Estimate["lower"]! <= truth && truth <= (double)x.Estimate["upper"]!);
            var k = errors.Length;
            double bias = k > 0 ? errors.Average() : double.NaN;
            double sd = k > 1 ? Math.Sqrt(errors.Sum(e => (e - bias) * (e - bias)) / (k - 1)) : double.NaN;
            double coverage = k > 0 ? (double)covered / k : double.NaN;
            return new JObject
            {
                ["model"] = g.Key.Item1, ["n"] = g.Key.Item2, ["estimator"] = g.Key.Item3, ["replicates"] = k, ["failures"] = g.Count() - k, ["truth"] = truth,
                ["bias"] = Finite(bias), ["bias_se"] = Finite(sd / Math.Sqrt(k)), ["rmse"] = Finite(k > 0 ? Math.Sqrt(errors.Average(e => e * e)) : double.NaN),
                ["coverage"] = Finite(coverage), ["coverage_se"] = Finite(Math.Sqrt(coverage * (1 - coverage) / k)),
            };
        }));

    /// <summary>
    /// Per (model, regime, n): realizability over all the replicates' rows (units are independent, so the Wilson interval over
    /// rows is valid), mean rounds, and the mean of the datasets' selection bias (max TV between accepted and skeleton marginals)
    /// and of the audit's false-positive rate on the accepted rows.
    /// </summary>
    private static JArray RealizationSummaries(IReadOnlyList<JObject> records) => new(records.Where(r => r["realization"] is JObject)
        .GroupBy(r => ((string)r["model"]!, (string)r["regime"]!, (int)r["n"]!))
        .Select(g =>
        {
            var z = g.Select(r => (JObject)r["realization"]!).ToList();
            var rows = z.Sum(x => (int)x["rows"]!);
            var consistent = z.Sum(x => (int)x["consistent"]!);
            var wilson = BinomialInterval.Of(consistent, rows);
            var fpr = z.Where(x => x["audit_false_positive_rate"] is JValue { Type: JTokenType.Float or JTokenType.Integer }).Select(x => (double)x["audit_false_positive_rate"]!).ToList();
            return new JObject
            {
                ["model"] = g.Key.Item1, ["regime"] = g.Key.Item2, ["n"] = g.Key.Item3, ["replicates"] = z.Count,
                ["realizer"] = z[0]["realizer"], ["strategy"] = z[0]["strategy"], ["rows"] = rows, ["consistent"] = consistent,
                ["realizability"] = wilson.Rate, ["realizability_lower"] = wilson.Lower, ["realizability_upper"] = wilson.Upper,
                ["mean_rounds"] = z.Average(x => (double)x["mean_rounds"]!),
                ["max_tv"] = z.Average(x => (double)x["max_total_variation"]!),
                ["audit_false_positive_rate"] = fpr.Count > 0 ? fpr.Average() : null,
            };
        }));

    /// <summary>
    /// Writes <c>suite.json</c> (the suite's name and seed and every dataset's record) and <c>index.csv</c> (one row per
    /// dataset: key, folder, model, regime, n, replicate, seed, headline ATE) from the dataset folders in
    /// <paramref name="outDir"/>, sorted by key, so that any set of shards indexes to the same bytes. Returns the count.
    /// </summary>
    public static int Index(string outDir)
    {
        if (!Directory.Exists(outDir)) throw new InputFileException(outDir, "no such folder");
        var records = Directory.GetDirectories(outDir).Where(d => !Path.GetFileName(d).StartsWith(".tmp-", StringComparison.Ordinal))
            .Select(d => Path.Combine(d, RecordFile)).Where(File.Exists).Select(f => JObject.Parse(File.ReadAllText(f)))
            .OrderBy(r => (string?)r["key"], StringComparer.Ordinal).ToList();
        if (records.Count == 0) throw new InputFileException(outDir, "holds no suite datasets");
        var names = records.Select(r => (string?)r["suite"]!["name"]).Distinct().ToList();
        if (names.Count != 1) throw new ModelException($"{outDir} holds datasets of several suites: {string.Join(", ", names)}");
        var suite = new JObject
        {
            ["name"] = names[0], ["seed"] = records[0]["suite"]!["seed"],
            ["audits"] = AuditSummaries(records), ["benchmarks"] = BenchmarkSummaries(records), ["realizations"] = RealizationSummaries(records),
            ["datasets"] = new JArray(records),
        };
        using var artifacts = new ArtifactWriter();
        artifacts.Write(Path.Combine(outDir, "suite.json"), Encoding.UTF8.GetBytes(suite.ToString(Formatting.Indented) + "\n"));
        var csv = new StringBuilder("key,folder,model,regime,n,replicate,seed,ate,audit_rate\n");
        foreach (var r in records)
            csv.Append(string.Join(",", new[]
            {
                (string)r["key"]!, (string)r["folder"]!, (string)r["model"]!, (string)r["regime"]!,
                ((int)r["n"]!).ToString(CultureInfo.InvariantCulture), ((int)r["replicate"]!).ToString(CultureInfo.InvariantCulture),
                ((ulong)r["seed"]!).ToString(CultureInfo.InvariantCulture),
                r["headline"] is { Type: JTokenType.Float or JTokenType.Integer } h ? ((double)h).ToString("R", CultureInfo.InvariantCulture) : "",
                r["audit"] is JObject au ? ((double)au["rate"]!).ToString("R", CultureInfo.InvariantCulture) : "",
            }.Select(CsvTableWriter.Quote))).Append('\n');
        artifacts.Write(Path.Combine(outDir, "index.csv"), Encoding.UTF8.GetBytes(csv.ToString()));
        artifacts.Commit();
        return records.Count;
    }
}
