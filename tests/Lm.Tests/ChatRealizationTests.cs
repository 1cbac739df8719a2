using System.Text.RegularExpressions;
using HybridSynth.Lm.Gguf;
using HybridSynth.Lm.Llama;
using HybridSynth.Realizer.Consistency;
using HybridSynth.Realizer.Realizers;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Sampling;
using HybridSynth.Scm.Tests.Support;
using HybridSynth.Verifier.Extraction;
using NUnit.Framework;

namespace HybridSynth.Lm.Tests;

/// <summary>Realization as a chat: chat templates, the server's chat endpoint, revisions that name only the contradicted facts, the context bound, and value-slot grammars.</summary>
public class ChatRealizationTests
{
    private static readonly ChatMessage[] Hello = [ChatMessage.System("Be brief."), ChatMessage.User("Facts:\n- a: b"), ChatMessage.Assistant("A is b."), ChatMessage.User("Again.")];

    private static List<double[]> Skeletons(CausalModel m, int n, ulong seed)
    {
        var chunk = new AncestralSampler(m, seed).SampleRange(0, n);
        return Enumerable.Range(0, n).Select(i => Enumerable.Range(0, m.Count).Select(v => chunk.Columns[v][i]).ToArray()).ToList();
    }

    [Test]
    public void ThePlainTranscript_IsRoleColonText_EndingAtTheAssistantsTurn()
    {
        Assert.That(ChatTranscript.Plain(Hello), Is.EqualTo("System: Be brief.\n\nUser: Facts:\n- a: b\n\nAssistant: A is b.\n\nUser: Again.\n\nAssistant:"));
        using ILanguageModel fake = Fixtures.Fake();
        Assert.That(fake.ChatPrompt(Hello), Is.EqualTo(ChatTranscript.Plain(Hello)), "a model without a template reads the plain transcript");
        var request = new GenerationRequest(12, 5, 0.8);
        Assert.That(fake.Chat(Hello, request), Is.EqualTo(fake.Generate(ChatTranscript.Plain(Hello), request)));
    }

    [Test]
    public void ABaseGguf_HasNoTemplate_AndChatsThroughThePlainTranscript()
    {
        using var tiny = Fixtures.Tiny(new LlamaModelOptions { ContextSize = 512 });
        Assert.That(tiny.ChatTemplate, Is.Null);
        Assert.That(tiny.ChatPrompt(Hello), Is.EqualTo(ChatTranscript.Plain(Hello)));
        var request = new GenerationRequest(10, 3, 0.8);
        Assert.That(tiny.Chat(Hello, request), Is.EqualTo(tiny.Generate(ChatTranscript.Plain(Hello), request)));
    }

