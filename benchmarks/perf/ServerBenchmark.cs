using System.Diagnostics;
using System.Globalization;
using HybridSynth.Lm;
using HybridSynth.Lm.Llama;
using HybridSynth.Lm.Mechanisms;
using HybridSynth.Lm.Server;
using HybridSynth.LmServer;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Sampling;

namespace HybridSynth.Perf;

/// <summary>
/// The server backend against HybridSynth's own OpenAI-compatible server on a loopback port (stories260K
/// behind it): the breast-cancer SD-SCM sampled through the server at concurrency 1, 4 and 16, beside
/// the same rows scored in process. Reports requests/s, rows/s and the overhead per scored prompt.
/// </summary>
public static class ServerBenchmark
{
    public static int Run(List<string> args, string repoRoot)
    {
        var rowsArg = args.IndexOf("--rows");
        var rows = rowsArg >= 0 ? int.Parse(args[rowsArg + 1], CultureInfo.InvariantCulture) : 300;
        var stories = Path.GetFullPath(Path.Combine(repoRoot, "..", "shared", "models", "stories260K.gguf"));
        if (!File.Exists(stories)) { Console.Error.WriteLine("needs ../shared/models/stories260K.gguf"); return 2; }
        var spec = Path.Combine(repoRoot, "benchmarks", "dags", "breast_cancer_sdscm.json");
        var lines = new List<string>();

        double Sample(ILanguageModel model, out long prompts)
        {
            var session = new LanguageModelSession(model);
            var m = SpecLoader.Load(spec, session.Readers).Model;
            var sw = Stopwatch.StartNew();
            new AncestralSampler(m, 1).SampleRange(0, rows);
            prompts = session.DistinctPrompts;
            return sw.Elapsed.TotalSeconds;
        }

        using (var local = LlamaModel.Load(stories, new LlamaModelOptions { Threads = 1 }))
        {
            var seconds = Sample(local, out var prompts);
            lines.Add($"| in process (LLamaSharp, prefix cache) | — | {prompts} | — | — | {rows / seconds:0.0} | {seconds / prompts * 1000:0.00} |");
        }
        using var behind = LlamaModel.Load(stories, new LlamaModelOptions { Threads = 1 });
        var server = new OpenAiCompatibleServer(behind, "stories260K");
        var (app, url) = server.StartOnLoopback();
        try
        {
            using (var warm = new ServerLanguageModel(new ServerOptions { BaseUrl = url, Model = "stories260K" })) Sample(warm, out _);
            foreach (var k in new[] { 1, 4, 16 })
            {
                using var client = new ServerLanguageModel(new ServerOptions { BaseUrl = url, Model = "stories260K", Concurrency = k });
                var before = server.Requests.Values.Sum();
                var seconds = Sample(client, out var prompts);
                var requests = server.Requests.Values.Sum() - before;
                lines.Add($"| server on loopback | {k} | {prompts} | {requests} | {requests / seconds:0.0} | {rows / seconds:0.0} | {seconds / prompts * 1000:0.00} |");
            }
            // The HTTP and JSON cost alone: tokenize requests, which cost the server almost nothing.
            foreach (var k in new[] { 1, 4, 16 })
            {
                using var client = new ServerLanguageModel(new ServerOptions { BaseUrl = url, Model = "stories260K", Concurrency = k });
                var texts = Enumerable.Range(0, 2000).Select(i => $"probe {i} of the tokenize endpoint").ToArray();
                var sw = Stopwatch.StartNew();
                Parallel.ForEach(texts, new ParallelOptions { MaxDegreeOfParallelism = k }, t => client.Tokenize(t, true));
                lines.Add($"| /tokenize only (HTTP + JSON overhead) | {k} | — | 2000 | {2000 / sw.Elapsed.TotalSeconds:0} | — | {sw.Elapsed.TotalMilliseconds / 2000:0.000} per request |");
            }
        }
        finally
        {
            app.StopAsync().GetAwaiter().GetResult();
        }
        Console.WriteLine($"Breast-cancer SD-SCM, {rows} rows, stories260K (1 llama.cpp thread) in process and behind `hybridsynth serve`'s server on 127.0.0.1");
        Console.WriteLine();
        Console.WriteLine("| scoring | concurrency | distinct prompts | HTTP requests | requests/s | rows/s | ms per scored prompt |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var l in lines) Console.WriteLine(l);
        return 0;
    }
}
