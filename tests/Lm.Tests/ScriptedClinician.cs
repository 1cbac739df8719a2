using System.Text;
using System.Text.RegularExpressions;
using HybridSynth.Realizer.Realizers;
using HybridSynth.Scm.Randomness;
using HybridSynth.Verifier.Extraction;

namespace HybridSynth.Lm.Tests;

/// <summary>
/// A tiny scripted instruct model for the realizer's loop tests: it reads the chat as the realizer writes it and answers
/// like a careless clinician with known error rates. A fresh note writes each fact line's sentence, one per line, except
/// that with probability <c>error</c> (per fact, independently) it writes another state's sentence. A revision keeps
/// the previous note's lines and puts right each fact the revision names with probability <c>heed</c>. Under a prose
/// constraint it writes the mentions verbatim and, with probability <c>error</c>, a contradicting sentence in the prose
/// before a mention (a fact the request stresses is spared with probability <c>heed</c>). Tokens are words; every
/// chat is checked against the context, as a real model would refuse it.
/// </summary>
public sealed class ScriptedClinician(TextLexicon lexicon, double error, double heed, int contextSize = 4096) : ILanguageModel
{
    private static readonly Regex FactLine = new(@"^- [^:]+: (?<sentence>.+?)(?: \(the note says: .*\))?$", RegexOptions.Multiline);
    private readonly Dictionary<string, (int Variable, int State)> _facts = Facts(lexicon);

    /// <summary>Every chat it answered: its messages and its request.</summary>
    public List<(IReadOnlyList<ChatMessage> Messages, GenerationRequest Request)> Chats { get; } = new();

    /// <summary>The largest prompt plus budget it was asked for, in tokens.</summary>
    public int LargestRequest { get; private set; }

    public ModelIdentity Identity { get; } = new("scripted", "scripted-clinician", "1", new Dictionary<string, object?>());
    public int ContextSize => contextSize;
    public LanguageModelStatistics Statistics { get; } = new();

    public int[] Tokenize(string text, bool addSpecial) =>
        (addSpecial ? new[] { 0 } : Array.Empty<int>()).Concat(text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(w => w.Length)).ToArray();

    public string Piece(int token) => throw new NotSupportedException("a scripted model has no vocabulary");
    public double[] Score(string prompt, IReadOnlyList<string> candidates, ScoringMode mode, IReadOnlyList<int>? segments = null) => throw new NotSupportedException("a scripted model does not score");
    public string Generate(string prompt, GenerationRequest request) => throw new NotSupportedException("a scripted model only chats");

    public string Chat(IReadOnlyList<ChatMessage> messages, GenerationRequest request)
    {
        var tokens = Tokenize(ChatPrompt(messages), true).Length + request.MaxTokens;
        LargestRequest = Math.Max(LargestRequest, tokens);
        if (tokens > ContextSize) throw new ArgumentException($"the prompt and budget ({tokens} tokens) exceed the context of {ContextSize}");
        Chats.Add((messages, request));
        var facts = Parse(messages[1].Content.Split("\nTake particular care")[0]);
        // The facts a request stresses: those a revision names, or those a fresh request asks to take care over.
        var stressed = (messages.Count == 4 ? Parse(messages[3].Content)
            : messages[1].Content.Contains("\nTake particular care", StringComparison.Ordinal) ? Parse(messages[1].Content.Split("\nTake particular care")[1])
            : new()).Select(f => f.Variable).ToHashSet();
        var key = CounterNoise.Key(request.Seed, 97, "scripted-clinician", 0);
        double U(int fact, int purpose) => CounterNoise.Uniform(key, fact * 8L + purpose);
        bool Errs(int i, int v) => U(i, 0) < error && !(stressed.Contains(v) && U(i, 1) < heed);

        if (request.Constraint is { } constraint)
        {
            // The mentions verbatim; the prose before mention j, with probability error, contradicts fact j.
            var text = new StringBuilder();
            var literal = 0;
            foreach (var (segment, at) in constraint.Segments.Select((s, at) => (s, at)))
            {
                if (segment.Kind == SegmentKind.Literal) { text.Append(segment.Text); literal++; continue; }
                var prose = literal < facts.Count && facts[literal].Variable >= 0 && Errs(literal, facts[literal].Variable) ? Wrong(facts[literal], U(literal, 3)) + " " : "Seen today. ";
                if (prose.Length > segment.MaxChars) prose = segment.MaxChars >= 1 ? " " : "";
                if (at > 0 && text.Length > 0 && text[^1] != ' ' && text[^1] != '\n' && prose.Length > 0 && prose[0] != ' ') prose = " " + prose;
                if (prose.Length <= segment.MaxChars) text.Append(prose);
            }
            return text.ToString();
        }
        if (messages.Count == 4)
        {
            // A revision: the previous note's lines, each named fact put right with probability heed.
            var lines = messages[2].Content.Split('\n').ToList();
            var named = Parse(messages[3].Content);
            foreach (var (i, (v, k, _)) in named.Select((f, i) => (i, f)))
            {
                if (v < 0 || U(i, 2) >= heed) continue;
                var right = LanguageModelRealizer.FactSentence(lexicon.Entries[v], k);
                var at = lines.FindIndex(l => _facts.TryGetValue(l, out var f) && f.Variable == v);
                if (at >= 0) lines[at] = right; else lines.Add(right);
            }
            return string.Join('\n', lines);
        }
        return string.Join('\n', facts.Select((f, i) => f.Variable >= 0 && Errs(i, f.Variable) ? Wrong(f, U(i, 3)) : f.Sentence));
    }

    public string ChatPrompt(IReadOnlyList<ChatMessage> messages) => ChatTranscript.Plain(messages);

    public void Dispose() { }

    /// <summary>Another state's sentence for a fact.</summary>
    private string Wrong((int Variable, int State, string Sentence) fact, double u)
    {
        var e = lexicon.Entries[fact.Variable];
        var states = e.SurfaceForms.Count;
        var other = (fact.State + 1 + (int)(u * (states - 1))) % states;
        return LanguageModelRealizer.FactSentence(e, other);
    }

    /// <summary>The fact lines of a message: each sentence with its variable and state, or −1 for a sentence it does not know (a number).</summary>
    private List<(int Variable, int State, string Sentence)> Parse(string message) =>
        FactLine.Matches(message).Select(m => m.Groups["sentence"].Value)
            .Select(s => _facts.TryGetValue(s, out var f) ? (f.Variable, f.State, s) : (-1, -1, s)).ToList();

    private static Dictionary<string, (int, int)> Facts(TextLexicon lexicon)
    {
        var map = new Dictionary<string, (int, int)>();
        for (var v = 0; v < lexicon.Entries.Count; v++)
        {
            var e = lexicon.Entries[v];
            if (!e.Variable.IsCategorical) continue;
            for (var k = 0; k < e.SurfaceForms.Count; k++) map[LanguageModelRealizer.FactSentence(e, k)] = (v, k);
        }
        return map;
    }
}
