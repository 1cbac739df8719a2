using System.Globalization;
using System.Text;
using HybridSynth.Lm.Mechanisms;
using HybridSynth.Lm;
using HybridSynth.Scm.Mechanisms;
using HybridSynth.Scm.Randomness;

namespace HybridSynth.HybridBridge.Generators;

/// <summary>
/// A language-model generator in the style of GReaT (Borisov et al. 2023), without fine-tuning: rows
/// are serialised as text, "W1 is 0, W4 is -0.73, …", and a new row is written one column at a time
/// after a few example rows from the data (in-context), in a random column order per row as GReaT does.
/// Each value is drawn by domain-restricted sampling: the language model's chain-rule probabilities
/// over the column's candidate values (its distinct values when it is discrete, else its deciles),
/// normalised, inverse-CDF on a counter-based uniform. Memoised by prompt through the session.
/// Quality depends entirely on the model; with a small one the rows follow the model's priors, not the data.
/// </summary>
public sealed class LanguageModelGenerator(LanguageModelSession session, int examples = 3, double temperature = 1.0) : ITabularGenerator
{
    /// <inheritdoc />
    public string Name => "lm";

    /// <inheritdoc />
    public IFittedGenerator Fit(ColumnTable data, ulong seed)
    {
        var key = Seeds.LanguageModelExamples(seed);
        var rows = Enumerable.Range(0, data.Rows).OrderBy(i => CounterNoise.Uniform(key, i)).Take(examples).ToArray();
        var candidates = new string[data.Columns.Count][];
        for (var j = 0; j < data.Columns.Count; j++)
        {
            var levels = data.Levels(j);
            if (levels is not null) candidates[j] = levels.Select(Format).ToArray();
            else
            {
                var sorted = data.Columns[j].OrderBy(x => x).ToArray();
                candidates[j] = Enumerable.Range(0, 10).Select(k => Format(Math.Round(sorted[(int)((k + 0.5) / 10 * (sorted.Length - 1))], 2))).Distinct().ToArray();
            }
        }
        var prompt = new StringBuilder();
        foreach (var i in rows)
            prompt.Append(string.Join(", ", data.Names.Select((name, j) => $"{name} is {Format(data.Columns[j][i])}"))).Append(".\n");
        return new Fitted(session, data.Names, candidates, prompt.ToString(), temperature);
    }

    private static string Format(double x) => x.ToString("0.##", CultureInfo.InvariantCulture);

    private sealed class Fitted(LanguageModelSession session, IReadOnlyList<string> names, string[][] candidates, string examples, double temperature) : IFittedGenerator
    {
        public ColumnTable Sample(int n, ulong seed)
        {
            var p = names.Count;
            var columns = Enumerable.Range(0, p).Select(_ => new double[n]).ToArray();
            var orderKey = Seeds.LanguageModelOrder(seed);
            var valueKeys = Enumerable.Range(0, p).Select(j => Seeds.LanguageModelValue(seed, j)).ToArray();
            for (var i = 0; i < n; i++)
            {
                var order = Enumerable.Range(0, p).OrderBy(j => CounterNoise.Uniform(orderKey, (long)i * p + j)).ToArray();
                var text = new StringBuilder(examples);
                // Segment ends for a model's prefix cache: the shared examples, then each stated value.
                var segments = new List<int> { examples.Length };
                for (var k = 0; k < p; k++)
                {
                    var j = order[k];
                    if (k > 0) { text.Append(", "); segments.Add(text.Length); }
                    text.Append(names[j]).Append(" is ");
                    var probabilities = session.Distribution(text.ToString(), candidates[j], temperature, ScoringMode.ChainRule, segments);
                    var choice = InverseCdf.Sample(probabilities, CounterNoise.Uniform(valueKeys[j], i));
                    text.Append(candidates[j][choice]);
                    columns[j][i] = double.Parse(candidates[j][choice], CultureInfo.InvariantCulture);
                }
            }
            return new ColumnTable(names, columns);
        }
    }
}