    [Test]
    public void AnInstructGguf_IsPromptedThroughItsOwnChatTemplate()
    {
        Fixtures.RequireRuntime();
        // The ChatML template as instruct models' GGUF files carry it (tokenizer.chat_template); llama.cpp recognises it.
        const string chatml = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
            "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
        var path = Path.Combine(Path.GetTempPath(), $"hs-chatml-{Environment.ProcessId}.gguf");
        try
        {
            SyntheticModel.Write(path, ModelShape.Tiny, 5, chatTemplate: chatml);
            using var lm = LlamaModel.Load(path, new LlamaModelOptions { ContextSize = 512, Threads = 1 });
            Assert.That(lm.ChatTemplate, Is.EqualTo(chatml));
            Assert.That(lm.ChatPrompt(Hello[..2]), Is.EqualTo("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nFacts:\n- a: b<|im_end|>\n<|im_start|>assistant\n"));
            var reply = lm.Chat(Hello, new GenerationRequest(8, 1, 0.8));
            Assert.That(reply, Is.EqualTo(lm.Chat(Hello, new GenerationRequest(8, 1, 0.8))), "seeded");
            Assert.That(reply, Is.Not.EqualTo(lm.Generate(ChatTranscript.Plain(Hello), new GenerationRequest(8, 1, 0.8))), "the template, not the plain transcript, was read");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void TheServersChatEndpoint_AnswersAsTheModelInProcess_GrammarIncluded()
    {
        using var rig = new ServerBackendTests.Rig(Fixtures.Tiny(new LlamaModelOptions { ContextSize = 1024 }));
        using var client = rig.Client();
        var free = new GenerationRequest(16, 9, 0.8);
        Assert.That(client.Chat(Hello, free), Is.EqualTo(rig.Local.Chat(Hello, free)));
        var slots = LanguageModelRealizer.Constraint(["Non-smoker.", "Heart rate 88 bpm."], 12);
        var constrained = new GenerationRequest(120, 9, 0.8, slots);
        var text = client.Chat(Hello, constrained);
        Assert.That(text, Is.EqualTo(rig.Local.Chat(Hello, constrained)));
        Assert.That(text, Does.Match(SlotPattern(["Non-smoker.", "Heart rate 88 bpm."], 12)), text);
    }

    /// <summary>What the value-slot grammar accepts: prose (≤ n characters of printable ASCII, ending in a space or newline, or nothing) around each mention.</summary>
    private static string SlotPattern(IEnumerable<string> mentions, int n)
    {
        var prose = $@"(?:[\x20-\x7E\t\n]{{0,{n - 1}}}[ \n])?";
        return "^" + prose + string.Join(prose, mentions.Select(Regex.Escape)) + prose + "$";
    }

    [Test]
    public void TheValueSlotGrammar_FixesOnlyTheMentions_InLlamaCppAndTheFake()
    {
        Assert.That(LanguageModelRealizer.Grammar(["Non-smoker.", "HR \"88\"."], 20), Is.EqualTo(
            "root ::= prose20 \"Non-smoker.\" prose20 \"HR \\\"88\\\".\" prose20\nprose20 ::= ([\\x20-\\x7E\\t\\n]{0,19} [ \\n])?\n"));
        string[] mentions = ["Non-smoker.", "No TB.", "Temperature 38.2 °C."];
        var constraint = LanguageModelRealizer.Constraint(mentions, 24);
        using var tiny = Fixtures.Tiny(new LlamaModelOptions { ContextSize = 1024 });
        using var fake = Fixtures.Fake();
        var texts = new List<string>();
        foreach (ILanguageModel lm in new ILanguageModel[] { tiny, fake })
            for (uint seed = 1; seed <= 4; seed++)
            {
                var text = lm.Generate("Note:", new GenerationRequest(200, seed, 0.9, constraint));
                Assert.That(text, Does.Match(SlotPattern(mentions, 24)), $"{lm.Identity.Kind}: {text}");
                texts.Add(text);
            }
        Assert.That(texts.Distinct().Count(), Is.GreaterThan(4), "the prose is the models' own, not a fixed sentence");
        Assert.That(texts.Count(t => t.Length > mentions.Sum(m => m.Length) + 4), Is.GreaterThan(2), "the models write prose between the mentions");
    }

    [Test]
    public void TheLoop_RevisesOnlyTheContradictedFacts_AndMeetsTheScriptedModelsExactRealizability()
    {
        // ASIA's eight facts; the scripted model writes each wrong with probability e and puts a named fact right with probability h.
        const double e = 0.2, h = 0.9;
        const int n = 400, rounds = 3;
        var m = SpecLoader.Load(SpecLoader.DefaultSpec).Model;
        var lexicon = new TextLexicon(m);
        using var lm = new ScriptedClinician(lexicon, e, h);
        var realizer = new LanguageModelRealizer(lm, lexicon, 11, constrained: false);
        var loop = new ConsistencyLoop(realizer, new TextExtractor(lexicon));
        var skeletons = Skeletons(m, n, 4);
        var corrected = skeletons.Select((x, i) => loop.Correct(i, x, rounds)).ToList();
        var facts = m.Count;
        // Loop: each fact is wrong at first with probability e and still wrong after two revisions with (1 − h)²; rejection: three fresh drafts.
        var loopExact = Math.Pow(1 - e * (1 - h) * (1 - h), facts);
        var rejectionExact = 1 - Math.Pow(1 - Math.Pow(1 - e, facts), rounds);
        var loopRate = corrected.Count(o => o.Consistent) / (double)n;
        Assert.That(loopRate, Is.EqualTo(loopExact).Within(4.5 * Math.Sqrt(loopExact * (1 - loopExact) / n) + 0.5 / n));
        var rejected = skeletons.Select((x, i) => loop.Reject(i, x, rounds)).ToList();
        var rejectionRate = rejected.Count(o => o.Consistent) / (double)n;
        Assert.That(rejectionRate, Is.EqualTo(rejectionExact).Within(4.5 * Math.Sqrt(rejectionExact * (1 - rejectionExact) / n)));
        TestContext.Out.WriteLine($"loop {loopRate:0.000} (exact {loopExact:0.000}); rejection {rejectionRate:0.000} (exact {rejectionExact:0.000})");

        // Every revision carried the previous note and named exactly the facts that note got wrong.
        var extractor = new TextExtractor(lexicon);
        var revisions = lm.Chats.Where(c => c.Messages.Count == 4).ToList();
        Assert.That(revisions, Is.Not.Empty);
        foreach (var (messages, _) in revisions)
        {
            var skeleton = skeletons.First(x => realizer.FactsMessage(x) == messages[1].Content);
            var wrong = loop.Violations(skeleton, extractor.Extract(messages[2].Content));
            Assert.That(messages[3].Content, Is.EqualTo(realizer.RevisionMessage(skeleton, wrong)));
            Assert.That(wrong, Is.Not.Empty.And.Count.LessThan(facts));
        }
    }

    [Test]
    public void AlarmsLoop_StaysWithinTheContext_DroppingThePreviousNoteWhenItMustNot()
    {
        var m = SpecLoader.Load(Paths.Bif("alarm")).Model;
        var lexicon = new TextLexicon(m);
        var skeletons = Skeletons(m, 30, 2);
        // A context that holds the facts and a note, but not the facts, a note and a revision together.
        using var lm = new ScriptedClinician(lexicon, 0.05, 0.9, contextSize: 520);
        var realizer = new LanguageModelRealizer(lm, lexicon, 3, constrained: false);
        var loop = new ConsistencyLoop(realizer, new TextExtractor(lexicon));
        var outcomes = skeletons.Select((x, i) => loop.Correct(i, x, 3)).ToList();
        TestContext.Out.WriteLine($"largest request {lm.LargestRequest}; prompts: {string.Join(", ", lm.Chats.Select(c => c.Messages.Count + ":" + lm.Tokenize(lm.ChatPrompt(c.Messages), true).Length).Distinct().Take(12))}");
        Assert.That(lm.LargestRequest, Is.LessThanOrEqualTo(520));
        Assert.That(lm.Chats.Count(c => c.Messages.Count == 2 && c.Messages[1].Content.Contains("Take particular care", StringComparison.Ordinal)), Is.GreaterThan(0),
            "revisions that could not carry the previous note were asked afresh, the contradicted facts stressed");
        Assert.That(outcomes.Count(o => o.Consistent), Is.GreaterThan(outcomes.Count(o => o.Rounds == 1 && o.Consistent)), "the stressed rewrites still correct");

        using var small = new ScriptedClinician(lexicon, 0.05, 0.9, contextSize: 300);
        var tooSmall = new LanguageModelRealizer(small, lexicon, 3, constrained: false);
        var error = Assert.Throws<ContextOverflowException>(() => tooSmall.Realize(0, skeletons[0], Array.Empty<Correction>(), 1))!;
        Assert.That(error.Message, Does.Contain("context of 300 tokens").And.Contain("37 facts").And.Contain("--context"));
    }

    [Test]
    public void ConstrainedRealization_IsTheModelsProseAroundFixedMentions_AndItsRealizabilityIsMeasured()
    {
        var m = SpecLoader.Load(Paths.Dag("icu.json")).Model;
        var lexicon = new TextLexicon(m, Phrasebook.ReadFile(Paths.Dag("icu.phrasing.json")));
        var skeletons = Skeletons(m, 200, 5);
        using var lm = new ScriptedClinician(lexicon, 0.05, 0.9);
        var realizer = new LanguageModelRealizer(lm, lexicon, 1, constrained: true);
        var loop = new ConsistencyLoop(realizer, new TextExtractor(lexicon));
        var first = skeletons.Select((x, i) => loop.Reject(i, x, 1)).ToList();
        var corrected = skeletons.Select((x, i) => loop.Correct(i, x, 3)).ToList();
        var firstRate = first.Count(o => o.Consistent) / 200.0;
        var loopRate = corrected.Count(o => o.Consistent) / 200.0;
        // 12 categorical facts, each contradicted in the prose with probability 0.05: (0.95)^12 = 0.54 consistent at first.
        var categorical = m.Variables.Count(v => v.IsCategorical && !v.Hidden);
        var exact = Math.Pow(0.95, categorical);
        Assert.That(firstRate, Is.EqualTo(exact).Within(4.5 * Math.Sqrt(exact * (1 - exact) / 200)), "constrained realizability is the model's, not 1 by construction");
        Assert.That(loopRate, Is.GreaterThan(firstRate + 0.2));
        var mentions = corrected[0].Text;
        Assert.That(mentions, Does.Contain("Seen today."), "prose between the mentions");
        TestContext.Out.WriteLine($"first attempt {firstRate:0.000} (exact {exact:0.000}); loop {loopRate:0.000}; e.g. {corrected[0].Text}");
    }

    [Test]
    public void Paraphrases_GoBesideTheExactWording_Seeded_AndNeverChangeTheAnswer()
    {
        var m = SpecLoader.Load(SpecLoader.DefaultSpec).Model;
        var questions = new Realizer.Questions.CausalQuestions(new TextLexicon(m)).Generate(12, 3);
        using var fake = Fixtures.Fake();
        var worded = new Realizer.Questions.QuestionParaphraser(fake, 5).Paraphrase(questions);
        var again = new Realizer.Questions.QuestionParaphraser(fake, 5).Paraphrase(questions);
        Assert.That(worded.Select(q => q.Paraphrase), Is.EqualTo(again.Select(q => q.Paraphrase)), "seeded");
        Assert.That(worded.Select(q => q.Paraphrase).Distinct().Count(), Is.GreaterThan(6), "each question its own rewording");
        for (var i = 0; i < questions.Count; i++)
        {
            Assert.That(worded[i] with { Paraphrase = null }, Is.EqualTo(questions[i]), "question, answer and estimand unchanged");
            var json = worded[i].ToJson();
            Assert.That(json.Properties().Select(p => p.Name).SkipWhile(n => n != "question").Take(2), Is.EqualTo(new[] { "question", "paraphrase" }));
            Assert.That(worded[i].Paraphrase, Does.Not.Contain("\n"));
        }
        Assert.That(questions[0].ToJson().ContainsKey("paraphrase"), Is.False, "no paraphrase key unless one was asked for");
    }
}
