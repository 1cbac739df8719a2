using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HybridSynth.HybridBridge.Data;
using HybridSynth.HybridBridge.Estimators;
using HybridSynth.HybridBridge.Simulation;
using HybridSynth.Scm.Counterfactuals;
using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.Interventions;
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
/// <param name="Key">model/regime/n=N/r=R, e.g. <c>asia/do(smoke=yes)/n=1000/r=0</c>.</param>
/// <param name="Folder">The dataset's folder name: the key made safe for file systems, with a short hash of the key.</param>
/// <param name="Model">The suite model it comes from.</param>
/// <param name="Counterfactual">True for a counterfactual-pair dataset, false for a regime's sample.</param>
/// <param name="Assignments">The do() assignments of the regime or the counterfactual (empty: observational).</param>
/// <param name="N">The rows.</param>
/// <param name="Replicate">The replicate index r.</param>
/// <param name="Seed">The sampler seed, <see cref="Seeds.SuiteDataset"/> of the suite seed and the key.</param>
public sealed record SuiteDataset(string Key, string Folder, SuiteModel Model, bool Counterfactual, IReadOnlyList<string> Assignments, int N, int Replicate, ulong Seed)
{
    /// <summary>The regime's label: observational, do(A=a,B=b) or cf(do(A=a)).</summary>
    public string Regime => Counterfactual ? $"cf(do({string.Join(",", Assignments)}))" : Assignments.Count == 0 ? "observational" : $"do({string.Join(",", Assignments)})";

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
            var regimes = m.Regimes.Select(r => (false, (IReadOnlyList<string>)r.Order(StringComparer.Ordinal).ToList()))
                .Concat(m.Counterfactuals.Select(c => (true, (IReadOnlyList<string>)c.Order(StringComparer.Ordinal).ToList())));
            foreach (var (cf, assignments) in regimes)
                foreach (var n in m.Sizes)
                    for (var r = 0; r < m.Replicates; r++)
                    {
                        var probe = new SuiteDataset("", "", m, cf, assignments, n, r, 0);
                        var key = $"{m.Name}/{probe.Regime}/n={n}/r={r}";
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
    /// <param name="progress">Called with (datasets done, datasets of this shard) from any thread.</param>
    public static BuildResult Build(SuiteFile suite, string outDir, int jobs = 1, int shard = 1, int shards = 1, Action<int, int>? progress = null)
    {
        if (shards < 1 || shard < 1 || shard > shards) throw new ArgumentOutOfRangeException(nameof(shard), $"shard {shard} of {shards}");
        var plan = Plan(suite).Where(d => d.Shard(shards) == shard).ToList();
        Directory.CreateDirectory(outDir);
        RemoveStaleTemporaries(outDir);
        var models = new Dictionary<string, LoadedSpec>(StringComparer.Ordinal);
        foreach (var m in suite.Models) models[m.Name] = Validate(suite, m, Load(suite, m));
        // Truths depend on the model and the regime only, not on n or the replicate: computed once per regime.
        var truths = new System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<JObject>>(StringComparer.Ordinal);
        int built = 0, skipped = 0, done = 0;
        long rows = 0;
        Parallel.ForEach(plan, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, jobs) }, d =>
        {
            var spec = models[d.Model.Name];
            var final = Path.Combine(outDir, d.Folder);
            var hash = InputHash(suite, d, spec);
            if (IsComplete(final, hash)) Interlocked.Increment(ref skipped);
            else
            {
                BuildOne(suite, d, spec, outDir, hash, truths);
                Interlocked.Increment(ref built);
                Interlocked.Add(ref rows, d.N);
            }
            progress?.Invoke(Interlocked.Increment(ref done), plan.Count);
        });
        return new BuildResult(built, skipped, rows);
    }

    private static LoadedSpec Load(SuiteFile suite, SuiteModel m)
    {
        var isFile = !(m.Spec.StartsWith(SpecLoader.BuiltinPrefix, StringComparison.Ordinal) || m.Spec.StartsWith(NetworkRegistry.BnlearnPrefix, StringComparison.Ordinal)
            || m.Spec.StartsWith(RandomCausalModels.Prefix, StringComparison.Ordinal));
        var path = isFile && !Path.IsPathRooted(m.Spec) ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(suite.Path)) ?? "", m.Spec) : m.Spec;
        // Recorded as the suite names it, so that no record depends on where the suite was built.
        return SpecLoader.Load(path) with { Path = m.Spec };
    }

    /// <summary>Checks every regime, counterfactual and query of a model before anything is built, naming the model.</summary>
    private static LoadedSpec Validate(SuiteFile suite, SuiteModel m, LoadedSpec spec)
    {
        try
        {
            foreach (var a in m.Regimes.Concat(m.Counterfactuals).SelectMany(x => x)) InterventionParser.ParseHard(spec.Model, a);
            foreach (var q in m.Queries) TreatmentContrast.Resolve(spec.Model, q.Treatment, q.Outcome, q.Treated, q.Control, q.Event);
        }
        catch (Exception e) when (e is ModelException or SpecException)
        {
            throw new ModelException($"{suite.Path}: model '{m.Name}': {(e is SpecException se ? se.ToOneLine() : e.Message)}");
        }
        return spec;
    }

    private static string InputHash(SuiteFile suite, SuiteDataset d, LoadedSpec spec)
    {
        var o = new JObject
        {
            ["tool"] = RunManifest.Version, ["suite_seed"] = suite.Seed, ["key"] = d.Key, ["seed"] = d.Seed, ["spec_sha256"] = spec.Sha256,
            ["queries"] = JArray.FromObject(d.Model.Queries),
            ["audit"] = d.Model.Audit is null ? null : JObject.FromObject(d.Model.Audit),
            ["estimators"] = new JArray(d.Model.Estimators ?? []),
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

    private static void BuildOne(SuiteFile suite, SuiteDataset d, LoadedSpec spec, string outDir, string inputHash,
        System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<JObject>> truths)
    {
        var model = spec.Model;
        var temp = Path.Combine(outDir, $".tmp-{d.Folder}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            var interventions = d.Assignments.Select(a => (Intervention)InterventionParser.ParseHard(model, a)).ToList();
            var files = new JObject();
            void Put(string name, string text)
            {
                File.WriteAllText(Path.Combine(temp, name), text, new UTF8Encoding(false));
                files[name] = FileDigest.Sha256(Path.Combine(temp, name));
            }
            // The table and its manifest.
            var options = new SamplingOptions();
            var queries = d.Model.Queries.Select(q => TreatmentContrast.Resolve(model, q.Treatment, q.Outcome, q.Treated, q.Control, q.Event)).ToList();
            var poContrast = !d.Counterfactual && queries.Count > 0 && interventions.All(i => i.Variable != queries[0].Treatment) ? queries[0] : null;
            var job = d.Counterfactual
                ? CounterfactualJobs.Pairs(model, interventions, d.N, d.Seed, options)
                : SampleJobs.Sample(model.Intervene(interventions), d.N, d.Seed, options, poContrast);
            var dataPath = Path.Combine(temp, "data.csv");
            TableFormats.WriteJobWithManifest("csv", dataPath, job, Path.Combine(temp, "data.manifest.json"), table => new RunManifest
            {
                Command = "suite",
                Spec = spec,
                Seed = d.Seed,
                Rows = table.Rows,
                Interventions = interventions.Select(i => i.Describe(model)).ToList(),
                Options = new JObject { ["suite"] = suite.Name, ["suite_seed"] = suite.Seed, ["key"] = d.Key, ["counterfactual"] = d.Counterfactual },
                Columns = job.Schema,
                OutputPath = "data.csv",
                OutputFormat = "csv",
                OutputBytes = table.Length,
                OutputSha256 = table.Sha256,
            }.ToBytes());
            files["data.csv"] = FileDigest.Sha256(dataPath);
            files["data.manifest.json"] = FileDigest.Sha256(Path.Combine(temp, "data.manifest.json"));
            // Truths under the regime (for a counterfactual pair: under its do()).
            var truth = (JObject)truths.GetOrAdd($"{d.Model.Name}/{d.Regime}", _ => new Lazy<JObject>(() => Truth(suite, d, model, interventions, queries, poContrast))).Value.DeepClone();
            truth.AddFirst(new JProperty("key", d.Key));
            Put("truth.json", truth.ToString(Formatting.Indented) + "\n");
            // The audit of the implied independences (of the regime's mutilated graph) and the estimators.
            JObject? auditSummary = null, estimates = null;
            if (!d.Counterfactual && (d.Model.Audit is not null || (d.Model.Estimators?.Count > 0 && d.Assignments.Count == 0)))
            {
                var regimeModel = model.Intervene(interventions);
                var (table, _) = CsvTableReader.Read(dataPath, regimeModel);
                if (d.Model.Audit is { } a)
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
                if (d.Model.Estimators is { Count: > 0 } names && d.Assignments.Count == 0)
                {
                    var q = queries[0];
                    var data = CausalData.From(table, model[q.Treatment].Name, model[q.Outcome].Name, SimulationEngine.Covariates(model, q), (q.TreatedCode, q.ControlCode), q.Scale);
                    var results = EstimatorRegistry.EstimateOrNaN(names, data, new NuisanceOptions());
                    estimates = new JObject(results.Select(e => new JProperty(e.Key, new JObject
                    {
                        ["estimate"] = Finite(e.Value.Estimate), ["standard_error"] = Finite(e.Value.StandardError),
                        ["lower"] = Finite(e.Value.Lower), ["upper"] = Finite(e.Value.Upper),
                    })));
                    Put("estimates.json", new JObject { ["contrast"] = q.ToJson(model), ["covariates"] = new JArray(SimulationEngine.Covariates(model, q)), ["estimates"] = estimates }.ToString(Formatting.Indented) + "\n");
                }
            }
            // The graph and the model.
            Put("graph.dot", GraphFormats.Dot(model.Graph, model.Name));
            Put("graph.gml", GraphFormats.Gml(model.Graph, model.Name));
            Put("adjacency.csv", GraphFormats.AdjacencyCsv(model.Graph));
            string? modelFile = null, modelNote = null;
            try { Put("model.bif", BifWriter.Write(model)); modelFile = "model.bif"; }
            catch (ModelException)
            {
                try { Put("model.json", JsonSpecWriter.Write(model)); modelFile = "model.json"; }
                catch (ModelException e) { modelNote = e.Message; }
            }
            var record = new JObject
            {
                ["suite"] = new JObject { ["name"] = suite.Name, ["seed"] = suite.Seed },
                ["key"] = d.Key,
                ["folder"] = d.Folder,
                ["model"] = d.Model.Name,
                ["spec"] = new JObject { ["path"] = spec.Path, ["sha256"] = spec.Sha256 },
                ["regime"] = d.Regime,
                ["counterfactual"] = d.Counterfactual,
                ["n"] = d.N,
                ["replicate"] = d.Replicate,
                ["seed"] = d.Seed,
                ["model_file"] = modelFile,
                ["model_note"] = modelNote,
                ["headline"] = truth["effects"]!.FirstOrDefault()?["ate"],
                ["audit"] = auditSummary,
                ["estimates"] = estimates,
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

    private static JToken Finite(double x) => double.IsFinite(x) ? x : JValue.CreateNull();

    private static JObject Truth(SuiteFile suite, SuiteDataset d, CausalModel model, List<Intervention> interventions, List<TreatmentContrast> queries, TreatmentContrast? poContrast)
    {
        var mc = new MonteCarloSettings(MonteCarloUnits, Seeds.SuiteTruth(suite.Seed, $"{d.Model.Name}/{d.Regime}"));
        var marginals = new JObject();
        for (var v = 0; v < model.Count; v++)
        {
            var t = GroundTruth.Distribution(model, v, GroundTruthMethod.Auto, mc, interventions: interventions);
            var entry = new JObject { ["method"] = t.Exact ? "exact (variable elimination)" : $"Monte Carlo ({MonteCarloUnits:N0} units)" };
            if (model[v].IsCategorical)
                entry["distribution"] = new JObject(model[v].Categorical.States.Select((s, k) => new JProperty(s, t.Values[k])));
            else entry["mean"] = t.Values[0];
            if (t.StandardErrors is { } se) entry["standard_errors"] = new JArray(se);
            marginals[model[v].Name] = entry;
        }
        var effects = new JArray();
        foreach (var q in queries)
        {
            if (interventions.Any(i => i.Variable == q.Treatment)) continue; // the regime fixes the treatment: no contrast
            var e = GroundTruth.AverageTreatmentEffect(model, q, GroundTruthMethod.Auto, mc, interventions: interventions);
            effects.Add(new JObject
            {
                ["contrast"] = q.ToJson(model),
                ["ate"] = e.Estimate.Effect,
                ["standard_error"] = e.Estimate.StandardError,
                ["method"] = e.Method.ToString().ToLowerInvariant(),
            });
        }
        var o = new JObject
        {
            ["regime"] = d.Regime,
            ["interventions"] = new JArray(interventions.Select(i => i.Describe(model))),
            ["marginals"] = marginals,
            ["effects"] = effects,
        };
        if (poContrast is not null)
            o["potential_outcomes"] = $"the table's columns {poContrast.PotentialOutcomeColumn(model, false)}, {poContrast.PotentialOutcomeColumn(model, true)} and ite are each unit's potential outcomes under the first query's arms (the same noise as the row)";
        if (d.Counterfactual)
            o["counterfactuals"] = "each row holds the unit's factual values and, in the *_cf columns, its values under the do() of this dataset (the same noise)";
        return o;
    }

    /// <summary>
    /// Per (model, regime, n): the audit's false-positive rate across the replicates — the mean of the datasets' rates, with a
    /// normal interval from their spread (K independent datasets; the statements within one dataset are correlated, so the
    /// per-dataset Wilson interval is too narrow).
    /// </summary>
    private static JArray AuditSummaries(IReadOnlyList<JObject> records) => new(records.Where(r => r["audit"] is JObject)
        .GroupBy(r => ((string)r["model"]!, (string)r["regime"]!, (int)r["n"]!))
        .Select(g =>
        {
            var rates = g.Select(r => (double)r["audit"]!["rate"]!).ToArray();
            var mean = rates.Average();
            var se = rates.Length > 1 ? Math.Sqrt(rates.Sum(x => (x - mean) * (x - mean)) / (rates.Length - 1) / rates.Length) : double.NaN;
            return new JObject
            {
                ["model"] = g.Key.Item1, ["regime"] = g.Key.Item2, ["n"] = g.Key.Item3, ["replicates"] = rates.Length,
                ["alpha"] = g.First()["audit"]!["alpha"], ["test"] = g.First()["audit"]!["test"],
                ["false_positive_rate"] = mean, ["standard_error"] = Finite(se),
                ["lower"] = Finite(mean - Scm.Numerics.SpecialFunctions.Z975 * se), ["upper"] = Finite(mean + Scm.Numerics.SpecialFunctions.Z975 * se),
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
            ["audits"] = AuditSummaries(records), ["benchmarks"] = BenchmarkSummaries(records),
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
