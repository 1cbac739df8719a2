using HybridSynth.Scm.Randomness;
using HybridSynth.Scm.Tables;

namespace HybridSynth.Verifier.CiTests;

/// <summary>
/// The permutation variant for sparse tables (<c>chi2-perm</c>, <c>g2-perm</c>): X is permuted within
/// each stratum of Z (which keeps every stratum's margins, so H0 holds exactly), the statistic is
/// recomputed B times, and p = (1 + #{T_b ≥ T_obs}) / (B + 1). A permutation is drawn as its table — the multivariate
/// hypergeometric law given the margins (<see cref="ConditionalTables"/>), the same law as a shuffle's, at O(cells) rather
/// than O(rows) per permutation — from counter-based uniforms keyed by (seed, pair, conditioning size, permutation), so the
/// p-value is reproducible. With
/// <see cref="StopAfter"/> = h the permutations stop once h permuted statistics reach the observed one (Besag and Clifford's
/// sequential Monte Carlo p-value, p = h / L after L permutations, valid at every level): a statement far from significance
/// costs about h/p permutations instead of B.
/// </summary>
public sealed class PermutationContingencyTest : IConditionalIndependenceTest
{
    /// <summary>The noise stream of the permutations.</summary>
    public const ulong Stream = NoiseStreams.Permutation;

    /// <summary>A permutation version of the χ² or G² test: the p-value is (1 + #{permuted statistics ≥ observed}) / (1 + permutations), with X permuted within each stratum of Z.</summary>
    public PermutationContingencyTest(ContingencyDivergence divergence, int permutations = 999, ulong seed = 1, int? stopAfter = null)
    {
        if (permutations < 1) throw new ArgumentOutOfRangeException(nameof(permutations));
        if (stopAfter is < 1) throw new ArgumentOutOfRangeException(nameof(stopAfter));
        Asymptotic = new StratifiedContingencyTest(divergence);
        Permutations = permutations;
        Seed = seed;
        StopAfter = stopAfter;
    }

    /// <summary>Stop once this many permuted statistics reach the observed one (null: always run all the permutations).</summary>
    public int? StopAfter { get; }

    /// <summary>The asymptotic test whose statistic is permuted.</summary>
    public StratifiedContingencyTest Asymptotic { get; }
    /// <summary>The number of permutations.</summary>
    public int Permutations { get; }
    /// <summary>The seed of the permutations.</summary>
    public ulong Seed { get; }
    /// <inheritdoc />
    public string Name => Asymptotic.Name + "-perm";

    /// <inheritdoc />
    public bool Supports(DataTable data, int x, int y, IReadOnlyList<int> z) => Asymptotic.Supports(data, x, y, z);

    /// <inheritdoc />
    public CiTestResult Test(DataTable data, int x, int y, IReadOnlyList<int> z)
    {
        var counts = StratifiedCounts.Count(data, x, y, z);
        var observed = Asymptotic.FromCounts(counts, data.RowCount);
        if (!observed.IsTestable) return observed with { Method = Name };
        var tables = new ConditionalTables(counts.Counts, counts.Strata, counts.Kx, counts.Ky, Asymptotic.Divergence);
        var threshold = tables.Statistic(counts.Counts, counts.Kx, counts.Ky);
        threshold -= 1e-9 * Math.Max(1, threshold);
        var buffer = new long[tables.BufferLength];
        var atLeast = 0;
        var key = Seeds.Permutation(Seed, data.Variables[x].Name + "|" + data.Variables[y].Name, z.Count);
        for (var b = 0; b < Permutations; b++)
        {
            if (tables.DrawStatistic(key, (long)b << 32, buffer) >= threshold) atLeast++;
            if (StopAfter is { } h && atLeast >= h) return observed with { Method = Name, PValue = (double)h / (b + 1) };
        }
        return observed with { Method = Name, PValue = (1.0 + atLeast) / (Permutations + 1.0) };
    }
}
