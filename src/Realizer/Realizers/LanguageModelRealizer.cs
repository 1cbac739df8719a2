using System.Text;
using HybridSynth.Lm;
using HybridSynth.Scm.Randomness;
using HybridSynth.Verifier.Extraction;

namespace HybridSynth.Realizer.Realizers;

/// <summary>
/// The language-model realizer: a chat through the model's own chat template (<see cref="ILanguageModel.ChatPrompt"/>;
/// a base model without one reads <see cref="ChatTranscript.Plain"/>). The system prompt asks for a clinical note; the
/// user message gives the row as structured facts, one "- noun: sentence" line per visible variable. A revision
/// continues the chat: the previous note as the assistant's reply, then a message naming only the facts that note
/// contradicts or leaves out, asking for the whole note back with nothing else changed.
/// <para>Every chat stays within the context: the token budget is what the context leaves after the prompt (at most
/// <c>maxTokens</c> or what the facts need, whichever is more); a revision whose previous note does not fit is asked
/// afresh, with the contradicted facts stressed; facts that do not fit at all raise <see cref="ContextOverflowException"/>.</para>
/// <para>Constrained mode constrains only the value mentions: the grammar is prose, a mention, prose, a mention, …, prose,
/// where each mention is a short phrase that states one fact (a realization file's cue, "non-smoker"; a number with its
/// unit) and the prose between is the model's own (<see cref="SegmentKind.Prose"/>). The model's prose may still
/// contradict a fact, which the loop then corrects: constrained realizability is measured, not guaranteed.</para>
/// Seeded by (seed, unit, round). Any <see cref="ILanguageModel"/> will do: a GGUF model, a server, the managed fake.
/// </summary>
public sealed class LanguageModelRealizer : IRevisingRealizer
{
    /// <summary>The system prompt when none is given.</summary>
    public const string DefaultSystemPrompt =
        "You are a physician writing the clinical note of one patient. Write it as a clinician would: short sentences, " +
        "the usual headings, no lists. State every fact you are given with its meaning unchanged; state nothing that " +
        "contradicts them and add no other findings. Reply with the note only.";

    /// <summary>The most characters of prose the constrained grammar allows before each mention and after the last.</summary>
    public const int ProseCharacters = 60;

    private const int TokensPerMessage = 8; // a template's role markers; servers apply their own, unseen here
    private readonly ILanguageModel _model;
    private readonly TextLexicon _lexicon;
    private readonly ulong _seed;
    private readonly bool _constrained;
    private readonly int _maxTokens;
    private readonly double _temperature;
    private readonly int[] _visible;
    private readonly string[]?[] _mentions; // per variable, per state: mentions the extractor reads back as that state alone

    /// <summary>A realizer writing with <paramref name="model"/>; <paramref name="systemPrompt"/> null: <see cref="DefaultSystemPrompt"/>.</summary>
    public LanguageModelRealizer(ILanguageModel model, TextLexicon lexicon, ulong seed, bool constrained, int maxTokens = 192, double temperature = 0.8, string? systemPrompt = null)
    {
        _model = model;
        _lexicon = lexicon;
        _seed = seed;
        _constrained = constrained;
        _maxTokens = maxTokens;
        _temperature = temperature;
        SystemPrompt = systemPrompt ?? DefaultSystemPrompt;
        _visible = Enumerable.Range(0, lexicon.Model.Count).Where(v => !lexicon.Model[v].Hidden).ToArray();
        _mentions = constrained ? Mentions(lexicon) : new string[]?[lexicon.Model.Count];
    }

    /// <inheritdoc />
    public string Name => _constrained ? "lm-constrained" : "lm";

    /// <summary>The system message of every chat.</summary>
    public string SystemPrompt { get; }

    /// <inheritdoc />
    /// <remarks>Corrections, when a caller passes them to a fresh attempt, are stressed in the facts message.</remarks>
    public string Realize(long unit, IReadOnlyList<double> values, IReadOnlyList<Correction> corrections, int round) => Write(unit, values, null, corrections, round);

