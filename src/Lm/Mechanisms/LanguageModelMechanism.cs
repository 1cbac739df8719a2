using HybridSynth.Lm.Scoring;
using HybridSynth.Scm.Mechanisms;
using HybridSynth.Scm.Variables;

namespace HybridSynth.Lm.Mechanisms;

/// <summary>
/// The SD-SCM structural equation (Bynum &amp; Cho): V := F⁻¹(U_V) where F is the CDF, over V's domain
/// in a fixed order, of the language model's distribution P(v | prompt). The prompt is the
/// parent-only concatenation — the rendered texts (prefix + value + suffix) of V's parents in
/// topological order, then V's own prefix — so non-parents never appear in it, and an intervened
/// parent appears with its intervened value. P(v | prompt) ∝ exp(log P_LM(v | prompt) / T), the
/// chain-rule probability of v's tokens (or the compatibility score of the published code).
/// U_V is the unit's stored uniform, so a counterfactual replays it exactly.
/// </summary>
public sealed class LanguageModelMechanism : ICategoricalMechanism, ITabulationLimit
{
    private readonly LanguageModelSession _session;
    private readonly int[] _parents;
    private readonly Variable[] _parentVariables;
    private readonly Phrasing[] _parentPhrasings;
    private readonly string[] _candidates;

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
        ScoreSuffix = scoreSuffix;
        _candidates = variable.Categorical.States.Select(s => scoreSuffix ? s + phrasing.Suffix : s).ToArray();
    }

    public string Kind => LanguageModelSession.MechanismKind;
    public Variable Variable { get; }
    public Phrasing Phrasing { get; }
    public double Temperature { get; }
    public ScoringMode Scoring { get; }

    /// <summary>Whether each candidate is scored with the suffix after it (so that a value that is a prefix of another is not favoured).</summary>
    public bool ScoreSuffix { get; }

    /// <summary>Parents in topological order (the order of the prompt).</summary>
    public IReadOnlyList<int> Parents => _parents;
    public int Cardinality => _candidates.Length;
    public int NoiseDimension => 1;
    public NoiseKind NoiseKind => NoiseKind.Uniform;
    public long MaxConfigurations => _session.Options.MaxTabulatedConfigurations;

    /// <summary>The prompt for the given parent values.</summary>
    public string Prompt(ReadOnlySpan<double> parentValues)
    {
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < _parents.Length; i++) sb.Append(_parentPhrasings[i].Render(_parentVariables[i].Format(parentValues[i])));
        sb.Append(Phrasing.Prefix);
        return sb.ToString();
    }

    public void Probabilities(ReadOnlySpan<double> parentValues, Span<double> probabilities) =>
        _session.Distribution(Prompt(parentValues), _candidates, Temperature, Scoring).CopyTo(probabilities);

    public double Evaluate(ReadOnlySpan<double> parentValues, ReadOnlySpan<double> noise)
    {
        Span<double> p = stackalloc double[_candidates.Length];
        Probabilities(parentValues, p);
        return InverseCdf.Sample(p, noise[0]);
    }

    public void EvaluateBatch(MechanismBatch batch, Span<double> output) => MechanismBatch.EvaluateRows(this, batch, output);
}
