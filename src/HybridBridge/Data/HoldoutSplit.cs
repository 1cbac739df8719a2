using HybridSynth.Scm.Randomness;

namespace HybridSynth.HybridBridge.Data;

/// <summary>
/// A seeded split of a dataset into training and held-out rows: rows ordered by a counter-based uniform
/// keyed by (seed, bootstrap stream, "holdout"), the first round(n·(1 − share)) for training; each part
/// keeps the file's row order.
/// </summary>
public static class HoldoutSplit
{
    /// <summary>Splits the rows into training rows and a holdout: the rows are ranked by their own uniform from the seed's holdout key and the last n − round(n·(1 − <paramref name="share"/>)) are held out (<paramref name="share"/> ∈ (0, 1)), so the split depends on the seed and n only; both parts keep the row order.</summary>
    public static (CausalData Train, CausalData Holdout) Split(CausalData data, double share, ulong seed)
    {
        if (share is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(share), share, "the held-out share must be in (0, 1)");
        var key = Seeds.Holdout(seed);
        var order = Enumerable.Range(0, data.Count).OrderBy(i => CounterNoise.Uniform(key, i)).ToArray();
        var cut = (int)Math.Round(data.Count * (1 - share));
        return (data.Subset(order[..cut].OrderBy(i => i).ToList()), data.Subset(order[cut..].OrderBy(i => i).ToList()));
    }
}
