using HybridSynth.Scm.Mechanisms;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Randomness;

namespace HybridSynth.Realizer.Realizers;

/// <summary>
/// The semantic backdoor with a context: with probability <see cref="Strength"/> per categorical variable, the note states
/// a value drawn from a prior model's conditional P(X | the other values of the row) — the Markov-blanket conditional
/// P(x | pa) Π_children P(c | pa_c) of the prior model, evaluated at the skeleton's other values — instead of the
/// skeleton's value. The prior is the model itself (what a model that learnt this population finds plausible), or another
/// model over the same variables (another population, edges removed or reversed). Attempts and revisions follow
/// <see cref="PriorOverrideRealizer"/>: a fresh attempt redraws; a revision keeps the first note and heeds a correction
/// with probability <see cref="Heed"/>. Randomness is keyed by (seed, unit, variable, round).
/// </summary>
public sealed class ContextPriorRealizer : IRealizer
{
    private readonly TemplateRealizer _inner;
    private readonly CausalModel _prior;
    private readonly int[][] _children;
    private readonly ulong _seed;

    /// <summary>A realizer over <paramref name="inner"/>'s phrasing whose overrides come from <paramref name="prior"/> (same variables, discrete where overridden).</summary>
    /// <exception cref="ArgumentException">The prior's variables differ from the model's.</exception>
    public ContextPriorRealizer(TemplateRealizer inner, CausalModel prior, double strength, double heed, ulong seed)
    {
        var model = inner.Lexicon.Model;
        if (prior.Count != model.Count || Enumerable.Range(0, model.Count).Any(v => prior[v].Name != model[v].Name || prior[v].IsCategorical != model[v].IsCategorical))
            throw new ArgumentException("the prior model must have the model's variables, in the same order");
        _inner = inner;
        _prior = prior;
        _children = Enumerable.Range(0, prior.Count).Select(v => prior.Graph.Children(v).ToArray()).ToArray();
        Strength = strength;
        Heed = heed;
        _seed = seed;
    }

    /// <inheritdoc />
    public string Name => $"context-prior(s={Strength}, heed={Heed})";
    /// <summary>The probability that a variable is written from the prior's conditional instead of the skeleton.</summary>
    public double Strength { get; }
    /// <summary>The probability that a corrected variable is written correctly in a revision.</summary>
    public double Heed { get; }

    /// <inheritdoc />
    public string Realize(long unit, IReadOnlyList<double> values, IReadOnlyList<Correction> corrections, int round)
    {
        var written = values.ToArray();
        var model = _inner.Lexicon.Model;
        for (var v = 0; v < model.Count; v++)
        {
            if (model[v].Hidden || !model[v].IsCategorical || _prior.Mechanisms[v] is not ICategoricalMechanism) continue;
            var attempt = corrections.Count == 0 ? round : 1;
            var over = CounterNoise.Uniform(Seeds.Realizer(_seed, model[v].Name, 300 + attempt), unit) < Strength;
            if (over && corrections.Any(c => c.Variable == v))
                over = CounterNoise.Uniform(Seeds.Realizer(_seed, model[v].Name, 400 + round), unit) >= Heed;
            if (over) written[v] = InverseCdf.Sample(Conditional(v, values), CounterNoise.Uniform(Seeds.Realizer(_seed, model[v].Name, 500 + attempt), unit));
        }
        return _inner.Write(unit, written);
    }

    /// <summary>The prior's P(X_v | every other value of the row), by its Markov blanket.</summary>
    public double[] Conditional(int v, IReadOnlyList<double> row)
    {
        var k = _prior[v].Cardinality;
        var p = new double[k];
        var mech = (ICategoricalMechanism)_prior.Mechanisms[v];
        mech.Probabilities(mech.Parents.Select(q => row[q]).ToArray(), p);
        var values = row.ToArray();
        var buffer = new double[64];
        for (var s = 0; s < k; s++)
        {
            values[v] = s;
            foreach (var c in _children[v])
                if (_prior.Mechanisms[c] is ICategoricalMechanism child)
                {
                    var probs = buffer.AsSpan(0, child.Cardinality);
                    child.Probabilities(child.Parents.Select(q => values[q]).ToArray(), probs);
                    p[s] *= probs[(int)values[c]];
                }
        }
        var z = p.Sum();
        if (!(z > 0)) { Array.Fill(p, 0); p[(int)row[v]] = 1; return p; } // the row is impossible under the prior: keep its value
        for (var s = 0; s < k; s++) p[s] /= z;
        return p;
    }
}
