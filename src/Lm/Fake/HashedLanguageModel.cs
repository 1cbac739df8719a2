using System.Text;
using HybridSynth.Lm.Scoring;
using HybridSynth.Scm.Randomness;

namespace HybridSynth.Lm.Fake;

/// <summary>
/// A deterministic, fully managed language model for tests and dry runs: byte-level tokens (0–255,
/// BOS 256, EOS 257), and next-token logits that are a hash of the history (all of it, or its last
/// <see cref="Order"/> tokens) and the candidate token (counter-based noise keyed by the model's seed), plus a fixed preference for
/// lowercase letters, spaces and full stops so that free text has the shape of words. Nothing it
/// writes is meaningful, but it is a real conditional distribution: scores depend on the prompt,
/// the chain rule holds exactly, and two models with different seeds disagree. It implements every
/// member of <see cref="ILanguageModel"/>, constrained generation included, with no native code.
/// </summary>
public sealed class HashedLanguageModel : ILanguageModel, IPromptLogProbabilities
{
    /// <summary>The beginning-of-sequence token (the 256 byte values come first).</summary>
    public const int Bos = 256;
    /// <summary>The end-of-sequence token.</summary>
    public const int Eos = 257;
    /// <summary>The vocabulary size: 256 bytes, BOS and EOS.</summary>
    public const int Vocabulary = 258;

    private readonly object _gate = new();
    private readonly ulong _key;
    private long _decoded, _prompts;

    /// <summary>A fake model whose next-token distribution is a hash of the last <paramref name="order"/> tokens (all of them when 0) and <paramref name="seed"/>.</summary>
    /// <param name="seed">Selects the model: different seeds are different models.</param>
    /// <param name="order">How many previous tokens the distribution depends on; 0 for the whole context.</param>
    /// <param name="scale">The spread of the logits (larger is more peaked).</param>
    /// <param name="contextSize">The context size reported and enforced.</param>
    public HashedLanguageModel(ulong seed = 1, int order = 0, double scale = 3.0, int contextSize = 4096)
    {
        if (order < 0) throw new ArgumentOutOfRangeException(nameof(order), "the order is ≥ 1, or 0 for the whole history");
        if (!(scale > 0)) throw new ArgumentOutOfRangeException(nameof(scale));
        Seed = seed;
        Order = order;
        Scale = scale;
        ContextSize = contextSize;
        _key = CounterNoise.Key(seed, NoiseStreams.FakeModel, "hashed-language-model", order);
        Identity = new ModelIdentity("fake", $"hashed-lm-{seed}", $"hashed/seed={seed}/order={order}/scale={scale.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}",
            new SortedDictionary<string, object?>(StringComparer.Ordinal)
            {
                ["seed"] = seed, ["order"] = order, ["scale"] = scale, ["vocabulary"] = Vocabulary, ["context"] = contextSize,
            });
    }

    /// <summary>The seed that selects this model.</summary>
    public ulong Seed { get; }

    /// <summary>How many previous tokens the next-token distribution depends on (0: the whole history).</summary>
    public int Order { get; }

    /// <summary>The spread of the hashed logits.</summary>
    public double Scale { get; }

    /// <inheritdoc />
    public ModelIdentity Identity { get; }
    /// <inheritdoc />
    public int ContextSize { get; }

    /// <inheritdoc />
    public LanguageModelStatistics Statistics
    {
        get { lock (_gate) return new LanguageModelStatistics { TokensDecoded = _decoded, PromptsScored = _prompts, Decodes = _decoded }; }
    }

