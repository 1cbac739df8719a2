using System.Diagnostics;
using HybridSynth.Lm.Gguf;
using HybridSynth.Lm.Runtime;
using HybridSynth.Lm.Scoring;
using HybridSynth.Scm.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.Lm.Tests;

public class Smoke
{
    [Test]
    public void Timing()
    {
        foreach (var ctx in new[] { 1, 3, 9 })
        foreach (var seqs in new[] { 64 })
        {
            using var m = LanguageModel.Load(Paths.Shared("models/stories260K.gguf"), new LanguageModelOptions { ContextSize = 2048, MaxSequences = seqs });
            var s = new CandidateScorer(m);
            var prompt = string.Concat(Enumerable.Repeat("The patient is 45 years old. She has a history of hypertension. ", ctx));
            var cands = new[] { "aromatase inhibitor", "PARP inhibitor with chemotherapy", "trastuzumab with pertuzumab", "pembrolizumab" };
            s.ChainRule(prompt, cands);
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < 10; i++) s.ChainRule(prompt, cands);
            var t1 = sw.Elapsed.TotalMilliseconds / 10;
            sw.Restart();
            for (var i = 0; i < 10; i++) s.ChainRuleNaive(prompt, cands);
            var t2 = sw.Elapsed.TotalMilliseconds / 10;
            TestContext.Out.WriteLine($"ctx {ctx} seqs {seqs}: chain {t1:0.00} ms, tokenize {t2:0.000} ms, prompt tokens {m.Tokenize(prompt, true).Length}");
        }
    }
}
