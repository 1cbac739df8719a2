using System.Collections.Concurrent;
using HybridSynth.Lm.Scoring;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Randomness;
using HybridSynth.Scm.Variables;

namespace HybridSynth.Lm.Mechanisms;

/// <summary>
/// A language model plus everything the language-model mechanisms of one spec share: the memo of
/// domain distributions (the distribution of a variable depends only on its prompt, so each distinct
/// prompt is scored once: the cost of a dataset is the number of distinct prompts), the phrasing
/// chosen for each variable, and the statistics reported in the manifest. The model is any
/// <see cref="ILanguageModel"/>; the session does not own it.
/// </summary>
public sealed class LanguageModelSession
{
    /// <summary>The spec's mechanism kind.</summary>
    public const string MechanismKind = "language_model";
    /// <summary>The noise stream of the phrasing choice.</summary>
    public const ulong PhrasingStream = NoiseStreams.Phrasing;

    private readonly ConcurrentDictionary<string, Lazy<double[]>> _memo = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _choices = new(StringComparer.Ordinal);
    private long _calls;

    /// <summary>A session over one loaded model: a memo of scored prompts shared by all its mechanisms, and the SD-SCM options.</summary>
    public LanguageModelSession(ILanguageModel model, SdScmOptions? options = null)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        Options = options ?? new SdScmOptions();
    }

    /// <summary>The model every mechanism of the session scores with.</summary>
    public ILanguageModel Model { get; }
    /// <summary>The SD-SCM options (temperature, scoring mode, tabulation limit…).</summary>
    public SdScmOptions Options { get; }

    /// <summary>Requests for a distribution.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Distinct prompts scored (memo misses).</summary>
    public long DistinctPrompts => _memo.Count;

    /// <summary>Scorings answered from the memo (calls minus distinct prompts).</summary>
    public long CacheHits => Calls - DistinctPrompts;

    /// <summary>The phrasing index chosen for each variable with a family of phrasings.</summary>
    public IReadOnlyDictionary<string, int> PhrasingChoices => _choices;

    /// <summary>The mechanism readers to pass to the spec loader: <c>"type": "language_model"</c> bound to this session.</summary>
    public IReadOnlyDictionary<string, MechanismReader> Readers =>
        new Dictionary<string, MechanismReader> { [MechanismKind] = c => LanguageModelMechanismReader.Read(c, this) };

    /// <summary>
    /// Readers that take <c>"type": "language_model"</c> for its structure only (an
    /// <see cref="Scm.Mechanisms.UnboundMechanism"/>): for verbs that need the graph and variables of an
    /// SD-SCM spec but no model (describe, verify, extract, conversions).
    /// </summary>
    public static IReadOnlyDictionary<string, MechanismReader> StructureReaders { get; } =
        new Dictionary<string, MechanismReader>
        {
            [MechanismKind] = c => c.Variable.IsCategorical
                ? new Scm.Mechanisms.UnboundMechanism(MechanismKind, c.Variable.Name, c.ParentIndices, c.Variable.Cardinality, "a language model (--model FILE.gguf)")
                : throw c.Error(c.Json, $"a language_model mechanism needs a categorical variable (a finite domain of strings); '{c.Variable.Name}' is continuous"),
        };

    /// <summary>
    /// The phrasing of a variable: the fixed choice when <see cref="SdScmOptions.FixedPhrasings"/> names
    /// it, else one of its family picked uniformly by the configuration seed and the variable's name (so
    /// the choice for a variable does not depend on the others); a variable without phrasings is written
    /// "NAME is VALUE. ".
    /// </summary>
    public Phrasing PhrasingOf(Variable v)
    {
        if (v.Phrasings.Count == 0) return new Phrasing($"{v.Name} is ", ". ");
        int k;
        if (Options.FixedPhrasings is { } fixedChoices && fixedChoices.TryGetValue(v.Name, out var f))
            k = Math.Clamp(f, 0, v.Phrasings.Count - 1);
        else
            k = v.Phrasings.Count == 1 ? 0
                : (int)Math.Min(v.Phrasings.Count - 1, Math.Floor(CounterNoise.Uniform(Seeds.Phrasing(Options.ConfigurationSeed, v.Name), 0) * v.Phrasings.Count));
        _choices[v.Name] = k;
        return v.Phrasings[k];
    }

    /// <summary>P(candidate | prompt) over the domain, memoised by (mode, temperature, prompt, candidates).</summary>
    public double[] Distribution(string prompt, IReadOnlyList<string> candidates, double temperature, ScoringMode mode, IReadOnlyList<int>? segments = null)
    {
        Interlocked.Increment(ref _calls);
        return Lookup(prompt, candidates, temperature, mode, segments);
    }

    /// <summary>
    /// Scores the prompts not in the memo yet, all in one call to the model (a server backend then has
    /// several requests in flight), in the order given. Scores do not depend on the order or grouping.
    /// </summary>
    public void PrefetchMany(IReadOnlyList<(string Prompt, IReadOnlyList<int>? Segments)> prompts, IReadOnlyList<string> candidates, double temperature, ScoringMode mode)
    {
        if (!Options.Memoise) return;
        var keys = new List<string>();
        var missing = new List<ScoreRequest>();
        foreach (var (prompt, segments) in prompts)
        {
            var key = Key(prompt, candidates, temperature, mode);
            if (_memo.ContainsKey(key)) continue;
            keys.Add(key);
            missing.Add(new ScoreRequest(prompt, candidates, mode, segments));
        }
        if (missing.Count == 0) return;
        var scores = Model.ScoreMany(missing);
        for (var i = 0; i < keys.Count; i++)
        {
            var p = CandidateScorer.Normalise(scores[i], temperature);
            _memo.TryAdd(keys[i], new Lazy<double[]>(() => p, LazyThreadSafetyMode.ExecutionAndPublication));
        }
    }

    private static string Key(string prompt, IReadOnlyList<string> candidates, double temperature, ScoringMode mode) =>
        $"{(int)mode}\u0001{temperature:R}\u0001{prompt}\u0001{string.Join("\u0002", candidates)}";

    private double[] Lookup(string prompt, IReadOnlyList<string> candidates, double temperature, ScoringMode mode, IReadOnlyList<int>? segments)
    {
        double[] Compute() => CandidateScorer.Normalise(Model.Score(prompt, candidates, mode, segments), temperature);
        if (!Options.Memoise) return Compute();
        var key = Key(prompt, candidates, temperature, mode);
        var lazy = _memo.GetOrAdd(key, _ => new Lazy<double[]>(Compute, LazyThreadSafetyMode.ExecutionAndPublication));
        return lazy.Value;
    }
}
