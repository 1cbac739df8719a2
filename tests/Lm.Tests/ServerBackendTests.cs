using System.Globalization;
using HybridSynth.Lm.Caching;
using HybridSynth.Lm.Llama;
using HybridSynth.Lm.Mechanisms;
using HybridSynth.Lm.Server;
using HybridSynth.LmServer;
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Sampling;
using HybridSynth.Scm.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;
using NUnit.Framework;

namespace HybridSynth.Lm.Tests;

/// <summary>The OpenAI-compatible server backend against an in-process server (ASP.NET Core TestHost) whose log-probabilities come from the local llama.cpp model.</summary>
public class ServerBackendTests
{
    private static readonly string[] Candidates = { "2", "25", "250", "high", "higher", "low", "post-menopausal", "x" };

    /// <summary>A local model, the server over it, and a client handler into it.</summary>
    internal sealed class Rig : IDisposable
    {
        public LlamaModel Local { get; }
        public OpenAiCompatibleServer Server { get; }
        private readonly IHost _host;
        public HttpMessageHandler Handler { get; }

        public Rig(LlamaModel local, string? apiKey = null)
        {
            Local = local;
            Server = new OpenAiCompatibleServer(local, "test-model", apiKey);
            _host = new HostBuilder().ConfigureWebHost(w => w.UseTestServer().Configure(app => Server.Map(app))).Start();
            Handler = _host.GetTestServer().CreateHandler();
        }

        public ServerLanguageModel Client(int concurrency = 4, int retries = 3, double timeout = 30, string? apiKey = null) => new(new ServerOptions
        {
            BaseUrl = new Uri("http://localhost/"),
            Model = "test-model",
            Concurrency = concurrency,
            MaxRetries = retries,
            Timeout = TimeSpan.FromSeconds(timeout),
            InitialBackoff = TimeSpan.FromMilliseconds(5),
            ApiKey = apiKey,
        }, Handler);

        public void Dispose()
        {
            _host.Dispose();
            Local.Dispose();
        }
    }

    [Test]
    public void ScoresThroughTheServer_EqualInProcessScores()
    {
        using var rig = new Rig(Fixtures.Tiny());
        using var client = rig.Client();
        Assert.That(client.Identity.Kind, Is.EqualTo("server"));
        Assert.That(client.ContextSize, Is.EqualTo(rig.Local.ContextSize));
        foreach (var prompt in new[] { "The value is ", "", "a = 1, b = ", "Colour: r. Treated: " })
            Assert.That(client.Score(prompt, Candidates, ScoringMode.ChainRule), Is.EqualTo(rig.Local.Score(prompt, Candidates, ScoringMode.ChainRule)).Within(1e-4), prompt);
        var many = client.ScoreMany(new[] { new ScoreRequest("x = ", Candidates, ScoringMode.ChainRule), new ScoreRequest("y = ", Candidates, ScoringMode.ChainRule) });
        Assert.That(many[1], Is.EqualTo(rig.Local.Score("y = ", Candidates, ScoringMode.ChainRule)).Within(1e-4));
    }

    [Test]
    public void Stories260K_ThroughTheServer_EqualsInProcess_For_SentencePieceBoundaries()
    {
        using var rig = new Rig(Fixtures.Stories());
        using var client = rig.Client();
        const string prompt = "Once upon a time, there was a little girl. She was ";
        Assert.That(client.Score(prompt, Candidates, ScoringMode.ChainRule), Is.EqualTo(rig.Local.Score(prompt, Candidates, ScoringMode.ChainRule)).Within(1e-4));
    }

    [Test]
    public void Mechanisms_AndExactTabulation_ThroughTheServer_MatchInProcess()
    {
        using var rig = new Rig(Fixtures.Tiny());
        using var client = rig.Client(concurrency: 8);
        var viaServer = new LanguageModelSession(client);
        var local = new LanguageModelSession(rig.Local);
        var ms = JsonSpecReader.Read(SdScmTests.Spec, "sparse.json", viaServer.Readers);
        var ml = JsonSpecReader.Read(SdScmTests.Spec, "sparse.json", local.Readers);
        // The reference-scored variable E cannot go through a server: replace it by chain rule in both.
        var spec = SdScmTests.Spec.Replace("\"scoring\": \"reference\"", "\"scoring\": \"chain_rule\"");
        ms = JsonSpecReader.Read(spec, "sparse.json", viaServer.Readers);
        ml = JsonSpecReader.Read(spec, "sparse.json", local.Readers);
        var a = new AncestralSampler(ms, 5).SampleRange(0, 300);
        var b = new AncestralSampler(ml, 5).SampleRange(0, 300);
        for (var v = 0; v < ms.Count; v++) Assert.That(a.Columns[v], Is.EqualTo(b.Columns[v]), ms[v].Name);
        var d = ms.IndexOf("D");
        Assert.That(new VariableElimination(ms).Query(d), Is.EqualTo(new VariableElimination(ml).Query(d)).Within(1e-4));
        var sm = ExactEffects.AverageTreatmentEffect(ms, TreatmentContrast.Resolve(ms, null, null));
        var lm = ExactEffects.AverageTreatmentEffect(ml, TreatmentContrast.Resolve(ml, null, null));
        Assert.That(sm.Effect, Is.EqualTo(lm.Effect).Within(1e-4));
    }

