using HybridSynth.Scm.Randomness;

namespace HybridSynth.Verifier.CiTests;

/// <summary>
/// Draws the tables of a stratified contingency table under independence given every stratum's margins — the multivariate
/// hypergeometric law, which is exactly the law of the table after X is permuted uniformly within each stratum. A stratum's
/// table is drawn cell by cell from univariate hypergeometrics (one uniform each, inverse CDF searched outward from the
/// mode), so a draw costs O(cells) instead of O(rows), and the permuted statistic is evaluated on the compact table:
/// G² = 2 Σ O ln O − const and X² = Σ O² / E − n with E held fixed. Only strata with two or more non-empty rows and
/// columns enter (the others contribute nothing to the statistic).
/// </summary>
public sealed class ConditionalTables
{
    private readonly List<Stratum> _strata = new();
    private readonly double[] _logFactorial;
    private readonly ContingencyDivergence _divergence;

    /// <summary>A contributing stratum: where its cells start, its non-empty rows and columns (indices and totals), n and the statistic's constant.</summary>
    private sealed record Stratum(int Offset, int[] RowIndex, int[] ColIndex, long N, long[] Rows, long[] Cols, double Constant);

    /// <summary>The contributing strata of <paramref name="counts"/> (stratum-major, kx × ky cells each) and their margins.</summary>
    public ConditionalTables(long[] counts, int strata, int kx, int ky, ContingencyDivergence divergence)
    {
        _divergence = divergence;
        long largest = 0;
        var cell = kx * ky;
        for (var s = 0; s < strata; s++)
        {
            var rows = new long[kx];
            var cols = new long[ky];
            for (var i = 0; i < kx; i++)
                for (var j = 0; j < ky; j++)
                {
                    var o = counts[s * cell + i * ky + j];
                    rows[i] += o;
                    cols[j] += o;
                }
            var ri = Enumerable.Range(0, kx).Where(i => rows[i] > 0).ToArray();
            var ci = Enumerable.Range(0, ky).Where(j => cols[j] > 0).ToArray();
            if (ri.Length < 2 || ci.Length < 2) continue;
            var r = ri.Select(i => rows[i]).ToArray();
            var c = ci.Select(j => cols[j]).ToArray();
            var n = r.Sum();
            largest = Math.Max(largest, n);
            // G²: Σ O ln E = Σ r ln r + Σ c ln c − n ln n whatever the table, given the margins.
            var constant = divergence == ContingencyDivergence.LikelihoodRatio
                ? 2 * (r.Sum(XLogX) + c.Sum(XLogX) - XLogX(n))
                : n;
            _strata.Add(new Stratum(s * cell, ri, ci, n, r, c, constant));
        }
        _logFactorial = new double[largest + 1];
        for (long k = 2; k <= largest; k++) _logFactorial[k] = _logFactorial[k - 1] + Math.Log(k);
    }

    /// <summary>The statistic of the table the strata were taken from, computed as the draws compute it (so that ties compare exactly).</summary>
    public double Statistic(long[] counts, int kx, int ky)
    {
        double stat = 0;
        foreach (var st in _strata)
        {
            var table = new long[st.RowIndex.Length * st.ColIndex.Length];
            for (var a = 0; a < st.RowIndex.Length; a++)
                for (var b = 0; b < st.ColIndex.Length; b++)
                    table[a * st.ColIndex.Length + b] = counts[st.Offset + st.RowIndex[a] * ky + st.ColIndex[b]];
            stat += Score(st, table);
        }
        return Math.Max(0, stat);
    }

    /// <summary>The statistic of one table drawn under independence, from the uniforms keyed by (<paramref name="key"/>, <paramref name="draw"/> …).</summary>
    public double DrawStatistic(ulong key, long draw, long[] buffer)
    {
        double stat = 0;
        foreach (var s in _strata)
        {
            Draw(s, key, ref draw, buffer);
            stat += Score(s, buffer);
        }
        return Math.Max(0, stat);
    }

    /// <summary>The length a buffer needs for <see cref="DrawStatistic"/>.</summary>
    public int BufferLength => _strata.Count == 0 ? 0 : _strata.Max(s => s.Rows.Length * s.Cols.Length);

    /// <summary>Fills <paramref name="table"/> (rows × cols, row-major) with a draw of a stratum's table given its margins.</summary>
    private void Draw(Stratum s, ulong key, ref long draw, long[] table)
    {
        var kr = s.Rows.Length;
        var kc = s.Cols.Length;
        Span<long> colLeft = kc <= 64 ? stackalloc long[kc] : new long[kc];
        s.Cols.CopyTo(colLeft);
        var left = s.N;
        for (var i = 0; i < kr - 1; i++)
        {
            var need = s.Rows[i];
            var pool = left;
            for (var j = 0; j < kc - 1; j++)
            {
                long k = 0;
                if (need > 0) k = Hypergeometric(pool, colLeft[j], need, CounterNoise.Uniform(key, draw++));
                pool -= colLeft[j];
                table[i * kc + j] = k;
                colLeft[j] -= k;
                need -= k;
            }
            table[i * kc + kc - 1] = need;
            colLeft[kc - 1] -= need;
            left -= s.Rows[i];
        }
        for (var j = 0; j < kc; j++) table[(kr - 1) * kc + j] = colLeft[j];
    }

    /// <summary>
    /// A draw from the hypergeometric law (successes among <paramref name="draws"/> taken without replacement from
    /// <paramref name="population"/> items of which <paramref name="successes"/> succeed) for the uniform <paramref name="u"/>,
    /// searching outward from the mode; expected steps are of the order of the standard deviation.
    /// </summary>
    public long Hypergeometric(long population, long successes, long draws, double u)
    {
        var failures = population - successes;
        var lo = Math.Max(0, draws - failures);
        var hi = Math.Min(draws, successes);
        if (lo >= hi) return lo;
        var mode = Math.Clamp((long)Math.Floor((draws + 1.0) * (successes + 1.0) / (population + 2.0)), lo, hi);
        var lf = _logFactorial;
        var p = Math.Exp(lf[successes] - lf[mode] - lf[successes - mode] + lf[failures] - lf[draws - mode] - lf[failures - draws + mode]
                         - (lf[population] - lf[draws] - lf[population - draws]));
        u -= p;
        if (u <= 0) return mode;
        long up = mode, down = mode;
        double pUp = p, pDown = p;
        while (up < hi || down > lo)
        {
            if (up < hi)
            {
                pUp *= (double)(successes - up) * (draws - up) / ((up + 1.0) * (failures - draws + up + 1.0));
                up++;
                u -= pUp;
                if (u <= 0) return up;
            }
            if (down > lo)
            {
                pDown *= (double)down * (failures - draws + down) / ((successes - down + 1.0) * (draws - down + 1.0));
                down--;
                u -= pDown;
                if (u <= 0) return down;
            }
        }
        return mode; // rounding left a sliver of mass unassigned
    }

    private double Score(Stratum s, long[] table)
    {
        var kr = s.Rows.Length;
        var kc = s.Cols.Length;
        double sum = 0;
        if (_divergence == ContingencyDivergence.LikelihoodRatio)
        {
            for (var c = 0; c < kr * kc; c++) sum += XLogX(table[c]);
            return 2 * sum - s.Constant;
        }
        for (var i = 0; i < kr; i++)
            for (var j = 0; j < kc; j++)
            {
                double o = table[i * kc + j];
                sum += o * o * s.N / ((double)s.Rows[i] * s.Cols[j]);
            }
        return sum - s.Constant;
    }

    private static double XLogX(long x) => x > 1 ? x * Math.Log(x) : 0;
}
