using HybridSynth.Scm.Variables;

namespace HybridSynth.Scm.Tables;

/// <summary>
/// An in-memory table of observed data in columnar form, typed by a model's variables:
/// categorical columns as 0-based state codes (<see cref="Codes"/>), continuous ones as doubles
/// (<see cref="Values"/>). Columns are keyed by variable name.
/// </summary>
public sealed class DataTable
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<Variable> _variables = new();
    private readonly List<int[]?> _codes = new();
    private readonly List<double[]?> _values = new();

    /// <summary>An empty table of <paramref name="rowCount"/> rows; columns are added one at a time.</summary>
    public DataTable(int rowCount)
    {
        if (rowCount < 0) throw new ArgumentOutOfRangeException(nameof(rowCount));
        RowCount = rowCount;
    }

    /// <summary>The number of rows.</summary>
    public int RowCount { get; }
    /// <summary>The variables of the columns, in column order.</summary>
    public IReadOnlyList<Variable> Variables => _variables;

    /// <summary>True when a column is named <paramref name="name"/>.</summary>
    public bool Contains(string name) => _index.ContainsKey(name);

    /// <summary>The column named <paramref name="name"/>; a <see cref="KeyNotFoundException"/> when there is none.</summary>
    public int IndexOf(string name) =>
        _index.TryGetValue(name, out var i) ? i : throw new KeyNotFoundException($"the table has no column '{name}'");

    /// <summary>Adds a categorical column of state codes.</summary>
    public void AddCategorical(Variable variable, int[] codes)
    {
        if (!variable.IsCategorical) throw new ArgumentException($"'{variable.Name}' is not categorical");
        Add(variable, codes, null, codes.Length);
    }

    /// <summary>Adds a continuous column.</summary>
    public void AddContinuous(Variable variable, double[] values)
    {
        if (variable.IsCategorical) throw new ArgumentException($"'{variable.Name}' is categorical");
        Add(variable, null, values, values.Length);
    }

    private void Add(Variable v, int[]? codes, double[]? values, int length)
    {
        if (length != RowCount) throw new ArgumentException($"column '{v.Name}' has {length} rows; the table has {RowCount}");
        if (!_index.TryAdd(v.Name, _variables.Count)) throw new ArgumentException($"duplicate column '{v.Name}'");
        _variables.Add(v);
        _codes.Add(codes);
        _values.Add(values);
    }

    /// <summary>State codes of a categorical column.</summary>
    public int[] Codes(int column) => _codes[column] ?? throw new InvalidOperationException($"'{_variables[column].Name}' is continuous");

    /// <summary>Values of a continuous column.</summary>
    public double[] Values(int column) => _values[column] ?? throw new InvalidOperationException($"'{_variables[column].Name}' is categorical");

    /// <summary>Any column as doubles (a categorical column by its state codes).</summary>
    public double[] AsDoubles(int column) => _values[column] ?? Array.ConvertAll(_codes[column]!, c => (double)c);

    /// <summary>
    /// The table a job produces, in memory: the columns named after a variable of <paramref name="model"/> (others, such as
    /// potential outcomes or noise, are left out).
    /// </summary>
    public static DataTable FromJob(TableJob job, Model.CausalModel model)
    {
        var columns = VariableColumns(job.Schema, model);
        var parts = columns.Select(_ => new List<double[]>()).ToList();
        var rows = 0;
        foreach (var block in job.Blocks)
        {
            for (var k = 0; k < columns.Count; k++) parts[k].Add(block.Columns[columns[k].Column].AsSpan(0, block.Count).ToArray());
            rows += block.Count;
        }
        if (columns.Count == 0) return new DataTable(rows);
        return FromColumns(columns.Select(c => c.Variable).ToList(), parts.Select(p => p.SelectMany(x => x).ToArray()).ToList());
    }

    /// <summary>The model's variables that a schema has a column for (by name), each with its column index, in model order.</summary>
    public static IReadOnlyList<(Variable Variable, int Column)> VariableColumns(IReadOnlyList<ColumnSchema> schema, Model.CausalModel model)
    {
        var index = schema.Select((c, i) => (c.Name, i)).GroupBy(x => x.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
        return model.Variables.Where(v => index.ContainsKey(v.Name)).Select(v => (v, index[v.Name])).ToList();
    }

    /// <summary>Builds a table from sampled columns (state codes as doubles) of the given variables.</summary>
    public static DataTable FromColumns(IReadOnlyList<Variable> variables, IReadOnlyList<double[]> columns)
    {
        var n = columns.Count == 0 ? 0 : columns[0].Length;
        var t = new DataTable(n);
        for (var c = 0; c < variables.Count; c++)
        {
            if (variables[c].IsCategorical) t.AddCategorical(variables[c], Array.ConvertAll(columns[c], x => (int)x));
            else t.AddContinuous(variables[c], (double[])columns[c].Clone());
        }
        return t;
    }
}
