using HybridSynth.Scm.Randomness;

namespace HybridSynth.HybridBridge.Generators;

/// <summary>The baseline: rows resampled with replacement from the data (every synthetic row is a real one).</summary>
public sealed class BootstrapGenerator : ITabularGenerator
{
    /// <inheritdoc />
    public string Name => "bootstrap";

    /// <inheritdoc />
    public IFittedGenerator Fit(ColumnTable data, ulong seed) => new Fitted(data);

    private sealed class Fitted(ColumnTable data) : IFittedGenerator
    {
        public ColumnTable Sample(int n, ulong seed)
        {
            var key = Seeds.Bootstrap(seed);
            var rows = Enumerable.Range(0, n).Select(i => Math.Min(data.Rows - 1, (int)(CounterNoise.Uniform(key, i) * data.Rows))).ToArray();
            return data.SelectRows(rows);
        }
    }
}
