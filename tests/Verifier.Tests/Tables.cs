using HybridSynth.Scm.Tables;
using HybridSynth.Scm.Variables;

namespace HybridSynth.Verifier.Tests;

/// <summary>Builds small data tables for the golden cases.</summary>
public static class Tables
{
    public static Variable Cat(string name, int k) => new(name, new CategoricalDomain(Enumerable.Range(0, k).Select(i => $"s{i}").ToArray()));

    public static Variable Num(string name) => new(name, ContinuousDomain.Instance);

    /// <summary>Rows expanded from a contingency table: counts[i][j] rows with X = i, Y = j (and the given stratum code for Z).</summary>
    public static (List<int> X, List<int> Y, List<int> Z) Expand(int[][] counts, int stratum, (List<int>, List<int>, List<int>)? into = null)
    {
        var (x, y, z) = into ?? (new List<int>(), new List<int>(), new List<int>());
        for (var i = 0; i < counts.Length; i++)
            for (var j = 0; j < counts[i].Length; j++)
                for (var c = 0; c < counts[i][j]; c++) { x.Add(i); y.Add(j); z.Add(stratum); }
        return (x, y, z);
    }

    public static DataTable Categorical(int kx, int ky, int kz, List<int> x, List<int> y, List<int> z)
    {
        var t = new DataTable(x.Count);
        t.AddCategorical(Cat("X", kx), x.ToArray());
        t.AddCategorical(Cat("Y", ky), y.ToArray());
        t.AddCategorical(Cat("Z", kz), z.ToArray());
        return t;
    }
}
