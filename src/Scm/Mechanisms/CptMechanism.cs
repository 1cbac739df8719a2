using System.Runtime.Intrinsics;

namespace HybridSynth.Scm.Mechanisms;

/// <summary>
/// A conditional probability table: P(V = k | Pa = j) = table[j·K + k], where the parent
/// configuration j enumerates the parents' state codes with the LAST parent varying fastest
/// (j = Σ_i code_i · Π_{l&gt;i} card_l). Samples by inverse CDF on one uniform.
/// </summary>
public sealed class CptMechanism : ICategoricalMechanism
{
    private readonly int[] _parents;
    private readonly int[] _parentCards;
    private readonly int[] _strides;
    private readonly double[] _table;
    private readonly double[] _cumulative;

    /// <param name="parents">Parent variable indices.</param>
    /// <param name="parentCardinalities">State counts of the parents, aligned with <paramref name="parents"/>.</param>
    /// <param name="cardinality">State count K of this variable.</param>
    /// <param name="table">Π card rows of K probabilities, each summing to 1 (checked to 1e-9).</param>
    public CptMechanism(IReadOnlyList<int> parents, IReadOnlyList<int> parentCardinalities, int cardinality, IReadOnlyList<double> table)
        : this(parents, parentCardinalities, cardinality, (table ?? throw new ArgumentNullException(nameof(table))).ToArray(), handedOver: true)
    {
    }

    /// <summary>A table the caller hands over and no longer touches (a reader's freshly built array), kept without a copy.</summary>
    internal CptMechanism(IReadOnlyList<int> parents, IReadOnlyList<int> parentCardinalities, int cardinality, double[] table, bool handedOver)
    {
        ArgumentNullException.ThrowIfNull(parents);
        ArgumentNullException.ThrowIfNull(parentCardinalities);
        ArgumentNullException.ThrowIfNull(table);
        if (!handedOver) table = table.ToArray();
        if (parents.Count != parentCardinalities.Count) throw new ArgumentException("one cardinality per parent is needed");
        if (cardinality < 1) throw new ArgumentOutOfRangeException(nameof(cardinality));
        _parents = parents.ToArray();
        _parentCards = parentCardinalities.ToArray();
        Cardinality = cardinality;
        _strides = new int[_parents.Length];
        long rows = 1;
        for (var i = _parents.Length - 1; i >= 0; i--)
        {
            _strides[i] = (int)rows;
            rows *= _parentCards[i];
            if (rows > int.MaxValue / Math.Max(1, cardinality)) throw new ArgumentException("the table is too large");
        }
        RowCount = (int)rows;
        if (table.Length != RowCount * cardinality)
            throw new ArgumentException($"the table has {table.Length} entries; {RowCount} rows × {cardinality} states = {RowCount * cardinality} expected");
        _table = table;
        _cumulative = new double[_table.Length];
        for (var r = 0; r < RowCount; r++)
        {
            var row = _table.AsSpan(r * cardinality, cardinality);
            var sum = 0.0;
            foreach (var p in row)
            {
                if (!(p >= 0) || double.IsInfinity(p)) throw new ArgumentException($"row {r} has an invalid probability {p}");
                sum += p;
            }
            if (Math.Abs(sum - 1) > 1e-9) throw new ArgumentException($"row {r} sums to {sum}, not 1");
            InverseCdf.Cumulative(row, _cumulative.AsSpan(r * cardinality, cardinality));
        }
    }

    /// <inheritdoc />
    public string Kind => "cpt";
    /// <inheritdoc />
    public IReadOnlyList<int> Parents => _parents;
    /// <summary>The parents' cardinalities, in <see cref="Parents"/> order.</summary>
    public IReadOnlyList<int> ParentCardinalities => _parentCards;
    /// <inheritdoc />
    public int Cardinality { get; }
    /// <inheritdoc />
    public int NoiseDimension => 1;
    /// <inheritdoc />
    public NoiseKind NoiseKind => NoiseKind.Uniform;

    /// <summary>Number of parent configurations.</summary>
    public int RowCount { get; }

    /// <summary>The probabilities, row-major (parent configuration, then state).</summary>
    public ReadOnlySpan<double> Table => _table;

    /// <summary>The stored table itself (rows already in the interface's order).</summary>
    public void Tabulate(IReadOnlyList<int> parentCardinalities, Span<double> table) => _table.CopyTo(table);

    /// <inheritdoc />
    public IReadOnlyList<int>? RequiredParentCardinalities => ParentCardinalities;