    [Test]
    public void ReferenceScoring_IsRefusedWithAClearMessage()
    {
        using var rig = new Rig(Fixtures.Tiny());
        using var client = rig.Client();
        var e = Assert.Throws<LanguageModelUnavailableException>(() => client.Score("x", Candidates, ScoringMode.Reference))!;
        Assert.That(e.Message, Does.Contain("--scoring chain_rule"));
    }

    [Test]
    public void Faults_AreRetried_AndTheScoresAreUnchanged()
    {
        using var rig = new Rig(Fixtures.Tiny());
        using var client = rig.Client(concurrency: 1, retries: 6, timeout: 1);
        var expected = client.Score("v = ", Candidates, ScoringMode.ChainRule);
        foreach (var f in new[] { new Fault(FaultKind.ServerError), new Fault(FaultKind.TooManyRequests, 0), new Fault(FaultKind.MalformedJson), new Fault(FaultKind.Abort), new Fault(FaultKind.Delay, 3) })
            rig.Server.Faults.Enqueue(f);
        var before = client.Traffic;
        Assert.That(client.Score("v = ", Candidates, ScoringMode.ChainRule), Is.EqualTo(expected));
        Assert.That(client.Traffic.Retries - before.Retries, Is.EqualTo(5));
    }

    [Test]
    public void AfterTheLastRetry_TheErrorIsOneClearLine()
    {
        using var rig = new Rig(Fixtures.Tiny());
        using var client = rig.Client(retries: 2);
        client.Score("v = ", Candidates, ScoringMode.ChainRule); // tokenisations cached: the faults hit the scoring request
        rig.Server.Requests.Clear();
        for (var i = 0; i < 3; i++) rig.Server.Faults.Enqueue(new Fault(FaultKind.ServerError));
        var e = Assert.Throws<LanguageModelUnavailableException>(() => client.Score("v = ", Candidates, ScoringMode.ChainRule))!;
        Assert.That(e.Message, Does.Contain("failed after 3 tries").And.Contain("500"));
        Assert.That(e.Message, Does.Not.Contain("\n"));
    }

    [Test]
    public void ApiKey_IsSentAsAHeaderOnly_AndAWrongKeyIsRefusedWithoutEchoingIt()
    {
        using var rig = new Rig(Fixtures.Tiny(), apiKey: "s3cret-key");
        using (var client = rig.Client(apiKey: "s3cret-key"))
        {
            Assert.That(client.Score("v = ", Candidates, ScoringMode.ChainRule).All(double.IsFinite));
            Assert.That(rig.Server.AuthorizationHeaders, Is.All.EqualTo("Bearer s3cret-key"));
            Assert.That(string.Join(" ", client.Identity.Properties.Values), Does.Not.Contain("s3cret"));
        }
        var e = Assert.Catch<LanguageModelUnavailableException>(() => rig.Client(apiKey: "wrong-key-123"))!;
        Assert.That(e.Message, Does.Contain("401").And.Not.Contain("wrong-key-123"));
    }

