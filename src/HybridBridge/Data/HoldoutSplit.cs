using HybridSynth.Scm.Randomness;

namespace HybridSynth.HybridBridge.Data;

/// <summary>
/// A seeded split of a dataset into training and held-out rows: rows ordered by a counter-based uniform
/// keyed by (seed, bootstrap stream, "holdout"), the first round(n·(1 − share)) for training; each part
/// keeps the file's row order.
/// </summary>
public static class HoldoutSplit
{
    public static (CausalData Train, CausalData Holdout) Split(CausalData data, double share, ulong seed)
    {
        if (share is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(share), share, "the held-out share must be in (0, 1)");
        var key = Seeds.Holdout(seed);
        var order = Enumerable.Range(0, data.Count).OrderBy(i => CounterNoise.Uniform(key, i)).ToArray();
        var cut = (int)Math.Round(data.Count * (1 - share));
        return (data.Subset(order[..cut].OrderBy(i => i).ToList()), data.Subset(order[cut..].OrderBy(i => i).ToList()));
    }
}
