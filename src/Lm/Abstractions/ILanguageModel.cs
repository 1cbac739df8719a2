namespace HybridSynth.Lm;

/// <summary>
/// A language model as HybridSynth uses it: a tokenizer, exact scores of a finite domain of
/// continuations after a prompt, and free or constrained generation. Implemented by
/// <see cref="Llama.LlamaModel"/> (a GGUF file through LLamaSharp / llama.cpp), by
/// <see cref="Fake.HashedLanguageModel"/> (a deterministic managed model for tests). Every implementation is a pure function of its inputs: the same prompt and
/// candidates give the same scores whatever was asked before, which is what makes memoisation,
/// caching and thread-independent output sound. Implementations serialise their own use; callers
/// may share one instance across threads.
/// </summary>
public interface ILanguageModel : IDisposable
{
    /// <summary>What the model is (for manifests and cache keys).</summary>
    ModelIdentity Identity { get; }

    /// <summary>Tokens the model can attend to at once (prompt plus candidates or generated text).</summary>
    int ContextSize { get; }

    /// <summary>The model's tokenisation of <paramref name="text"/>; with <paramref name="addSpecial"/> a BOS is prepended when the model asks for one.</summary>
    int[] Tokenize(string text, bool addSpecial);

    /// <summary>The text of one token.</summary>
    string Piece(int token);

    /// <summary>
    /// The score of each candidate after <paramref name="prompt"/> (see <see cref="ScoringMode"/>):
    /// for <see cref="ScoringMode.ChainRule"/> the exact log P(candidate | prompt), the candidates
    /// tokenised as continuations of the prompt (<see cref="Scoring.ContinuationTokens"/>); for
    /// <see cref="ScoringMode.Reference"/> the published SD-SCM code's score. <paramref name="segments"/>
    /// are character offsets in the prompt where a model with a prefix cache may cut its decode (the
    /// boundaries of the parents' sentences); they never change the result.
    /// </summary>
    double[] Score(string prompt, IReadOnlyList<string> candidates, ScoringMode mode, IReadOnlyList<int>? segments = null);

    /// <summary>Several domains at once, results in request order (a server backend sends them concurrently; others score them one by one).</summary>
    double[][] ScoreMany(IReadOnlyList<ScoreRequest> requests)
    {
        var results = new double[requests.Count][];
        for (var i = 0; i < results.Length; i++) results[i] = Score(requests[i].Prompt, requests[i].Candidates, requests[i].Mode, requests[i].Segments);
        return results;
    }

    /// <summary>Text after <paramref name="prompt"/>: sampled at the request's temperature with its seed (greedy at 0), optionally constrained.</summary>
    string Generate(string prompt, GenerationRequest request);

    /// <summary>
    /// The text the model reads for a chat: the messages in the model's own chat template, ending where the assistant's
    /// turn begins. A model without a template (a base model, the fake) gets <see cref="ChatTranscript.Plain"/>.
    /// Token counts of this text bound what a chat may hold (<see cref="ContextSize"/>).
    /// </summary>
    string ChatPrompt(IReadOnlyList<ChatMessage> messages) => ChatTranscript.Plain(messages);

    /// <summary>The assistant's reply to <paramref name="messages"/>: generation after <see cref="ChatPrompt"/> (a server uses its chat endpoint).</summary>
    string Chat(IReadOnlyList<ChatMessage> messages, GenerationRequest request) => Generate(ChatPrompt(messages), request);

    /// <summary>Cost counters since the model was opened.</summary>
    LanguageModelStatistics Statistics { get; }
}

/// <summary>One message of a chat: its role (<c>system</c>, <c>user</c> or <c>assistant</c>) and its text.</summary>
public sealed record ChatMessage(string Role, string Content)
{
    /// <summary>A system message.</summary>
    public static ChatMessage System(string content) => new("system", content);
    /// <summary>A user message.</summary>
    public static ChatMessage User(string content) => new("user", content);
    /// <summary>An assistant message (an earlier reply).</summary>
    public static ChatMessage Assistant(string content) => new("assistant", content);
}

/// <summary>The chat transcript for models without a chat template.</summary>
public static class ChatTranscript
{
    /// <summary>
    /// Each message as "Role: text" on its own paragraph (System, User, Assistant), ending with "Assistant:" for the
    /// reply: what a base model continues most naturally, and a fixed, documented text for the fake model.
    /// </summary>
    public static string Plain(IReadOnlyList<ChatMessage> messages)
    {
        var text = new System.Text.StringBuilder();
        foreach (var m in messages)
            text.Append(m.Role.Length == 0 ? "" : char.ToUpperInvariant(m.Role[0]) + m.Role[1..]).Append(": ").Append(m.Content.Trim()).Append("\n\n");
        return text.Append("Assistant:").ToString();
    }
}

/// <summary>
/// A model's identity: its <see cref="Kind"/> (llama.cpp, fake, server), a <see cref="Name"/>, a
/// <see cref="Digest"/> that changes whenever its scores could (a file's SHA-256, a server's model
/// name and revision), and descriptive properties for the manifest.
/// </summary>
public sealed record ModelIdentity(string Kind, string Name, string Digest, IReadOnlyDictionary<string, object?> Properties)
{
    /// <summary>The key a persistent score cache is filed under.</summary>
    public string CacheKey => $"{Kind}:{Digest}";
}

