using System.Diagnostics;
using System.Globalization;
using HybridSynth.Lm.Gguf;
using HybridSynth.Lm.Mechanisms;
using HybridSynth.Lm.Runtime;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Sampling;

namespace HybridSynth.Perf;

/// <summary>
/// Cost of the breast-cancer SD-SCM per 1,000 rows under three strategies: (a) naive — every row,
/// every variable, every candidate re-evaluated from an empty cache, as the published code does;
/// (b) trie batching without memoisation; (c) trie batching plus memoisation. On stories260K and on
/// a random-weight model with the shape of a 135M-parameter Q8_0 model that it writes itself.
/// Slow strategies run on fewer rows and are scaled to 1,000 (noted in the table).
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
            foreach (var (strategy, rows, options) in new[]
            {
                ("(a) naive, per row and candidate", naiveRows, new SdScmOptions { Batched = false, Memoise = false }),
                ("(b) trie batching", trieRows, new SdScmOptions { Batched = true, Memoise = false }),
                ("(c) trie + memoisation", memoRows, new SdScmOptions { Batched = true, Memoise = true }),
            })
            {
                using var lm = LanguageModel.Load(path, new LanguageModelOptions { Threads = 1, ContextSize = 1024 });
                var session = new LanguageModelSession(lm, options);
                var model = SpecLoader.Load(spec, session.Readers).Model;
                var sampler = new AncestralSampler(model, 1);
                var sw = Stopwatch.StartNew();
                sampler.SampleRange(0, rows);
                var seconds = sw.Elapsed.TotalSeconds;
                var scale = 1000.0 / rows;
                results.Add($"| {name} | {strategy} | {rows} | {lm.TokensEvaluated * scale:N0} | {seconds * scale:0.0} | {(options.Memoise ? session.DistinctPrompts.ToString(CultureInfo.InvariantCulture) : "—")} |");
                Console.Error.WriteLine(results[^1]);
            }
        }
        Console.WriteLine("Breast-cancer SD-SCM (14 language-model variables), 1 llama.cpp thread; per 1,000 rows (measured rows scaled to 1,000)");
        Console.WriteLine();
        Console.WriteLine("| model | strategy | rows measured | tokens evaluated per 1,000 rows | seconds per 1,000 rows | distinct prompts |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|");
        foreach (var r in results) Console.WriteLine(r);
        return 0;
    }
}