    [Test]
    public void ScoreCache_ResumesAnInterruptedRun_WithoutAskingTheServerAgain()
    {
        using var rig = new Rig(Fixtures.Tiny());
        var dir = Path.Combine(Paths.TempDir(), "cache");
        var prompts = Enumerable.Range(0, 12).Select(i => $"item {i} is ").ToArray();
        double[][] expected;
        using (var plain = rig.Client()) expected = prompts.Select(p => plain.Score(p, Candidates, ScoringMode.ChainRule)).ToArray();
        // Run 1: the server goes down after 5 prompts.
        using (var client = new CachedLanguageModel(rig.Client(retries: 1), new ScoreCache(dir)))
        {
            for (var i = 0; i < 5; i++) client.Score(prompts[i], Candidates, ScoringMode.ChainRule);
            rig.Server.Down = true;
            Assert.Throws<LanguageModelUnavailableException>(() => client.Score(prompts[5], Candidates, ScoringMode.ChainRule));
            rig.Server.Down = false;
        }
        // Run 2: the five are read from the cache; only seven prompts go to the server.
        var before = rig.Server.Requests.GetValueOrDefault("/v1/completions");
        using (var client = new CachedLanguageModel(rig.Client(), new ScoreCache(dir)))
        {
            var scores = prompts.Select(p => client.Score(p, Candidates, ScoringMode.ChainRule)).ToArray();
            for (var i = 0; i < prompts.Length; i++) Assert.That(scores[i], Is.EqualTo(expected[i]), prompts[i]);
            Assert.That(client.Cache.Hits, Is.EqualTo(5));
        }
        Assert.That(rig.Server.Requests["/v1/completions"] - before, Is.EqualTo(7));
        Assert.That(Directory.GetFiles(dir, "*.tmp-*", SearchOption.AllDirectories), Is.Empty);
        // A damaged entry is ignored and rewritten.
        var entry = Directory.GetFiles(dir, "*.json", SearchOption.AllDirectories)[0];
        File.WriteAllText(entry, "{\"key\": \"tru");
        using (var client = new CachedLanguageModel(rig.Client(), new ScoreCache(dir)))
        {
            foreach (var p in prompts) client.Score(p, Candidates, ScoringMode.ChainRule);
            Assert.That(client.Cache.Damaged, Is.EqualTo(1));
        }
    }

    [Test]
    public void RealizerAndCovariateGenerator_RunThroughTheServer_AsInProcess()
    {
        using var rig = new Rig(Fixtures.Tiny(new LlamaModelOptions { ContextSize = 2048 }));
        using var client = rig.Client();
        // The GReaT-style covariate generator: the same draws through the server as in process.
        var w1 = Enumerable.Range(0, 30).Select(i => (double)(i % 2)).ToArray();
        var table = new HybridSynth.HybridBridge.Generators.ColumnTable(new[] { "W1" }, new[] { w1 });
        var viaServer = new HybridSynth.HybridBridge.Generators.LanguageModelGenerator(new LanguageModelSession(client), examples: 2).Fit(table, 1).Sample(15, 3);
        var local = new HybridSynth.HybridBridge.Generators.LanguageModelGenerator(new LanguageModelSession(rig.Local), examples: 2).Fit(table, 1).Sample(15, 3);
        Assert.That(viaServer.Columns, Is.EqualTo(local.Columns));
        // The constrained LM realizer through the server's chat endpoint and grammar support: the note the model writes in process.
        var m = SpecLoader.Load(SpecLoader.DefaultSpec).Model;
        var lexicon = new HybridSynth.Verifier.Extraction.TextLexicon(m);
        var values = Enumerable.Range(0, m.Count).Select(v => 0.0).ToArray();
        string Note(ILanguageModel lm) => new HybridSynth.Realizer.Realizers.LanguageModelRealizer(lm, lexicon, 1, constrained: true, maxTokens: 64)
            .Realize(0, values, Array.Empty<HybridSynth.Realizer.Realizers.Correction>(), 1);
        var text = Note(client);
        Assert.That(text, Is.EqualTo(Note(rig.Local)));
        for (var v = 0; v < m.Count; v++) Assert.That(text, Does.Contain(HybridSynth.Realizer.Realizers.LanguageModelRealizer.FactSentence(lexicon.Entries[v], 0)), text);
    }

    [Test]
    public void ConstrainedGeneration_ThroughTheServer()
    {
        using var rig = new Rig(Fixtures.Tiny(new LlamaModelOptions { ContextSize = 1024 }));
        using var client = rig.Client();
        var constraint = new TextConstraint(new[] { TextSegment.Filler, TextSegment.Literal(" Asia is yes.") });
        var text = client.Generate("Facts:", new GenerationRequest(80, 3, 0.8, constraint));
        Assert.That(text, Does.Match(@"^( [a-z]{2,10}\.)? Asia is yes\.$"), text);
    }
}

