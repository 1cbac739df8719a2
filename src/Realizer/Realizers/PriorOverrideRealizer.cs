using HybridSynth.Scm.Model;
using HybridSynth.Scm.Randomness;

namespace HybridSynth.Realizer.Realizers;

/// <summary>
/// A test realizer that models the "semantic backdoor" of language models: with probability
/// <see cref="Corruption"/> per variable it writes the variable's most common value (its prior)
/// instead of the skeleton's. Without corrections every call is a fresh attempt (its own draws, keyed
/// by the round: what rejection sampling sees). With corrections it revises its first note: the other
/// variables stay as first written, and each corrected variable is now written correctly with
/// probability <see cref="Heed"/>. Randomness is keyed by (seed, unit, variable, round).
/// </summary>
public sealed class PriorOverrideRealizer(TemplateRealizer inner, IReadOnlyList<double> priors, double corruption, double heed, ulong seed) : IRealizer
{
    /// <inheritdoc />
    public string Name => $"prior-override(p={Corruption}, heed={Heed})";
    /// <summary>The probability that a variable is written as its prior (most common) value instead of the skeleton's.</summary>
    public double Corruption { get; } = corruption;
    /// <summary>The probability that a corrected variable is written correctly in a revision.</summary>
    public double Heed { get; } = heed;

    /// <inheritdoc />
    public string Realize(long unit, IReadOnlyList<double> values, IReadOnlyList<Correction> corrections, int round)
    {
        var written = values.ToArray();
        var model = inner.Lexicon.Model;
        for (var v = 0; v < model.Count; v++)
        {
            if (model[v].Hidden) continue;
            var attempt = corrections.Count == 0 ? round : 1;
            var corrupt = CounterNoise.Uniform(Seeds.Realizer(seed, model[v].Name, 100 + attempt), unit) < Corruption;
            if (corrupt && corrections.Any(c => c.Variable == v))
                corrupt = CounterNoise.Uniform(Seeds.Realizer(seed, model[v].Name, 200 + round), unit) >= Heed;
            if (corrupt) written[v] = priors[v];
        }
        return inner.Write(unit, written);
    }

    /// <summary>The most common state of each categorical column (the mean of a continuous one) in a table of skeleton rows.</summary>
    public static double[] Modes(CausalModel model, IReadOnlyList<double[]> columns) =>
        Enumerable.Range(0, model.Count).Select(v => model[v].IsCategorical
            ? columns[v].GroupBy(x => x).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key
            : columns[v].Average()).ToArray();
}