    /// <inheritdoc />
    public string Revise(long unit, IReadOnlyList<double> values, string previous, IReadOnlyList<Correction> contradicted, int round) => Write(unit, values, previous, contradicted, round);

    /// <summary>The structured facts of a row: one "- noun: sentence" line per visible variable.</summary>
    public string FactsMessage(IReadOnlyList<double> values)
    {
        var text = new StringBuilder("Facts about the patient, one per line:\n");
        foreach (var v in _visible) text.Append(FactLine(v, values[v])).Append('\n');
        return text.Append("Write the note.").ToString();
    }

    /// <summary>The revision request: only the contradicted facts, each with what the note said instead.</summary>
    public string RevisionMessage(IReadOnlyList<double> values, IReadOnlyList<Correction> contradicted)
    {
        var text = new StringBuilder("Your note contradicts or leaves out these facts:\n");
        foreach (var c in contradicted) text.Append(FactLine(c.Variable, values[c.Variable])).Append(" (the note says: ").Append(c.Found).Append(")\n");
        return text.Append("Rewrite the note so that it states them. Keep everything else as it is. Reply with the whole note only.").ToString();
    }

    private string Write(long unit, IReadOnlyList<double> values, string? previous, IReadOnlyList<Correction> contradicted, int round)
    {
        var system = ChatMessage.System(SystemPrompt);
        var facts = FactsMessage(values);
        var attempts = new List<ChatMessage[]>(); // the chats to try, longest first
        if (previous is not null && contradicted.Count > 0)
            attempts.Add([system, ChatMessage.User(facts), ChatMessage.Assistant(previous), ChatMessage.User(RevisionMessage(values, contradicted))]);
        attempts.Add(contradicted.Count == 0 ? [system, ChatMessage.User(facts)]
            : [system, ChatMessage.User(facts + "\nTake particular care to state:\n" + string.Join("\n", contradicted.Select(c => FactLine(c.Variable, values[c.Variable]))))]);

        var mentions = _constrained ? _visible.Select(v => Mention(unit, v, values[v])).ToList() : null;
        var factTokens = _visible.Sum(v => _model.Tokenize(Sentence(v, values[v]), false).Length);
        var literalTokens = mentions?.Sum(m => _model.Tokenize(m, false).Length + 1) ?? 0;
        var slots = (mentions?.Count ?? 0) + 1;
        // Free text needs room for the facts' words and some more; constrained text for every mention and at least a space between.
        var needed = mentions is null ? factTokens + 16 : literalTokens + slots + 8;
        var s = (uint)(CounterNoise.Mix(Seeds.Realizer(_seed, "lm", round) + (ulong)unit) & 0xFFFFFFFF);
        var shortest = int.MaxValue;
        foreach (var messages in attempts)
        {
            var prompt = _model.Tokenize(_model.ChatPrompt(messages), true).Length + TokensPerMessage * messages.Length;
            shortest = Math.Min(shortest, prompt);
            var room = _model.ContextSize - prompt;
            if (room < needed) continue;
            if (mentions is null)
                return _model.Chat(messages, new GenerationRequest(Math.Min(Math.Max(_maxTokens, factTokens * 3 / 2 + 32), room), s, _temperature)).Trim();
            // Prose is ASCII, so a token holds at least one of its characters: a budget of the mentions' tokens plus every
            // prose segment at full length always completes the grammar. Prose shrinks to what the room leaves.
            var prose = Math.Clamp((Math.Min(room, Math.Max(_maxTokens, needed + slots * ProseCharacters)) - literalTokens - 8) / slots, 1, ProseCharacters);
            var budget = literalTokens + slots * prose + 8;
            return _model.Chat(messages, new GenerationRequest(budget, s, _temperature, Constraint(mentions, prose))).Trim();
        }
        throw new ContextOverflowException($"the note of unit {unit} does not fit the model's context of {_model.ContextSize} tokens: its prompt takes {shortest} and writing its " +
            $"{_visible.Length} facts needs about {needed} more; use a model with a longer context (--context) or a spec with fewer visible variables");
    }