/// <summary>Microsoft.ML.Tokenizers against llama.cpp on the GPT-2 vocabulary.</summary>
public class LocalTokenizerTests
{
    [Test]
    public void Gpt2_TokenisesLikeLlamaCpp_OnThousandsOfStrings()
    {
        var path = Paths.Shared("models/ggml-vocab-gpt-2.gguf");
        Fixtures.RequireRuntime();
        using var llama = LlamaModel.LoadVocabulary(path);
        var local = LocalTokenizer.FromGguf(path);
        var rng = new Random(11);
        var words = new[] { "The", "patient", "is", "45", "years", "old", "hypertension", "type", "2", "diabetes", "mellitus", "PD-L1", "high", "low",
            "post-menopausal", "HER2+", "grade", "III", "café", "naïve", "x", "don't", "it's", "we'll", "1,000", "3.14", "(a)", "[b]", "e.g.", "😀", "日本", "\t", "\n", "  " };
        var strings = new List<string>();
        for (var i = 0; i < 3000; i++)
        {
            var n = rng.Next(1, 8);
            var parts = Enumerable.Range(0, n).Select(_ => words[rng.Next(words.Length)]);
            var sep = rng.Next(4) switch { 0 => "", 1 => "  ", _ => " " };
            strings.Add(string.Join(sep, parts) + (rng.Next(3) == 0 ? " " : ""));
        }
        // The boundary cases of continuation tokenisation: a prompt ending in a space, then a value.
        strings.AddRange(new[] { "The patient is ", "The patient is 45", "Age: 25", "Age:25", " 45", "45", "is  45", "a\n45", "" });
        var mismatches = strings.Where(s => !local.Tokenize(s, false).SequenceEqual(llama.Tokenize(s, false))).ToList();
        Assert.That(mismatches, Is.Empty, string.Join(" | ", mismatches.Take(5)));
    }
}

/// <summary>(In Lm.Tests: it creates llama.cpp contexts.) The verbs with --lm-server against a server on a loopback port.</summary>
public class ServerCommandTests
{
    private static string _model = "";
    private static string _spec = "";

    [OneTimeSetUp]
    public void Fixtures_()
    {
        var dir = Cli.Tests.CliRunner.TempDir();
        _model = Path.Combine(dir, "tiny.gguf");
        Gguf.SyntheticModel.Write(_model, Gguf.ModelShape.Tiny, 11);
        _spec = Path.Combine(dir, "sparse.json");
        File.WriteAllText(_spec, SdScmTests.Spec.Replace("\"scoring\": \"reference\"", "\"scoring\": \"chain_rule\""));
    }

    private static (OpenAiCompatibleServer Server, WebApplication App, string Url) Start(string? apiKey = null)
    {
        Fixtures.RequireRuntime();
        var local = LlamaModel.Load(_model, new LlamaModelOptions { Threads = 1 });
        var server = new OpenAiCompatibleServer(local, "tiny", apiKey);
        var (app, url) = server.StartOnLoopback();
        return (server, app, url.ToString().TrimEnd('/'));
    }

    private static void Stop((OpenAiCompatibleServer Server, WebApplication App, string Url) s)
    {
        s.App.StopAsync().GetAwaiter().GetResult();
        s.App.DisposeAsync().AsTask().GetAwaiter().GetResult();
        s.Server.Model.Dispose();
    }

    private static (int Code, string Out, string Err) Sdscm(string url, string output, params string[] extra) =>
        Cli.Tests.CliRunner.Run(new[] { "sdscm", "--spec", _spec, "--lm-server", url, "--lm-model", "tiny", "-n", "200", "--seed", "4", "-o", output, "--lm-retries", "1", "--lm-timeout", "5" }.Concat(extra).ToArray());

    [Test]
    public void Sdscm_ThroughAServer_EqualsTheLocalModel_AndIsIndependentOfConcurrency()
    {
        var s = Start();
        try
        {
            var dir = Cli.Tests.CliRunner.TempDir();
            var (c1, _, e1) = Sdscm(s.Url, Path.Combine(dir, "k1.csv"), "--lm-concurrency", "1", "--no-score-cache", "--probabilities");
            Assert.That(c1, Is.EqualTo(0), e1);
            var (c8, _, e8) = Sdscm(s.Url, Path.Combine(dir, "k8.csv"), "--lm-concurrency", "8", "--no-score-cache", "--probabilities", "--threads", "2", "--chunk-size", "37");
            Assert.That(c8, Is.EqualTo(0), e8);
            Assert.That(File.ReadAllBytes(Path.Combine(dir, "k8.csv")), Is.EqualTo(File.ReadAllBytes(Path.Combine(dir, "k1.csv"))));
            var (cl, _, el) = Cli.Tests.CliRunner.Run("sdscm", "--spec", _spec, "--model", _model, "-n", "200", "--seed", "4", "-o", Path.Combine(dir, "local.csv"), "--lm-threads", "1");
            Assert.That(cl, Is.EqualTo(0), el);
            // The same values; the probabilities agree within 1e-4 (another decode order rounds differently).
            var server = File.ReadAllLines(Path.Combine(dir, "k1.csv"));
            var local = File.ReadAllLines(Path.Combine(dir, "local.csv"));
            var header = server[0].Split(',');
            var localHeader = local[0].Split(',').ToList();
            for (var r = 1; r < local.Length; r++)
            {
                var a = server[r].Split(',');
                var b = local[r].Split(',');
                for (var c = 0; c < header.Length; c++)
                {
                    var j = localHeader.IndexOf(header[c]);
                    if (j < 0) continue;
                    if (header[c].StartsWith("P(", StringComparison.Ordinal) || header[c] == "ite")
                        Assert.That(double.Parse(a[c], CultureInfo.InvariantCulture), Is.EqualTo(double.Parse(b[j], CultureInfo.InvariantCulture)).Within(1e-4));
                    else Assert.That(a[c], Is.EqualTo(b[j]), $"row {r}, {header[c]}");
                }
            }
            var manifest = File.ReadAllText(Path.Combine(dir, "k1.manifest.json"));
            Assert.That(manifest, Does.Contain("\"kind\": \"server\"").And.Contain(s.Url));
        }
        finally { Stop(s); }
    }

