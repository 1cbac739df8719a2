using HybridSynth.Scm.Tables;

namespace HybridSynth.Verifier.CiTests;

/// <summary>
/// Regression design columns: a continuous variable is one column, a categorical one is a dummy per
/// observed state other than its first observed state (treatment coding; never-observed states get
/// no column, so no column is identically zero).
/// </summary>
public static class DesignMatrix
{
    /// <summary>The design columns of one data column: the value of a continuous column, or one dummy per state after the first of a categorical one.</summary>
    public static List<double[]> Columns(DataTable data, int column)
    {
        var n = data.RowCount;
        var v = data.Variables[column];
        if (!v.IsCategorical) return new List<double[]> { data.Values(column) };
        var codes = data.Codes(column);
        var seen = new bool[v.Cardinality];
        foreach (var c in codes) seen[c] = true;
        var states = Enumerable.Range(0, v.Cardinality).Where(k => seen[k]).Skip(1).ToList();
        var result = new List<double[]>();
        foreach (var k in states)
        {
            var d = new double[n];
            for (var i = 0; i < n; i++) d[i] = codes[i] == k ? 1 : 0;
            result.Add(d);
        }
        return result;
    }

    /// <summary>An intercept column followed by the design columns of each of <paramref name="columns"/>.</summary>
    public static List<double[]> WithIntercept(DataTable data, IEnumerable<int> columns)
    {
        var one = new double[data.RowCount];
        Array.Fill(one, 1.0);
        var list = new List<double[]> { one };
        foreach (var c in columns) list.AddRange(Columns(data, c));
        return list;
    }
}
