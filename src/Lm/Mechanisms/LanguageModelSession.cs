using System.Collections.Concurrent;
using HybridSynth.Lm.Runtime;
using HybridSynth.Lm.Scoring;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Randomness;
using HybridSynth.Scm.Variables;

namespace HybridSynth.Lm.Mechanisms;

/// <summary>
/// A loaded model plus everything the language-model mechanisms of one spec share: the scorer, the
/// memo of domain distributions (the distribution of a variable depends only on its prompt, so each
/// distinct prompt is scored once: the cost of a dataset is the number of distinct prompts), the
/// phrasing chosen for each variable, and the statistics reported in the manifest.
/// </summary>
public sealed class LanguageModelSession
{
    public const string MechanismKind = "language_model";
    public const ulong PhrasingStream = 7;

    private readonly ConcurrentDictionary<string, Lazy<double[]>> _memo = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _choices = new(StringComparer.Ordinal);
    private long _calls;

    public LanguageModelSession(LanguageModel model, SdScmOptions? options = null)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        Options = options ?? new SdScmOptions();
        Scorer = new CandidateScorer(model);
    }

    public LanguageModel Model { get; }
    public SdScmOptions Options { get; }
    public CandidateScorer Scorer { get; }

    /// <summary>Requests for a distribution.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Distinct prompts scored (memo misses).</summary>
    public long DistinctPrompts => _memo.Count;

    public long CacheHits => Calls - DistinctPrompts;

    /// <summary>The phrasing index chosen for each variable with a family of phrasings.</summary>
    public IReadOnlyDictionary<string, int> PhrasingChoices => _choices;

    /// <summary>The mechanism readers to pass to the spec loader: <c>"type": "language_model"</c> bound to this session.</summary>
    public IReadOnlyDictionary<string, MechanismReader> Readers =>
        new Dictionary<string, MechanismReader> { [MechanismKind] = c => LanguageModelMechanismReader.Read(c, this) };

    /// <summary>
    /// The phrasing of a variable: one of its family, picked uniformly by the configuration seed and the
    /// variable's name (so the choice for a variable does not depend on the others); a variable without
    /// phrasings is written "NAME is VALUE. ".
    /// </summary>
    public Phrasing PhrasingOf(Variable v)
    {
        if (v.Phrasings.Count == 0) return new Phrasing($"{v.Name} is ", ". ");
        var k = v.Phrasings.Count == 1 ? 0
            : (int)Math.Min(v.Phrasings.Count - 1, Math.Floor(CounterNoise.Uniform(CounterNoise.Key(Options.ConfigurationSeed, PhrasingStream, v.Name, 0), 0) * v.Phrasings.Count));
        _choices[v.Name] = k;
        return v.Phrasings[k];
    }

    /// <summary>P(candidate | prompt) over the domain, memoised by (mode, temperature, prompt, candidates).</summary>
    public double[] Distribution(string prompt, IReadOnlyList<string> candidates, double temperature, ScoringMode mode)
    {
        Interlocked.Increment(ref _calls);
        double[] Compute() => CandidateScorer.Normalise(
            mode == ScoringMode.ChainRule && !Options.Batched ? Scorer.ChainRuleNaive(prompt, candidates) : Scorer.Score(prompt, candidates, mode), temperature);
        if (!Options.Memoise) return Compute();
        var key = $"{(int)mode}\u0001{temperature:R}\u0001{prompt}\u0001{string.Join("\u0002", candidates)}";
        var lazy = _memo.GetOrAdd(key, _ => new Lazy<double[]>(Compute, LazyThreadSafetyMode.ExecutionAndPublication));
        return lazy.Value;
    }
}
