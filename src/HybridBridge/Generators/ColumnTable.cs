namespace HybridSynth.HybridBridge.Generators;

/// <summary>
/// A numeric table for generators: named columns of doubles, all the same length. A column with at
/// most <see cref="DiscreteLimit"/> distinct values is treated as discrete (its values as categories).
/// </summary>
public sealed class ColumnTable
{
    /// <summary>A column with at most this many distinct values is treated as discrete by the generators.</summary>
    public const int DiscreteLimit = 10;

    /// <summary>A table of named columns of equal length.</summary>
    public ColumnTable(IReadOnlyList<string> names, IReadOnlyList<double[]> columns)
    {
        if (names.Count != columns.Count) throw new ArgumentException("one name per column is needed");
        var n = columns.Count == 0 ? 0 : columns[0].Length;
        if (columns.Any(c => c.Length != n)) throw new ArgumentException("all columns must have the same length");
        Names = names;
        Columns = columns;
        Rows = n;
    }

    /// <summary>The column names.</summary>
    public IReadOnlyList<string> Names { get; }
    /// <summary>The columns, one array each.</summary>
    public IReadOnlyList<double[]> Columns { get; }
    /// <summary>The number of rows.</summary>
    public int Rows { get; }

    /// <summary>The sorted distinct values of a discrete column, or null for a continuous one.</summary>
    public double[]? Levels(int column)
    {
        var distinct = Columns[column].Distinct().Take(DiscreteLimit + 1).ToArray();
        if (distinct.Length > DiscreteLimit) return null;
        Array.Sort(distinct);
        return distinct;
    }

    /// <summary>Row <paramref name="i"/> as an array, one value per column.</summary>
    public double[] Row(int i) => Columns.Select(c => c[i]).ToArray();

    /// <summary>The rows at the given indices, in that order (indices may repeat).</summary>
    public ColumnTable SelectRows(IReadOnlyList<int> rows) => new(Names, Columns.Select(c => rows.Select(i => c[i]).ToArray()).ToArray());
}
