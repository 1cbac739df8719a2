namespace HybridSynth.Scm.Inference;

/// <summary>
/// A non-negative table φ(X_1, …, X_k) over categorical variables, stored row-major with the LAST
/// variable varying fastest. Variables are model indices, kept sorted ascending.
/// </summary>
public sealed class Factor
{
    /// <summary>A factor over <paramref name="variables"/> (sorted model indices) with their cardinalities; <paramref name="values"/> is row-major with the last variable fastest.</summary>
    public Factor(int[] variables, int[] cardinalities, double[] values)
    {
        if (variables.Length != cardinalities.Length) throw new ArgumentException("one cardinality per variable is needed");
        for (var i = 1; i < variables.Length; i++)
            if (variables[i] <= variables[i - 1]) throw new ArgumentException("factor variables must be sorted and distinct");
        long size = 1;
        foreach (var c in cardinalities) size *= c;
        if (values.Length != size) throw new ArgumentException($"a factor over these variables has {size} entries, not {values.Length}");
        Variables = variables;
        Cardinalities = cardinalities;
        Values = values;
    }

    /// <summary>The model indices of the factor's variables.</summary>
    public int[] Variables { get; }
    /// <summary>Their cardinalities.</summary>
    public int[] Cardinalities { get; }
    /// <summary>The entries, row-major with the last variable fastest.</summary>
    public double[] Values { get; }

    /// <summary>Number of entries a factor over <paramref name="variables"/> would have.</summary>
    public static double SizeOf(IEnumerable<int> variables, IReadOnlyList<int> cardinalityOf) =>
        variables.Aggregate(1.0, (a, v) => a * cardinalityOf[v]);

    /// <summary>
    /// Σ_{sumOut} Π_i φ_i: the product of the factors over the union of their scopes, with
    /// <paramref name="sumOut"/> (or none, when −1) summed out, computed in one pass.
    /// </summary>
    public static Factor ProductSumOut(IReadOnlyList<Factor> factors, int sumOut, IReadOnlyList<int> cardinalityOf) =>
        ProductKeeping(factors, v => v != sumOut, cardinalityOf);

    /// <summary>
    /// The product of the factors over the union of their scopes with every variable that <paramref name="keep"/> rejects
    /// summed out, in one pass (the product of no factors is the constant 1).
    /// </summary>
    public static Factor ProductKeeping(IReadOnlyList<Factor> factors, Func<int, bool> keep, IReadOnlyList<int> cardinalityOf)
    {
        var scope = factors.SelectMany(f => f.Variables).Distinct().OrderBy(v => v).ToArray();
        var n = scope.Length;
        var cards = scope.Select(v => cardinalityOf[v]).ToArray();
        // Odometer over the full scope; each factor's index moves by its stride for that variable.
        var strides = new int[factors.Count][];
        for (var f = 0; f < factors.Count; f++)
        {
            strides[f] = new int[n];
            var fv = factors[f].Variables;
            var stride = 1;
            for (var j = fv.Length - 1; j >= 0; j--)
            {
                strides[f][Array.IndexOf(scope, fv[j])] = stride;
                stride *= factors[f].Cardinalities[j];
            }
        }
        var outVars = scope.Where(keep).ToArray();
        var outCards = outVars.Select(v => cardinalityOf[v]).ToArray();
        var outStrides = new int[n];
        {
            var stride = 1;
            for (var j = n - 1; j >= 0; j--)
            {
                if (!keep(scope[j])) continue;
                outStrides[j] = stride;
                stride *= cards[j];
            }
        }
        long total = 1;
        foreach (var c in cards) total *= c;
        var outSize = 1L;
        foreach (var c in outCards) outSize *= c;
        var result = new double[outSize];
        var assignment = new int[n];
        var index = new int[factors.Count];
        var outIndex = 0;
        for (long t = 0; t < total; t++)
        {
            var p = 1.0;
            for (var f = 0; f < factors.Count; f++) p *= factors[f].Values[index[f]];
            result[outIndex] += p;
            // Advance the odometer (last variable fastest).
            for (var j = n - 1; j >= 0; j--)
            {
                if (++assignment[j] < cards[j])
                {
                    for (var f = 0; f < factors.Count; f++) index[f] += strides[f][j];
                    outIndex += outStrides[j];
                    break;
                }
                assignment[j] = 0;
                for (var f = 0; f < factors.Count; f++) index[f] -= strides[f][j] * (cards[j] - 1);
                outIndex -= outStrides[j] * (cards[j] - 1);
            }
        }
        return new Factor(outVars, outCards, result);
    }

    /// <summary>φ restricted to X = code (X dropped from the scope); returns this factor when X is not in it.</summary>
    public Factor Reduce(int variable, int code)
    {
        var pos = Array.IndexOf(Variables, variable);
        if (pos < 0) return this;
        var inner = 1;
        for (var j = pos + 1; j < Variables.Length; j++) inner *= Cardinalities[j];
        var card = Cardinalities[pos];
        var outer = Values.Length / (inner * card);
        var result = new double[outer * inner];
        for (var o = 0; o < outer; o++)
            Array.Copy(Values, (o * card + code) * inner, result, o * inner, inner);
        return new Factor(Variables.Where((_, j) => j != pos).ToArray(), Cardinalities.Where((_, j) => j != pos).ToArray(), result);
    }
}