    private string FactLine(int v, double value)
    {
        var e = _lexicon.Entries[v];
        var noun = e.Phrasing?.Noun ?? e.Aliases[0];
        return "- " + noun + ": " + Sentence(v, value);
    }

    private string Sentence(int v, double value) => FactSentence(_lexicon.Entries[v], value);

    /// <summary>The sentence a fact line gives for a value: the realization file's first phrasing, else the spec's first template.</summary>
    public static string FactSentence(TextLexicon.Entry e, double value) => e.Phrasing is { } phrasing ? phrasing.Sentence(e, value, 0)
        : e.Templates[0].Replace("{value}", TextLexicon.Surface(e, value), StringComparison.Ordinal);

    /// <summary>The mention of variable <paramref name="v"/>'s value in a constrained note: one of its verified mentions, chosen for the unit; a number in its first phrasing.</summary>
    private string Mention(long unit, int v, double value)
    {
        if (_mentions[v] is { } states && _lexicon.Entries[v].Variable.IsCategorical)
        {
            var options = states[(int)value].Split('\u001F');
            var pick = Math.Min(options.Length - 1, (int)(CounterNoise.Uniform(Seeds.Realizer(_seed, _lexicon.Entries[v].Variable.Name, 6), unit) * options.Length));
            return options[pick];
        }
        return Capitalised(Sentence(v, value).TrimEnd('.', ' ')) + ".";
    }

    /// <summary>
    /// Per categorical variable and state, the mentions (joined by U+001F) that the extractor, reading one alone, takes for
    /// that state and nothing else: the realization file's cues as written (the prose before one may lead into it: "… a
    /// current smoker."), then its sentences; the spec's template when none does.
    /// </summary>
    private static string[]?[] Mentions(TextLexicon lexicon)
    {
        var extractor = new TextExtractor(lexicon);
        var result = new string[]?[lexicon.Model.Count];
        for (var v = 0; v < lexicon.Model.Count; v++)
        {
            var e = lexicon.Entries[v];
            if (!e.Variable.IsCategorical || e.Variable.Hidden) continue;
            var states = new string[e.SurfaceForms.Count];
            for (var k = 0; k < states.Length; k++)
            {
                var candidates = (e.Phrasing?.StateCues.ElementAtOrDefault(k) ?? Array.Empty<string>()).Select(c => c + ".")
                    .Concat((e.Phrasing?.StatePhrases.ElementAtOrDefault(k) ?? Array.Empty<string>()).Select(p => Capitalised(p.TrimEnd('.', ' ')) + "."))
                    .Distinct().ToList();
                var read = candidates.Where(c => ReadsAs(extractor, c, v, k)).ToList();
                states[k] = read.Count > 0 ? string.Join('\u001F', read)
                    : Capitalised(e.Templates[0].Replace("{value}", TextLexicon.Surface(e, k), StringComparison.Ordinal).TrimEnd('.', ' ')) + ".";
            }
            result[v] = states;
        }
        return result;
    }

    private static bool ReadsAs(TextExtractor extractor, string text, int v, int state)
    {
        var x = extractor.Extract(text);
        for (var u = 0; u < x.Length; u++)
        {
            var ok = u == v ? x[u].Status == ExtractionStatus.Value && (int)x[u].Value == state : x[u].Status == ExtractionStatus.Missing;
            if (!ok) return false;
        }
        return true;
    }

    private static string Capitalised(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    /// <summary>
    /// The constraint: prose, mention₁, prose, mention₂, …, prose. Each mention is written verbatim; the prose between is
    /// the model's own, at most <paramref name="prose"/> characters, ending in a space or a newline.
    /// </summary>
    public static TextConstraint Constraint(IEnumerable<string> mentions, int prose = ProseCharacters) =>
        new(mentions.SelectMany(m => new[] { TextSegment.Prose(prose), TextSegment.Literal(m) }).Append(TextSegment.Prose(prose)).ToList());

    /// <summary>The constraint as a llama.cpp GBNF grammar.</summary>
    public static string Grammar(IEnumerable<string> mentions, int prose = ProseCharacters) => Constraint(mentions, prose).ToGbnf();
}
