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

    /// <summary>Cost counters since the model was opened.</summary>
    LanguageModelStatistics Statistics { get; }
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
/// written verbatim and each <see cref="TextSegment.Filler"/> either empty or one short lowercase word
/// and a full stop after a space (" word."), so the model's own words sit between the literals and never
/// inside them. A backend compiles it to what it supports (a llama.cpp GBNF grammar).
/// </summary>
public sealed record TextConstraint(IReadOnlyList<TextSegment> Segments)
{
    /// <summary>The GBNF grammar (root rule <c>root</c>) that accepts exactly the constrained texts.</summary>
    public string ToGbnf()
    {
        var parts = Segments.Select(s => s.IsFiller ? "filler" : "\"" + Escape(s.Text) + "\"");
        return "root ::= " + string.Join(" ", parts) + "\nfiller ::= (\" \" [a-z]{2,10} \".\")?\n";
    }

    private static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}

/// <summary>One segment of a <see cref="TextConstraint"/>.</summary>
public sealed record TextSegment(bool IsFiller, string Text)
{
    /// <summary>A segment the model must write verbatim.</summary>
    public static TextSegment Literal(string text) => new(false, text);
    /// <summary>A free-text segment between constrained ones.</summary>
    public static TextSegment Filler { get; } = new(true, "");
}

/// <summary>The language-model runtime cannot be used (native libraries missing or unloadable).</summary>
public class LanguageModelUnavailableException(string message) : Exception(message);