    /// <inheritdoc />
    public int[] Tokenize(string text, bool addSpecial)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var result = new int[bytes.Length + (addSpecial ? 1 : 0)];
        if (addSpecial) result[0] = Bos;
        for (var i = 0; i < bytes.Length; i++) result[i + (addSpecial ? 1 : 0)] = bytes[i];
        return result;
    }

    /// <inheritdoc />
    public string Piece(int token) => token switch
    {
        Bos => "<s>",
        Eos => "</s>",
        >= 0 and < 256 => Encoding.Latin1.GetString(new[] { (byte)token }),
        _ => throw new ArgumentOutOfRangeException(nameof(token)),
    };

    /// <summary>The next-token logits after <paramref name="history"/> (with an <see cref="Order"/>, only its last tokens matter).</summary>
    public float[] Logits(ReadOnlySpan<int> history)
    {
        var h = _key;
        var from = Order == 0 ? 0 : Math.Max(0, history.Length - Order);
        for (var i = from; i < history.Length; i++) h = CounterNoise.Mix(h ^ (ulong)(history[i] + 1) * 0x9E3779B97F4A7C15UL);
        var logits = new float[Vocabulary];
        for (var t = 0; t < Vocabulary; t++)
        {
            var u = CounterNoise.Uniform(h, t);
            logits[t] = (float)(Scale * (u - 0.5) * 2 + Preference(t));
        }
        return logits;
    }

    private static double Preference(int t) => t switch
    {
        >= 'a' and <= 'z' => 4.0,
        ' ' => 4.5,
        '.' => 2.0,
        >= 'A' and <= 'Z' or >= '0' and <= '9' => 1.0,
        Eos => 0.5,
        Bos => -30,
        _ => -2.0,
    };

    /// <inheritdoc />
    public double[] Score(string prompt, IReadOnlyList<string> candidates, ScoringMode mode, IReadOnlyList<int>? segments = null)
    {
        var tokens = ContinuationTokens.Of(this, prompt, candidates, mode);
        var scores = new double[candidates.Count];
        long decoded = 0;
        for (var k = 0; k < scores.Length; k++)
        {
            var sequence = tokens.Context.Concat(tokens.Candidates[k]).ToArray();
            if (sequence.Length > ContextSize) throw new InvalidOperationException($"the prompt and candidate ({sequence.Length} tokens) do not fit the context of {ContextSize}");
            if (mode == ScoringMode.ChainRule)
            {
                for (var i = tokens.Context.Length; i < sequence.Length; i++)
                    scores[k] += CandidateScorer.LogProbabilities(Logits(sequence.AsSpan(0, i)), new[] { sequence[i] })[0];
            }
            else
            {
                scores[k] = CandidateScorer.LogProbabilities(Logits(sequence), tokens.Candidates[k]).Average();
            }
            decoded += tokens.Candidates[k].Length;
        }
        lock (_gate) { _decoded += decoded + tokens.Context.Length; _prompts++; }
        return scores;
    }

    /// <summary>The log-probability of each token given the ones before it (the first given BOS), as a reference for the scoring path.</summary>
    public double[] PromptLogProbabilities(IReadOnlyList<int> tokens)
    {
        var t = tokens.ToArray();
        var result = new double[t.Length];
        result[0] = double.NaN;
        for (var i = 1; i < t.Length; i++) result[i] = CandidateScorer.LogProbabilities(Logits(t.AsSpan(0, i)), new[] { t[i] })[0];
        lock (_gate) _decoded += t.Length;
        return result;
    }

    /// <inheritdoc />
    public string Generate(string prompt, GenerationRequest request)
    {
        if (request.Grammar is not null && request.Constraint is null) throw new ArgumentException("the fake model takes a TextConstraint, not a raw grammar", nameof(request));
        if (request.MaxTokens < 1) throw new ArgumentOutOfRangeException(nameof(request), "the token budget must be ≥ 1");
        var history = Tokenize(prompt, addSpecial: true).ToList();
        if (history.Count + request.MaxTokens > ContextSize)
            throw new ArgumentException($"the prompt ({history.Count} tokens) and the budget ({request.MaxTokens}) exceed the context of {ContextSize}; shorten the prompt, lower the budget or raise the context");
        var output = new List<byte>();
        var draw = 0L;
        var key = CounterNoise.Key(request.Seed, NoiseStreams.FakeGeneration, "hashed-generation", 0);
        int Next(Func<int, bool> allowed)
        {
            var logits = Logits(history.ToArray());
            var candidates = Enumerable.Range(0, Vocabulary).Where(allowed).ToArray();
            int chosen;
            if (request.Temperature <= 0) chosen = candidates.OrderByDescending(t => logits[t]).ThenBy(t => t).First();
            else
            {
                var p = CandidateScorer.Normalise(candidates.Select(t => (double)logits[t]).ToArray(), request.Temperature);
                chosen = candidates[Scm.Mechanisms.InverseCdf.Sample(p, CounterNoise.Uniform(key, draw++))];
            }
            history.Add(chosen);
            return chosen;
        }
        var budget = request.MaxTokens;
        if (request.Constraint is null)
        {
            for (var k = 0; k < budget; k++)
            {
                var t = Next(t => t != Bos);
                if (t == Eos) break;
                output.Add((byte)t);
            }
        }
        else
        {
            foreach (var segment in request.Constraint.Segments)
            {
                if (segment.Kind == SegmentKind.Literal)
                {
                    foreach (var b in Encoding.UTF8.GetBytes(segment.Text)) { history.Add(b); output.Add(b); }
                    continue;
                }
                if (segment.Kind == SegmentKind.Prose)
                {
                    // Prose: lowercase words, commas and full stops, the model choosing each byte and when to stop (EOS);
                    // when not empty it ends in a space, as the grammar asks.
                    var written = 0;
                    while (written < segment.MaxChars - 1)
                    {
                        var t = Next(t => t == Eos || (t >= 'a' && t <= 'z') || t == ' ' || t == ',' || t == '.');
                        if (t == Eos) { history.RemoveAt(history.Count - 1); break; }
                        output.Add((byte)t);
                        written++;
                    }
                    if (written > 0 && output[^1] != (byte)' ') { history.Add(' '); output.Add((byte)' '); }
                    continue;
                }
                // A filler: nothing, or " " + 2–10 lowercase letters + ".", each choice the model's own.
                if (Next(t => t == ' ' || t == Eos) == Eos) { history.RemoveAt(history.Count - 1); continue; }
                output.Add((byte)' ');
                var letters = 0;
                while (true)
                {
                    var t = Next(t => (t >= 'a' && t <= 'z' && letters < 10) || (t == '.' && letters >= 2));
                    output.Add((byte)t);
                    if (t == '.') break;
                    letters++;
                }
            }
        }
        lock (_gate) _decoded += history.Count;
        return Encoding.UTF8.GetString(output.ToArray());
    }

    /// <inheritdoc />
    public void Dispose() { }
}
