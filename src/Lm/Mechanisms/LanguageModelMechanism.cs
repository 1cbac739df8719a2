using HybridSynth.Scm.Mechanisms;
using HybridSynth.Scm.Variables;

namespace HybridSynth.Lm.Mechanisms;

/// <summary>
/// The SD-SCM structural equation (Bynum &amp; Cho): V := F⁻¹(U_V) where F is the CDF, over V's domain
/// in a fixed order, of the language model's distribution P(v | prompt). The prompt is built from V's
/// parents only, so non-parents never appear in it and an intervened parent appears with its
/// intervened value:
/// <list type="bullet">
/// <item><see cref="ScoringMode.ChainRule"/>: the rendered texts (prefix + value + suffix) of V's parents
/// in topological order, then V's own prefix; P(v | prompt) ∝ exp(log P_LM(v | prompt) / T), the exact
/// chain-rule probability of v's tokens (with the suffix when <see cref="ScoreSuffix"/>).</item>
/// <item><see cref="ScoringMode.Reference"/>: the published SD-SCM code's prompt and score — each parent's
/// rendered text preceded by one space, in ascending variable order, then a space and V's prefix;
/// candidates are the bare states (the suffix is never scored), softmax over the domain.</item>
/// </list>
/// U_V is the unit's stored uniform, so a counterfactual replays it exactly.
/// </summary>
public sealed class LanguageModelMechanism : ICategoricalMechanism, ITabulationLimit, IDepthFirstEvaluation
{
    private readonly LanguageModelSession _session;
    private readonly int[] _parents;
    private readonly Variable[] _parentVariables;
    private readonly Phrasing[] _parentPhrasings;
    private readonly int[] _promptOrder;
    private readonly string[] _candidates;

    /// <summary>The SD-SCM structural equation of <paramref name="variable"/>: the model scores the variable's states after its parents' rendered text (<paramref name="phrasing"/>), at the given temperature and scoring mode.</summary>
    public LanguageModelMechanism(LanguageModelSession session, Variable variable, Phrasing phrasing,
        IReadOnlyList<int> parents, IReadOnlyList<Variable> parentVariables, IReadOnlyList<Phrasing> parentPhrasings,
        double temperature, ScoringMode scoring, bool scoreSuffix)
    {
        _session = session;
        Variable = variable;
        Phrasing = phrasing;
        _parents = parents.ToArray();
        _parentVariables = parentVariables.ToArray();
        _parentPhrasings = parentPhrasings.ToArray();
        Temperature = temperature;
        Scoring = scoring;
        ScoreSuffix = scoring == ScoringMode.ChainRule && scoreSuffix;
        // The published code lists parents in ascending variable order; ours in topological order (Parents).
        _promptOrder = scoring == ScoringMode.Reference
            ? Enumerable.Range(0, _parents.Length).OrderBy(i => _parents[i]).ToArray()
            : Enumerable.Range(0, _parents.Length).ToArray();
        _candidates = variable.Categorical.States.Select(s => ScoreSuffix ? s + phrasing.Suffix : s).ToArray();
    }

    /// <inheritdoc />
    public string Kind => LanguageModelSession.MechanismKind;
    /// <summary>The variable this mechanism sets.</summary>
    public Variable Variable { get; }
    /// <summary>The phrasing that renders the prompt and the candidates.</summary>
    public Phrasing Phrasing { get; }
    /// <summary>The softmax temperature applied to the candidates' log-probabilities (1: the model's own distribution).</summary>
    public double Temperature { get; }
    /// <summary>How a candidate's probability is computed from its tokens.</summary>
    public ScoringMode Scoring { get; }

    /// <summary>Whether each candidate is scored with the suffix after it (so that a value that is a prefix of another is not favoured); never in reference mode.</summary>
    public bool ScoreSuffix { get; }

    /// <summary>Parents in topological order (the order of the parent values passed in).</summary>
    public IReadOnlyList<int> Parents => _parents;

    /// <summary>The strings scored: the states (with the suffix when <see cref="ScoreSuffix"/>).</summary>
    public IReadOnlyList<string> Candidates => _candidates;

    /// <inheritdoc />
    public int Cardinality => _candidates.Length;
    /// <inheritdoc />
    public int NoiseDimension => 1;
    /// <inheritdoc />
    public NoiseKind NoiseKind => NoiseKind.Uniform;
    /// <inheritdoc />
    public long MaxConfigurations => _session.Options.MaxTabulatedConfigurations;

    /// <summary>The prompt for the given parent values.</summary>
    public string Prompt(ReadOnlySpan<double> parentValues) => PromptWithSegments(parentValues).Text;

    /// <summary>The prompt and the character offsets where each parent's prefix and sentence end (the segments a prefix cache may keep).</summary>
    public (string Text, int[] Segments) PromptWithSegments(ReadOnlySpan<double> parentValues)
    {
        var sb = new System.Text.StringBuilder();
        var segments = new int[2 * _parents.Length];
        var reference = Scoring == ScoringMode.Reference;
        for (var j = 0; j < _promptOrder.Length; j++)
        {
            var i = _promptOrder[j];
            if (reference) sb.Append(' ');
            // Two cuts per parent: after its prefix (where that parent's own prompt ended, so its KV cache can
            // be kept) and after its whole sentence.
            sb.Append(_parentPhrasings[i].Prefix);
            segments[2 * j] = sb.Length;
            sb.Append(_parentVariables[i].Format(parentValues[i])).Append(_parentPhrasings[i].Suffix);
            segments[2 * j + 1] = sb.Length;
        }
        if (reference) sb.Append(' ');
        sb.Append(Phrasing.Prefix);
        return (sb.ToString(), segments);
    }

    /// <inheritdoc />
    public void Probabilities(ReadOnlySpan<double> parentValues, Span<double> probabilities)
    {
        var (text, segments) = PromptWithSegments(parentValues);
        _session.Distribution(text, _candidates, Temperature, Scoring, segments).CopyTo(probabilities);
    }

    /// <inheritdoc />
    public double Evaluate(ReadOnlySpan<double> parentValues, ReadOnlySpan<double> noise)
    {
        Span<double> p = stackalloc double[_candidates.Length];
        Probabilities(parentValues, p);
        return InverseCdf.Sample(p, noise[0]);
    }

    /// <summary>
    /// Scores the batch's distinct prompts first, in ordinal order (so that consecutive prompts share
    /// the longest prefixes and a model with a prefix cache decodes each shared sentence once), then
    /// draws every row from the memo. Scores do not depend on the order, so neither does the output.
    /// </summary>
    public void EvaluateBatch(MechanismBatch batch, Span<double> output)
    {
        if (_session.Options.Memoise && batch.Count > 1)
        {
            var prompts = new Dictionary<string, int[]>(StringComparer.Ordinal);
            var values = new double[_parents.Length];
            for (var r = 0; r < batch.Count; r++)
            {
                for (var k = 0; k < values.Length; k++) values[k] = batch.ParentColumns[k][r];
                var (text, segments) = PromptWithSegments(values);
                prompts.TryAdd(text, segments);
            }
            _session.PrefetchMany(prompts.Keys.Order(StringComparer.Ordinal).Select(t => (t, (IReadOnlyList<int>?)prompts[t])).ToList(), _candidates, Temperature, Scoring);
        }
        MechanismBatch.EvaluateRows(this, batch, output);
    }
}
