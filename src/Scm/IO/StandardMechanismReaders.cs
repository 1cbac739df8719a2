using HybridSynth.Scm.Mechanisms;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Scm.IO;

/// <summary>JSON readers of the built-in mechanism kinds (documented in the README's spec section).</summary>
public static class StandardMechanismReaders
{
    /// <summary>Row sums further than this from 1 are rejected; closer ones are renormalised (as in BIF).</summary>
    public const double RowSumTolerance = 1e-6;

    /// <summary>
    /// <c>{"type": "cpt", "table": [[p…], …]}</c>: one row of probabilities per parent configuration,
    /// the LAST parent varying fastest; a root may give a single row or a flat list.
    /// </summary>
    public static IMechanism Cpt(MechanismReadContext c)
    {
        if (!c.Variable.IsCategorical) throw c.Error(c.Json, $"a 'cpt' mechanism needs a categorical variable; '{c.Variable.Name}' is continuous");
        foreach (var p in c.Parents)
            if (!p.IsCategorical) throw c.Error(c.Json, $"a 'cpt' mechanism needs categorical parents; '{p.Name}' is continuous");
        var k = c.Variable.Cardinality;
        var expectedRows = c.Parents.Aggregate(1L, (a, p) => a * p.Cardinality);
        var token = c.Required("table");
        if (token is not JArray rows) throw c.Error(token, $"expected 'table' to be an array of rows, found {MechanismReadContext.Describe(token)}");
        if (expectedRows == 1 && rows.Count > 0 && rows[0].Type != JTokenType.Array) rows = new JArray(rows);
        if (rows.Count != expectedRows)
            throw c.Error(rows, $"the table of '{c.Variable.Name}' has {rows.Count} rows; expected {expectedRows} (one per configuration of {Parents(c)}, the last varying fastest)");
        var table = new double[expectedRows * k];
        for (var r = 0; r < rows.Count; r++)
        {
            if (rows[r] is not JArray row) throw c.Error(rows[r], $"expected row {r + 1} of '{c.Variable.Name}' to be an array of {k} probabilities");
            if (row.Count != k) throw c.Error(row, $"row {r + 1} of '{c.Variable.Name}' has {row.Count} values; expected {k} (states: {string.Join(", ", c.Variable.Categorical.States)})");
            var sum = 0.0;
            for (var s = 0; s < k; s++)
            {
                var x = c.Number(row[s], "a probability");
                if (x < 0) throw c.Error(row[s], $"expected a probability ≥ 0, found {x}");
                table[r * k + s] = x;
                sum += x;
            }
            if (Math.Abs(sum - 1) > RowSumTolerance)
                throw c.Error(row, $"row {r + 1} of '{c.Variable.Name}' sums to {sum:R}; expected 1 (tolerance 1e-6)");
            for (var s = 0; s < k; s++) table[r * k + s] /= sum;
        }
        return new CptMechanism(c.ParentIndices, c.Parents.Select(p => p.Cardinality).ToArray(), k, table);
    }

    /// <summary><c>{"type": "linear_gaussian", "intercept": β₀, "weights": {"parent": β, …}, "sd": σ}</c>.</summary>
    public static IMechanism LinearGaussian(MechanismReadContext c)
    {
        if (c.Variable.IsCategorical) throw c.Error(c.Json, $"a 'linear_gaussian' mechanism needs a continuous variable; '{c.Variable.Name}' is categorical");
        var sdToken = c.Required("sd");
        var sd = c.Number(sdToken, "a standard deviation");
        if (sd < 0) throw c.Error(sdToken, $"expected a standard deviation ≥ 0, found {sd}");
        return new LinearGaussianMechanism(c.ParentIndices, c.OptionalNumber("intercept", 0, "an intercept"), c.ParentWeights(), sd);
    }

    /// <summary><c>{"type": "logistic", "intercept": β₀, "weights": {"parent": β, …}}</c> for a two-state variable: logit P(state 2) = β₀ + Σ β x.</summary>
    public static IMechanism Logistic(MechanismReadContext c)
    {
        if (!c.Variable.IsCategorical || c.Variable.Cardinality != 2)
            throw c.Error(c.Json, $"a 'logistic' mechanism needs a categorical variable with 2 states; '{c.Variable.Name}' is not");
        return new LogisticMechanism(c.ParentIndices, c.OptionalNumber("intercept", 0, "an intercept"), c.ParentWeights());
    }

    private static string Parents(MechanismReadContext c) =>
        c.Parents.Count == 0 ? "no parents" : string.Join(", ", c.Parents.Select(p => $"{p.Name} ({p.Cardinality})"));
}
