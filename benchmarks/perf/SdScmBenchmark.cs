using System.Diagnostics;
using System.Globalization;
using HybridSynth.Lm.Gguf;
using HybridSynth.Lm.Mechanisms;
using HybridSynth.Lm.Llama;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Sampling;

namespace HybridSynth.Perf;

/// <summary>
/// Cost of the breast-cancer SD-SCM per 1,000 rows under four strategies: (a) naive — every row,
/// every variable, every candidate re-evaluated from an empty cache, as the published code does;
/// (b) trie batching without memoisation; (c) trie batching plus memoisation; (d) the default: (c)
/// plus the KV cache of shared prefixes kept between prompts, with depth-first sampling so that each
/// distinct prefix of a chunk's rows is decoded once. On stories260K and on a random-weight model with
/// the shape of a 135M-parameter Q8_0 model that it writes itself. Slow strategies run on fewer rows
/// and are scaled to 1,000 (noted in the table). (d) is also timed with 2 llama.cpp threads.
/// </summary>
public static class SdScmBenchmark
{
    public static int Run(List<string> args, string repoRoot)
    {
        string Arg(string name, string fallback)
        {
            var i = args.IndexOf(name);
            return i >= 0 && i + 1 < args.Count ? args[i + 1] : fallback;
        }
        var spec = Path.Combine(repoRoot, "benchmarks", "dags", "breast_cancer_sdscm.json");
        var models = new List<(string Name, string Path, int NaiveRows, int TrieRows, int MemoRows)>();
        var cacheRows = int.Parse(Arg("--rows", "1000"), CultureInfo.InvariantCulture);
        var stories = Path.GetFullPath(Path.Combine(repoRoot, "..", "shared", "models", "stories260K.gguf"));
        if (File.Exists(stories))
            models.Add(("stories260K (F32)", stories, int.Parse(Arg("--naive-rows", "5"), CultureInfo.InvariantCulture), 20, 1000));
        if (!args.Contains("--no-135m"))
        {
            var path = Path.Combine(Path.GetTempPath(), "hybridsynth-perf-135m-q8_0.gguf");
            var sw = Stopwatch.StartNew();
            SyntheticModel.Write(path, ModelShape.Small135M, 1, quantized: true);
            Console.Error.WriteLine($"wrote a 135M-shaped Q8_0 model ({new FileInfo(path).Length / 1e6:0} MB) in {sw.Elapsed.TotalSeconds:0.0} s");
            models.Add(("135M shape (Q8_0, random weights)", path, 1, 2, int.Parse(Arg("--memo-rows-135m", "100"), CultureInfo.InvariantCulture)));
        }
        var results = new List<string>();
        foreach (var (name, path, naiveRows, trieRows, memoRows) in models)
        {
            var cache = name.StartsWith("stories", StringComparison.Ordinal) ? cacheRows : memoRows;
            foreach (var (strategy, rows, memoise, scoring, threads) in new[]
            {
                ("(a) naive, per row and candidate", naiveRows, false, ScoringStrategy.Naive, 1),
                ("(b) trie batching", trieRows, false, ScoringStrategy.Trie, 1),
                ("(c) trie + memoisation", memoRows, true, ScoringStrategy.Trie, 1),
                ("(d) (c) + KV prefix cache, depth first (default)", cache, true, ScoringStrategy.PrefixCache, 1),
                ("(d) with 2 llama.cpp threads", cache, true, ScoringStrategy.PrefixCache, 2),
            })
            {
                if (threads > LlamaModelOptions.MaxThreads) continue;
                using var lm = LlamaModel.Load(path, new LlamaModelOptions { Threads = threads, ContextSize = 1024, Strategy = scoring });
                var session = new LanguageModelSession(lm, new SdScmOptions { Memoise = memoise });
                var model = SpecLoader.Load(spec, session.Readers).Model;
                var sampler = new AncestralSampler(model, 1);
                var sw = Stopwatch.StartNew();
                sampler.SampleRange(0, rows);
                var seconds = sw.Elapsed.TotalSeconds;
                var scale = 1000.0 / rows;
                var stats = lm.Statistics;
                results.Add($"| {name} | {strategy} | {rows} | {stats.TokensDecoded * scale:N0} | {stats.TokensReused * scale:N0} | {seconds * scale:0.0} | {rows / seconds:0.0} | {(memoise ? session.DistinctPrompts.ToString(CultureInfo.InvariantCulture) : "—")} |");
                Console.Error.WriteLine(results[^1]);
            }
        }
        Console.WriteLine($"Breast-cancer SD-SCM (14 language-model variables), LLamaSharp {LlamaRuntime.EnsureInitialized().LlamaSharpVersion} ({LlamaRuntime.EnsureInitialized().Variant}); per 1,000 rows (measured rows scaled to 1,000)");
        Console.WriteLine();
        Console.WriteLine("| model | strategy | rows measured | tokens decoded per 1,000 rows | prompt tokens kept in the KV cache per 1,000 rows | seconds per 1,000 rows | rows/s | distinct prompts |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results) Console.WriteLine(r);
        return 0;
    }
}
