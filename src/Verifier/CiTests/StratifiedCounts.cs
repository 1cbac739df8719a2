using HybridSynth.Scm.Tables;

namespace HybridSynth.Verifier.CiTests;

/// <summary>
/// The contingency tables of X × Y within each observed stratum of Z, counted over integer state
/// codes: Counts[s·Kx·Ky + i·Ky + j] = #{rows in stratum s with X = i, Y = j}. Strata are the observed
/// configurations of Z (empty strata are never stored), numbered densely.
/// </summary>
public sealed class StratifiedCounts
{
    private StratifiedCounts(int kx, int ky, int strata, long[] counts, int[] stratumOfRow)
    {
        Kx = kx;
        Ky = ky;
        Strata = strata;
        Counts = counts;
        StratumOfRow = stratumOfRow;
    }

    /// <summary>The number of states of X.</summary>
    public int Kx { get; }
    /// <summary>The number of states of Y.</summary>
    public int Ky { get; }
    /// <summary>The number of strata (configurations of Z).</summary>
    public int Strata { get; }
    /// <summary>The counts, stratum-major: index (stratum · kx + x) · ky + y.</summary>
    public long[] Counts { get; }

    /// <summary>The dense stratum id of each row.</summary>
    public int[] StratumOfRow { get; }

    /// <summary>Counts the rows of <paramref name="data"/> by (stratum of Z, x, y).</summary>
    public static StratifiedCounts Count(DataTable data, int x, int y, IReadOnlyList<int> z)
    {
        var xs = data.Codes(x);
        var ys = data.Codes(y);
        var kx = data.Variables[x].Cardinality;
        var ky = data.Variables[y].Cardinality;
        var stratum = StratumIds(data, z, out var strata);
        var counts = new long[(long)strata * kx * ky];
        var cell = kx * ky;
        for (var r = 0; r < xs.Length; r++) counts[stratum[r] * cell + xs[r] * ky + ys[r]]++;
        return new StratifiedCounts(kx, ky, strata, counts, stratum);
    }

    /// <summary>keys[r] = keys[r] · <paramref name="radix"/> + <paramref name="codes"/>[r] for every row (no overflow: the key space is at most 2²²).</summary>
    private static void MultiplyAdd(int[] keys, int radix, int[] codes)
    {
        var r = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            var width = System.Numerics.Vector<int>.Count;
            var k = new System.Numerics.Vector<int>(radix);
            for (; r <= keys.Length - width; r += width)
                (new System.Numerics.Vector<int>(keys, r) * k + new System.Numerics.Vector<int>(codes, r)).CopyTo(keys, r);
        }
        for (; r < keys.Length; r++) keys[r] = keys[r] * radix + codes[r];
    }

    /// <summary>Dense ids of the observed configurations of Z, in order of first appearance.</summary>
    public static int[] StratumIds(DataTable data, IReadOnlyList<int> z, out int strata)
    {
        var n = data.RowCount;
        var ids = new int[n];
        if (z.Count == 0)
        {
            strata = n > 0 ? 1 : 0;
            return ids;
        }
        // Mixed-radix key of the configuration; when the key space is small, index an array directly.
        var cols = z.Select(data.Codes).ToArray();
        var cards = z.Select(c => data.Variables[c].Cardinality).ToArray();
        double space = 1;
        foreach (var c in cards) space *= c;
        if (space <= 1 << 22)
        {
            // The keys a column at a time (each column read in sequence, a vector of rows at once), into ids; then each key
            // replaced by its id in order of first appearance. The same integers as the key built row by row.
            cols[0].AsSpan(0, n).CopyTo(ids);
            for (var q = 1; q < cols.Length; q++) MultiplyAdd(ids, cards[q], cols[q]);
            var map = new int[(int)space];
            Array.Fill(map, -1);
            var next = 0;
            for (var r = 0; r < n; r++)
            {
                var key = ids[r];
                var id = map[key];
                if (id < 0) map[key] = id = next++;
                ids[r] = id;
            }
            strata = next;
            return ids;
        }
        var dict = new Dictionary<string, int>();
        var buffer = new int[cols.Length];
        for (var r = 0; r < n; r++)
        {
            for (var q = 0; q < cols.Length; q++) buffer[q] = cols[q][r];
            var key = string.Join(",", buffer);
            if (!dict.TryGetValue(key, out var id)) dict[key] = id = dict.Count;
            ids[r] = id;
        }
        strata = dict.Count;
        return ids;
    }

    /// <summary>Recounts with X's codes replaced (for permutation tests), reusing the strata.</summary>
    public long[] Recount(int[] xs, int[] ys)
    {
        var counts = new long[Counts.Length];
        var cell = Kx * Ky;
        for (var r = 0; r < xs.Length; r++) counts[StratumOfRow[r] * cell + xs[r] * Ky + ys[r]]++;
        return counts;
    }
}