    /// <summary>The row of the table for a parent configuration (mixed radix, the last parent fastest).</summary>
    public int RowIndex(ReadOnlySpan<double> parentValues)
    {
        var j = 0;
        for (var i = 0; i < _parents.Length; i++) j += (int)parentValues[i] * _strides[i];
        return j;
    }

    /// <inheritdoc />
    public double Evaluate(ReadOnlySpan<double> parentValues, ReadOnlySpan<double> noise) =>
        InverseCdf.SampleCumulative(_cumulative.AsSpan(RowIndex(parentValues) * Cardinality, Cardinality), noise[0]);

    /// <inheritdoc />
    public void Probabilities(ReadOnlySpan<double> parentValues, Span<double> probabilities) =>
        _table.AsSpan(RowIndex(parentValues) * Cardinality, Cardinality).CopyTo(probabilities);

    /// <inheritdoc />
    /// <remarks>
    /// Two passes: each unit's table offset from its parents' codes (eight units at a time with AVX-512, four with AVX2),
    /// then the inverse CDF over the whole batch, a count of cumulative sums ≤ u as <see cref="Pick"/> counts it: four
    /// units at a time where the processor has vectors, else with the comparisons unrolled for 2, 3 and 4 states. A root
    /// has one row for every unit, so its draws are counted eight (AVX-512) or four (AVX2) at a time.
    /// </remarks>
    public void EvaluateBatch(MechanismBatch batch, Span<double> output) => EvaluateBatch(batch, output, Numerics.VectorPaths.Widest);