/// <summary>Cost counters (the perf harness and manifests report them).</summary>
public sealed record LanguageModelStatistics
{
    /// <summary>Tokens pushed through the model (every decoded token, prompt or candidate).</summary>
    public long TokensDecoded { get; init; }

    /// <summary>Prompt tokens that were not decoded because their KV cache was kept from an earlier prompt.</summary>
    public long TokensReused { get; init; }

    /// <summary>Decode calls (batches).</summary>
    public long Decodes { get; init; }

    /// <summary>Prompts scored (each a domain of candidates).</summary>
    public long PromptsScored { get; init; }

    /// <summary>Prompts whose decode started from a kept prefix.</summary>
    public long PrefixHits { get; init; }
}

/// <summary>One domain to score (see <see cref="ILanguageModel.Score"/>).</summary>
public sealed record ScoreRequest(string Prompt, IReadOnlyList<string> Candidates, ScoringMode Mode, IReadOnlyList<int>? Segments = null);

/// <summary>A generation request: a token budget, a seed, a temperature (0 = greedy) and an optional constraint (or a raw GBNF grammar, for backends that take one).</summary>
public sealed record GenerationRequest(int MaxTokens, uint Seed, double Temperature = 0.8, TextConstraint? Constraint = null, string? Grammar = null)
{
    /// <summary>The grammar to enforce, if any: the raw one, else the constraint's.</summary>
    public string? Gbnf => Grammar ?? Constraint?.ToGbnf();
}

/// <summary>A model that can give log p(token_i | tokens before i) for a whole token sequence (what servers echo as prompt log-probabilities).</summary>
public interface IPromptLogProbabilities
{
    /// <summary>Element 0 is NaN (the first token has no context); element i is log p(tokens[i] | tokens[..i]).</summary>
    double[] PromptLogProbabilities(IReadOnlyList<int> tokens);
}

/// <summary>
/// A constraint on generated text: the text must be the segments in order, each <see cref="TextSegment.Literal"/>
/// written verbatim, each <see cref="TextSegment.Filler"/> either empty or one short lowercase word and a full stop
/// after a space (" word."), and each <see cref="TextSegment.Prose(int)"/> the model's own text: empty, or up to its
/// length in characters (printable ASCII, tabs and newlines) ending in a space or a newline, so that a literal
/// after it starts a word. A backend compiles it to what it supports (a llama.cpp GBNF grammar).
/// </summary>
public sealed record TextConstraint(IReadOnlyList<TextSegment> Segments)
{
    /// <summary>The GBNF grammar (root rule <c>root</c>) that accepts exactly the constrained texts.</summary>
    public string ToGbnf()
    {
        var parts = Segments.Select(s => s.Kind switch
        {
            SegmentKind.Filler => "filler",
            SegmentKind.Prose => "prose" + s.MaxChars,
            _ => "\"" + Escape(s.Text) + "\"",
        });
        var rules = new System.Text.StringBuilder("root ::= ").Append(string.Join(" ", parts)).Append('\n');
        if (Segments.Any(s => s.Kind == SegmentKind.Filler)) rules.Append("filler ::= (\" \" [a-z]{2,10} \".\")?\n");
        foreach (var n in Segments.Where(s => s.Kind == SegmentKind.Prose).Select(s => s.MaxChars).Distinct().Order())
            rules.Append("prose").Append(n).Append(" ::= (").Append(ProseCharacter).Append("{0,").Append(n - 1).Append("} [ \\n])?\n");
        return rules.ToString();
    }

    /// <summary>A character prose may hold: printable ASCII, tab or newline (so that a token holds at least one, and budgets can be counted in characters).</summary>
    public const string ProseCharacter = "[\\x20-\\x7E\\t\\n]";

    private static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}

/// <summary>What a <see cref="TextSegment"/> holds.</summary>
public enum SegmentKind
{
    /// <summary>Text written verbatim.</summary>
    Literal,
    /// <summary>Nothing, or " word." (one short lowercase word).</summary>
    Filler,
    /// <summary>The model's own text, up to a length, ending in a space or a newline (or nothing).</summary>
    Prose,
}

/// <summary>One segment of a <see cref="TextConstraint"/>.</summary>
public sealed record TextSegment(SegmentKind Kind, string Text, int MaxChars = 0)
{
    /// <summary>Whether it is a <see cref="Filler"/>.</summary>
    public bool IsFiller => Kind == SegmentKind.Filler;
    /// <summary>A segment the model must write verbatim.</summary>
    public static TextSegment Literal(string text) => new(SegmentKind.Literal, text);
    /// <summary>A one-word free segment between constrained ones.</summary>
    public static TextSegment Filler { get; } = new(SegmentKind.Filler, "");
    /// <summary>Free prose of at most <paramref name="maxChars"/> characters (≥ 1), ending in a space or newline when not empty.</summary>
    public static TextSegment Prose(int maxChars) =>
        maxChars >= 1 ? new(SegmentKind.Prose, "", maxChars) : throw new ArgumentOutOfRangeException(nameof(maxChars), "prose needs room for at least one character");
}

/// <summary>A prompt with its token budget does not fit the model's context, however it is shortened.</summary>
public class ContextOverflowException(string message) : ArgumentException(message);

/// <summary>The language-model runtime cannot be used (native libraries missing or unloadable).</summary>
public class LanguageModelUnavailableException(string message) : Exception(message);
