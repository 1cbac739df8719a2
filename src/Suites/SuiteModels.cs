using HybridSynth.Lm;
using HybridSynth.Lm.Llama;
using HybridSynth.Lm.Mechanisms;
using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.Interventions;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Mechanisms;
using HybridSynth.Scm.Model;

namespace HybridSynth.Suites;

/// <summary>
/// The models of a suite build, each loaded once and checked (regimes, soft interventions, counterfactuals, queries) before
/// anything is built, with the error naming the suite model. An SD-SCM family loads its GGUF model once; each phrasing-family
/// seed is a session of its own over it (its own phrasing choices and memo of scored prompts).
/// </summary>
public sealed class SuiteModels : IDisposable
{
    private readonly SuiteFile _suite;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ILanguageModel Model, string Sha256)> _languageModels = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    /// <summary>The models of <paramref name="suite"/>, loaded on first use.</summary>
    public SuiteModels(SuiteFile suite) => _suite = suite;

    /// <summary>A loaded model (one member of a family) with what its datasets need.</summary>
    /// <param name="Spec">The spec as loaded (its path as the suite names it, so that no record depends on where the suite was built).</param>
    /// <param name="Session">The language-model session of an SD-SCM member, or null.</param>
    /// <param name="LanguageModelSha256">The GGUF file's SHA-256, or null.</param>
    /// <param name="SoftInterventions">The soft interventions of each soft-intervention file, by its name in the suite.</param>
    public sealed record Entry(LoadedSpec Spec, LanguageModelSession? Session, string? LanguageModelSha256,
        IReadOnlyDictionary<string, IReadOnlyList<SoftIntervention>> SoftInterventions)
    {
        /// <summary>The causal model.</summary>
        public CausalModel Model => Spec.Model;

        /// <summary>The interventions of a dataset's regime: its do() assignments, then its soft interventions.</summary>
        public List<Intervention> Interventions(SuiteDataset d) =>
            d.Assignments.Select(a => (Intervention)InterventionParser.ParseHard(Model, a)).Concat(d.Soft.SelectMany(f => SoftInterventions[f])).ToList();
    }

    /// <summary>The loaded model of dataset <paramref name="d"/> (loaded and checked on the first call; thread-safe).</summary>
    public Entry Get(SuiteDataset d)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(d.Variant, out var e)) return e;
            e = Load(d.Model, d.ConfigSeed);
            _entries[d.Variant] = e;
            return e;
        }
    }

    private Entry Load(SuiteModel m, ulong? configSeed)
    {
        try
        {
            var isFile = !(m.Spec.StartsWith(SpecLoader.BuiltinPrefix, StringComparison.Ordinal) || m.Spec.StartsWith(NetworkRegistry.BnlearnPrefix, StringComparison.Ordinal)
                || m.Spec.StartsWith(RandomCausalModels.Prefix, StringComparison.Ordinal));
            var path = isFile ? _suite.Resolve(m.Spec) : m.Spec;
            LanguageModelSession? session = null;
            string? sha = null;
            if (m.LanguageModel is { } lm)
            {
                if (!_languageModels.TryGetValue(m.Name, out var loaded))
                {
                    var file = _suite.Resolve(lm.Model);
                    InputFileException.RequireFile(file);
                    loaded = (LlamaModel.Load(file, new LlamaModelOptions { MaxSequences = 64 }), FileDigest.Sha256(file));
                    _languageModels[m.Name] = loaded;
                }
                sha = loaded.Sha256;
                session = new LanguageModelSession(loaded.Model, new SdScmOptions
                {
                    ConfigurationSeed = configSeed ?? 0,
                    Scoring = lm.Scoring == "reference" ? ScoringMode.Reference : ScoringMode.ChainRule,
                    Temperature = lm.Temperature,
                    MaxTabulatedConfigurations = lm.MaxTabulated,
                });
            }
            var readers = session?.Readers ?? LanguageModelSession.StructureReaders;
            var spec = SpecLoader.Load(path, readers) with { Path = m.Spec };
            if (session is null && spec.Model.Mechanisms.Any(x => x is UnboundMechanism))
                throw new ModelException("the spec has language_model mechanisms: give the model a language_model section (model: FILE.gguf, config_seeds: [...])");
            var soft = new Dictionary<string, IReadOnlyList<SoftIntervention>>(StringComparer.Ordinal);
            foreach (var f in m.Regimes.SelectMany(r => r.Soft).Distinct()) soft[f] = SoftInterventionReader.ReadFile(_suite.Resolve(f), spec.Model, readers);
            var model = spec.Model;
            foreach (var a in m.Regimes.SelectMany(r => r.Do).Concat(m.Counterfactuals.SelectMany(x => x))) InterventionParser.ParseHard(model, a);
            foreach (var q in m.Queries)
            {
                var c = TreatmentContrast.Resolve(model, q.Treatment, q.Outcome, q.Treated, q.Control, q.Event);
                foreach (var g in q.Given ?? [])
                {
                    var v = model.IndexOf(g);
                    if (!model[v].IsCategorical) throw new ModelException($"the CATE conditioning variable '{g}' must be categorical");
                    if (v == c.Treatment || v == c.Outcome) throw new ModelException($"the CATE conditioning set cannot hold the treatment or the outcome ('{g}')");
                }
                var strata = (q.Given ?? []).Aggregate(1L, (a, g) => a * model[model.IndexOf(g)].Cardinality);
                if (strata > MaxStrata) throw new ModelException($"the CATE conditioning set {string.Join(", ", q.Given!)} has {strata:N0} strata; at most {MaxStrata}");
            }
            return new Entry(spec, session, sha, soft);
        }
        catch (Exception e) when (e is ModelException or SpecException or InputFileException)
        {
            var what = e is SpecException se ? se.ToOneLine() : e.Message;
            throw new ModelException($"{_suite.Path}: model '{m.Name}'{(configSeed is { } c ? $" (config seed {c})" : "")}: {what}");
        }
    }

    /// <summary>The most strata a CATE conditioning set may have.</summary>
    public const long MaxStrata = 256;

    /// <summary>Releases the language models.</summary>
    public void Dispose()
    {
        foreach (var (model, _) in _languageModels.Values) model.Dispose();
        _languageModels.Clear();
    }
}