    /// <summary><see cref="EvaluateBatch(MechanismBatch, Span{double})"/> on the vector path of <paramref name="lanes"/>
    /// (one of <see cref="Numerics.VectorPaths.Supported"/>), so that a test can compare every path this processor runs.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal void EvaluateBatch(MechanismBatch batch, Span<double> output, int lanes)
    {
        Numerics.VectorPaths.Check(lanes);
        var k = Cardinality;
        var u = batch.NoiseColumns[0];
        var cum = _cumulative;
        var n = batch.Count;
        if (u.Length < n || output.Length < n) throw new ArgumentException("the batch is longer than its columns");
        if (_parents.Length == 0 && k <= 16 && lanes > 1)
        {
            RootBatch(cum, k, u.AsSpan(0, n), output, lanes);
            return;
        }
        var rented = System.Buffers.ArrayPool<int>.Shared.Rent(n);
        try
        {
            var offsets = rented.AsSpan(0, n);
            if (_parents.Length == 0) offsets.Clear();
            else Offsets(batch.ParentColumns, _strides, k, offsets, lanes);
            if (k <= 16 && lanes > 1)
            {
                PickFour(cum, offsets, k, u.AsSpan(0, n), output);
                return;
            }
            switch (k)
            {
                case 2:
                    for (var i = 0; i < n; i++) output[i] = cum[offsets[i]] <= u[i] ? 1 : 0;
                    break;
                case 3:
                    for (var i = 0; i < n; i++)
                    {
                        var o = offsets[i]; var x = u[i];
                        output[i] = (cum[o] <= x ? 1 : 0) + (cum[o + 1] <= x ? 1 : 0);
                    }
                    break;
                case 4:
                    for (var i = 0; i < n; i++)
                    {
                        var o = offsets[i]; var x = u[i];
                        output[i] = (cum[o] <= x ? 1 : 0) + (cum[o + 1] <= x ? 1 : 0) + (cum[o + 2] <= x ? 1 : 0);
                    }
                    break;
                default:
                    for (var i = 0; i < n; i++) output[i] = Pick(cum, offsets[i], k, u[i]);
                    break;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<int>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Each unit's table offset, (Σ_q code_q · stride_q) · K, from its parents' codes (doubles holding small integers);
    /// eight (AVX-512) or four (AVX2) units at a time on those paths (truncating conversions and integer products: the
    /// same integers as the scalar loop, which does the rest).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void Offsets(double[][] cols, int[] strides, int k, Span<int> offsets, int lanes)
    {
        var n = offsets.Length;
        var i = 0;
        if (lanes == 8)
        {
            var scale = Vector256.Create(k);
            for (; i <= n - 8; i += 8)
            {
                var sum = Vector256<int>.Zero;
                for (var q = 0; q < cols.Length; q++)
                    sum += System.Runtime.Intrinsics.X86.Avx512F.ConvertToVector256Int32WithTruncation(Vector512.Create<double>(cols[q].AsSpan(i, 8))) * Vector256.Create(strides[q]);
                (sum * scale).CopyTo(offsets[i..]);
            }
        }
        else if (lanes == 4)
        {
            var scale = Vector256.Create(k);
            for (; i <= n - 8; i += 8)
            {
                var sum = Vector256<int>.Zero;
                for (var q = 0; q < cols.Length; q++)
                {
                    var col = cols[q].AsSpan(i, 8);
                    var codes = Vector256.Create(
                        System.Runtime.Intrinsics.X86.Avx.ConvertToVector128Int32WithTruncation(Vector256.Create<double>(col)),
                        System.Runtime.Intrinsics.X86.Avx.ConvertToVector128Int32WithTruncation(Vector256.Create<double>(col[4..])));
                    sum += codes * Vector256.Create(strides[q]);
                }
                (sum * scale).CopyTo(offsets[i..]);
            }
        }
        for (; i < n; i++)
        {
            var j = 0;
            for (var q = 0; q < cols.Length; q++) j += (int)cols[q][i] * strides[q];
            offsets[i] = j * k;
        }
    }

    /// <summary>
    /// The inverse CDF four units at a time: each unit's k − 1 cumulative sums are loaded into vectors (one sum of four
    /// units' rows each) and counted against u as 0s and 1s, summed exactly, as <see cref="Pick"/> counts them.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void PickFour(double[] cum, ReadOnlySpan<int> offsets, int k, ReadOnlySpan<double> u, Span<double> output)
    {
        var n = u.Length;
        var one = Vector256.Create(1.0);
        var i = 0;
        for (; i <= n - 4; i += 4)
        {
            var x = Vector256.Create(u.Slice(i, 4));
            int o0 = offsets[i], o1 = offsets[i + 1], o2 = offsets[i + 2], o3 = offsets[i + 3];
            var count = Vector256.LessThanOrEqual(Vector256.Create(cum[o0], cum[o1], cum[o2], cum[o3]), x) & one;
            for (var s = 1; s < k - 1; s++)
                count += Vector256.LessThanOrEqual(Vector256.Create(cum[o0 + s], cum[o1 + s], cum[o2 + s], cum[o3 + s]), x) & one;
            count.CopyTo(output[i..]);
        }
        for (; i < n; i++) output[i] = Pick(cum, offsets[i], k, u[i]);
    }

    /// <summary>
    /// A root's draws (one table row for every unit), eight (AVX-512) or four (AVX2) at a time: the count of cumulative
    /// sums ≤ u, as <see cref="Pick"/> counts it, summed exactly as 0s and 1s.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void RootBatch(double[] cum, int k, ReadOnlySpan<double> u, Span<double> output, int lanes)
    {
        var n = u.Length;
        var i = 0;
        if (lanes == 8)
        {
            var one = Vector512.Create(1.0);
            for (; i <= n - 8; i += 8)
            {
                var x = Vector512.Create(u.Slice(i, 8));
                var count = Vector512<double>.Zero;
                for (var s = 0; s < k - 1; s++) count += Vector512.LessThanOrEqual(Vector512.Create(cum[s]), x) & one;
                count.CopyTo(output[i..]);
            }
        }
        else
        {
            var one = Vector256.Create(1.0);
            for (; i <= n - 4; i += 4)
            {
                var x = Vector256.Create(u.Slice(i, 4));
                var count = Vector256<double>.Zero;
                for (var s = 0; s < k - 1; s++) count += Vector256.LessThanOrEqual(Vector256.Create(cum[s]), x) & one;
                count.CopyTo(output[i..]);
            }
        }
        for (; i < n; i++) output[i] = Pick(cum, 0, k, u[i]);
    }

    /// <summary>
    /// The inverse CDF: the first state whose pinned cumulative sum exceeds u. For up to 16 states it counts the
    /// cumulative sums ≤ u over the first k − 1 states without a data-dependent branch; that count is the same index
    /// (the sums are non-decreasing until they are pinned to 1, and u &lt; 1, so the sums ≤ u form a prefix).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static int Pick(double[] cum, int offset, int k, double u)
    {
        if (k <= 16)
        {
            var row = new ReadOnlySpan<double>(cum, offset, k - 1);
            var count = 0;
            foreach (var c in row) count += c <= u ? 1 : 0;
            return count;
        }
        var s = 0;
        while (u >= cum[offset + s]) s++;
        return s;
    }
}