    [Test]
    public void AKilledServer_StopsTheRunWithOneLine_AndARerunResumesFromTheCache()
    {
        var s = Start(apiKey: "k-123-secret");
        try
        {
            Environment.SetEnvironmentVariable("HS_TEST_KEY", "k-123-secret");
            var dir = Cli.Tests.CliRunner.TempDir();
            var cache = Path.Combine(dir, "cache");
            var (full, _, fe) = Sdscm(s.Url, Path.Combine(dir, "full.csv"), "--api-key-env", "HS_TEST_KEY", "--no-score-cache");
            Assert.That(full, Is.EqualTo(0), fe);
            var all = s.Server.Requests.GetValueOrDefault("/v1/completions");
            // Run 1: the server dies after 15 more requests.
            s.Server.DownAfterRequests = s.Server.Requests.Values.Sum() + 15;
            var output = Path.Combine(dir, "out.csv");
            var (code, _, err) = Sdscm(s.Url, output, "--api-key-env", "HS_TEST_KEY", "--score-cache", cache);
            Assert.That(code, Is.EqualTo(1), err);
            Assert.That(err.Trim().Split('\n'), Has.Length.EqualTo(1), err);
            Assert.That(err, Does.Contain("failed after 2 tries").And.Not.Contain("k-123-secret"));
            Assert.That(File.Exists(output), Is.False, "nothing half-written");
            // Restarted: the rerun asks only for what the cache lacks, and writes the same table.
            s.Server.DownAfterRequests = long.MaxValue;
            s.Server.Down = false;
            var before = s.Server.Requests.GetValueOrDefault("/v1/completions");
            var (code2, _, err2) = Sdscm(s.Url, output, "--api-key-env", "HS_TEST_KEY", "--score-cache", cache);
            Assert.That(code2, Is.EqualTo(0), err2);
            Assert.That(File.ReadAllBytes(output), Is.EqualTo(File.ReadAllBytes(Path.Combine(dir, "full.csv"))));
            var asked = s.Server.Requests["/v1/completions"] - before;
            Assert.That(asked, Is.LessThan(all));
            var manifest = File.ReadAllText(Path.Combine(dir, "out.manifest.json"));
            Assert.That(manifest, Does.Not.Contain("k-123-secret").And.Contain("HS_TEST_KEY").And.Contain("\"hits\""));
            Assert.That(s.Server.AuthorizationHeaders, Is.All.EqualTo("Bearer k-123-secret"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("HS_TEST_KEY", null);
            Stop(s);
        }
    }

    [Test]
    public void ServerOptions_AreChecked()
    {
        var dir = Cli.Tests.CliRunner.TempDir();
        foreach (var args in new[]
        {
            new[] { "--lm-server", "http://127.0.0.1:9" },
            new[] { "--lm-server", "ftp://x", "--lm-model", "m" },
            new[] { "--lm-server", "http://127.0.0.1:9", "--lm-model", "m", "--lm-concurrency", "0" },
            new[] { "--lm-server", "http://127.0.0.1:9", "--lm-model", "m", "--api-key-env", "HS_NO_SUCH_VARIABLE" },
            new[] { "--lm-server", "http://127.0.0.1:9", "--lm-model", "m", "--model", _model },
        })
        {
            var (code, _, err) = Cli.Tests.CliRunner.Run(new[] { "sdscm", "--spec", _spec, "-n", "5", "-o", Path.Combine(dir, "x.csv") }.Concat(args).ToArray());
            Assert.That((code, err.Trim().Split('\n').Length), Is.EqualTo((2, 1)), string.Join(" ", args) + ": " + err);
        }
    }
}
