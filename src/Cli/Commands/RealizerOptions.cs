using System.CommandLine;
using HybridSynth.Realizer.Realizers;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Model;
using HybridSynth.Verifier.Extraction;

namespace HybridSynth.Cli.Commands;

/// <summary><c>realize</c>'s choice of realizer and its options, and the realizer they make.</summary>
public sealed class RealizerOptions
{
    public Option<string> Realizer { get; } = new("--realizer")
    {
        Description = "template (default), prior-override (writes each variable's most common value with probability --corrupt), context-prior (writes a value drawn from --prior's " +
            "P(X | the rest of the row) with probability --corrupt), or lm (a language model writes the note in a chat: --model or --lm-server).",
        DefaultValueFactory = _ => "template",
    };
    public Option<string?> Prior { get; } = new("--prior") { Description = "context-prior: the prior model whose P(X | the rest of the row) overrides values (default: the model itself); any spec over the same variables." };
    public Option<bool> Constrained { get; } = new("--constrained") { Description = "lm: a grammar fixes only the value mentions (a cue such as \"non-smoker\", a number with its unit); the prose between them is the model's own." };
    public Option<double> Corrupt { get; } = new("--corrupt") { Description = "prior-override, context-prior: probability of writing the prior's value instead of the row's.", DefaultValueFactory = _ => 0.3 };
    public Option<double> Heed { get; } = new("--heed") { Description = "prior-override, context-prior: probability that a correction is followed.", DefaultValueFactory = _ => 0.9 };
    public Option<int> MaxTokens { get; } = new("--max-tokens") { Description = "lm: token budget per note (raised to what the facts need, lowered to what the context leaves).", DefaultValueFactory = _ => 192 };
    public Option<string?> SystemPrompt { get; } = new("--system-prompt") { Description = "lm: the chat's system message (default: a physician writing one patient's note, stating every fact and nothing else)." };

    public RealizerOptions() => Realizer.AcceptOnlyFromAmong("template", "prior-override", "context-prior", "lm");

    public IEnumerable<Option> All => [Realizer, Prior, Constrained, Corrupt, Heed, MaxTokens, SystemPrompt];

    /// <summary>Whether the run needs a language model.</summary>
    public bool NeedsModel(ParseResult r) => r.GetValue(Realizer) == "lm";

    /// <summary>The realizer the options name; <paramref name="columns"/> are the skeleton's values by variable (prior-override's modes).</summary>
    public IRealizer Create(ParseResult r, CausalModel model, TextLexicon lexicon, ulong seed, Lm.ILanguageModel? lm, double temperature, double[][] columns)
    {
        var template = new TemplateRealizer(lexicon, seed);
        return r.GetValue(Realizer) switch
        {
            "prior-override" => new PriorOverrideRealizer(template, PriorOverrideRealizer.Modes(model, columns), Probability(r.GetValue(Corrupt), "--corrupt"), Probability(r.GetValue(Heed), "--heed"), seed),
            "context-prior" => ContextPrior(template, r.GetValue(Prior), model, Probability(r.GetValue(Corrupt), "--corrupt"), Probability(r.GetValue(Heed), "--heed"), seed),
            "lm" => new LanguageModelRealizer(lm!, lexicon, seed, r.GetValue(Constrained), MaxTokensOf(r), temperature, r.GetValue(SystemPrompt)),
            _ => template,
        };
    }

    /// <summary>The options the manifest records for the realizer.</summary>
    public Newtonsoft.Json.Linq.JObject Manifest(ParseResult r, IRealizer realizer, Lm.ILanguageModel? lm)
    {
        var o = new Newtonsoft.Json.Linq.JObject();
        if (realizer is not LanguageModelRealizer l) return o;

        o["model"] = LanguageModelCliOptions.Identity(lm!);
        o["system_prompt"] = l.SystemPrompt;
        o["max_tokens"] = r.GetValue(MaxTokens);
        if (lm is Lm.Caching.CachedLanguageModel cached) lm = cached.Inner;
        o["chat_template"] = lm is Lm.Llama.LlamaModel { ChatTemplate: null } ? "plain transcript (the model has none)" : lm is Lm.Llama.LlamaModel ? "the model's" : lm is Lm.Server.ServerLanguageModel ? "the server's" : "plain transcript";
        return o;
    }

    private int MaxTokensOf(ParseResult r)
    {
        var n = r.GetValue(MaxTokens);
        return n >= 1 ? n : throw new UsageException($"--max-tokens must be ≥ 1, got {n}");
    }

    private static ContextPriorRealizer ContextPrior(TemplateRealizer template, string? prior, CausalModel model, double strength, double heed, ulong seed)
    {
        var priorModel = prior is null ? model : SpecLoader.Load(prior, Lm.Mechanisms.LanguageModelSession.StructureReaders).Model;
        try { return new ContextPriorRealizer(template, priorModel, strength, heed, seed); }
        catch (ArgumentException e) { throw new UsageException($"--prior {prior}: {e.Message}"); }
    }

    private static double Probability(double p, string option) => p is >= 0 and <= 1 ? p : throw new UsageException($"{option} must be in [0, 1], got {p}");
}
