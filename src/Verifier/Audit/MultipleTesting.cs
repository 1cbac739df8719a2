namespace HybridSynth.Verifier.Audit;

/// <summary>Adjusted p-values for a family of tests.</summary>
public static class MultipleTesting
{
    /// <summary>Holm's step-down adjustment (controls the family-wise error rate): p̃_(i) = max_{j≤i} min(1, (m − j + 1) p_(j)).</summary>
    public static double[] Holm(IReadOnlyList<double> p)
    {
        var m = p.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => p[i]).ThenBy(i => i).ToArray();
        var adjusted = new double[m];
        var running = 0.0;
        for (var k = 0; k < m; k++)
        {
            running = Math.Max(running, Math.Min(1, (m - k) * p[order[k]]));
            adjusted[order[k]] = running;
        }
        return adjusted;
    }

    /// <summary>Benjamini–Hochberg step-up adjustment (controls the false discovery rate): p̃_(i) = min_{j≥i} min(1, m p_(j) / j).</summary>
    public static double[] BenjaminiHochberg(IReadOnlyList<double> p)
    {
        var m = p.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => p[i]).ThenBy(i => i).ToArray();
        var adjusted = new double[m];
        var running = 1.0;
        for (var k = m - 1; k >= 0; k--)
        {
            running = Math.Min(running, Math.Min(1, m * p[order[k]] / (k + 1)));
            adjusted[order[k]] = running;
        }
        return adjusted;
    }
}
