using HybridSynth.Scm.Model;
using HybridSynth.Scm.Tables;
using HybridSynth.Scm.Variables;

namespace HybridSynth.Suites;

/// <summary>
/// Keeps the model's variable columns of a table as its blocks stream to the writer, so that a dataset's audit, estimators
/// and realizer work on the rows just written without reading the file back.
/// </summary>
internal sealed class TableCollector
{
    private readonly List<(Variable Variable, int Column, double[] Values)> _columns = new();
    private readonly int _rows;
    private int _filled;

    public TableCollector(CausalModel model, IReadOnlyList<ColumnSchema> schema, int rows)
    {
        _rows = rows;
        foreach (var (v, c) in DataTable.VariableColumns(schema, model)) _columns.Add((v, c, new double[rows]));
    }

    /// <summary>The blocks, unchanged, copied as they pass.</summary>
    public IEnumerable<RowBlock> Tee(IEnumerable<RowBlock> blocks)
    {
        foreach (var b in blocks)
        {
            foreach (var (_, c, values) in _columns) Array.Copy(b.Columns[c], 0, values, b.FirstRow, b.Count);
            _filled += b.Count;
            yield return b;
        }
    }

    /// <summary>The collected table (after the blocks have all passed).</summary>
    public DataTable Table()
    {
        if (_filled != _rows) throw new InvalidOperationException($"the table has {_filled} of {_rows} rows");
        return _columns.Count == 0 ? new DataTable(_rows) : DataTable.FromColumns(_columns.Select(c => c.Variable).ToList(), _columns.Select(c => c.Values).ToList());
    }
}
