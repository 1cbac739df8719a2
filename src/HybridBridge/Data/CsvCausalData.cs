using System.Globalization;
using HybridSynth.Scm.Errors;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Tables;

namespace HybridSynth.HybridBridge.Data;

/// <summary>What to do with a row whose treatment, outcome or covariate cell is missing.</summary>
public enum MissingPolicy
{
    /// <summary>A missing cell is a located error (the default: nothing is dropped silently).</summary>
    Error,
    /// <summary>Rows with a missing cell in a used column are dropped and counted.</summary>
    Drop,
}

/// <summary>
/// Reads effect-estimation data straight from a CSV file, without a model spec. The treatment column's
/// treated and control values are given as text (rows with other values are dropped, so one arm pair of a
/// multi-arm trial can be selected). Column types come from the data only when every cell agrees: a
/// column is numeric when every cell is a finite number, categorical when no cell is a number, and a
/// mixture is a located error unless the column is named in <see cref="Selection.Categorical"/> (which
/// also makes a numeric column categorical). The outcome is numeric (binary when it takes only 0 and 1)
/// or has two values (the second in sorted order is the event); a categorical covariate becomes a dummy
/// per value after the first in sorted order; constant covariates are dropped. Missing cells
/// (<see cref="MissingTokens"/>) follow <see cref="Selection.Missing"/>; duplicated header names are errors.
/// </summary>
public static class CsvCausalData
{
    /// <summary>The cell texts read as missing: the empty cell, NA, N/A, NaN, nan, null and NULL.</summary>
    public static readonly IReadOnlySet<string> MissingTokens = new HashSet<string>(StringComparer.Ordinal) { "", "NA", "N/A", "NaN", "nan", "null", "NULL" };

    /// <summary>Which columns play which role.</summary>
    /// <param name="Treatment">The treatment column.</param>
    /// <param name="Treated">The treatment's treated value, as text.</param>
    /// <param name="Control">The treatment's control value, as text.</param>
    /// <param name="Outcome">The outcome column.</param>
    /// <param name="Covariates">The covariate columns.</param>
    public sealed record Selection(string Treatment, string Treated, string Control, string Outcome, IReadOnlyList<string> Covariates)
    {
        /// <summary>Columns read as categorical whatever their cells look like.</summary>
        public IReadOnlyCollection<string> Categorical { get; init; } = [];
        /// <summary>What to do with a missing cell in a used column of a row of the two arms (<see cref="MissingPolicy.Error"/> by default).</summary>
        public MissingPolicy Missing { get; init; } = MissingPolicy.Error;
    }

    /// <summary>The data, the rows in the file, the rows used, and the rows of the two arms dropped for a missing cell.</summary>
    public sealed record Result(CausalData Data, int RowsRead, int RowsUsed)
    {
        /// <summary>Rows of the two arms dropped for a missing cell (with <see cref="MissingPolicy.Drop"/>).</summary>
        public int RowsDroppedMissing { get; init; }
        /// <summary>Each used covariate's type as read ("numeric" or "categorical"), in the order given.</summary>
        public IReadOnlyList<(string Column, string Type)> CovariateTypes { get; init; } = [];
    }

    /// <summary>
    /// Reads and types the file (see the class summary); errors are located <see cref="SpecException"/>s, a missing file an <see cref="InputFileException"/>.
    /// <paramref name="progress"/>, when given, is told (bytes read, bytes in all) as the file is read.
    /// </summary>
    /// <remarks>
    /// One streaming pass over <see cref="CsvRecordStream"/>: the cells of the used columns go straight to numbers or to codes of
    /// their distinct texts, never kept as a string per cell, so memory is 8 bytes per used cell (twice that while the columns are
    /// assembled) whatever the file's other columns hold. Errors are those of reading every record first and then typing the columns
    /// in the order treatment, outcome, covariates: a row with the wrong number of fields anywhere comes before a missing cell,
    /// and a missing cell before a column's type.
    /// </remarks>
    public static Result Read(string path, Selection s, Action<long, long>? progress = null) =>
        CsvRecordStream.ReadFile(path, (records, report) => Read(records, path, s, report), progress);

    private static Result Read(CsvRecordStream r, string path, Selection s, Action? progress)
    {
        if (!r.Next()) throw new SpecException(path, 1, 1, "expected a header and at least one row");
        var header = new List<string>(r.FieldCount);
        var headerColumns = new List<int>(r.FieldCount);
        for (var k = 0; k < r.FieldCount; k++)
        {
            header.Add(r.Field(k).ToString());
            headerColumns.Add(r.Column(k));
        }
        if (!r.Next()) throw new SpecException(path, 1, 1, "expected a header and at least one row");
        for (var i = 0; i < header.Count; i++)
            if (header.IndexOf(header[i]) is var first && first < i)
                throw new SpecException(path, 1, headerColumns[i], $"the header names column '{header[i]}' twice (columns {first + 1} and {i + 1}); give every column its own name");
        int Col(string name, string role) => header.IndexOf(name) is var i and >= 0 ? i
            : throw new SpecException(path, 1, 1, $"no column '{name}' for the {role}{Suggestions.DidYouMean(name, header)}; columns: {string.Join(", ", header)}");
        var a = Col(s.Treatment, "treatment");
        var y = Col(s.Outcome, "outcome");
        if (s.Covariates.Count == 0) throw new SpecException(path, 1, 1, "no covariates given: name the pre-treatment confounders");
        foreach (var c in s.Covariates)
            if (c == s.Treatment || c == s.Outcome) throw new SpecException(path, 1, 1, $"'{c}' cannot be both a covariate and the {(c == s.Treatment ? "treatment" : "outcome")}");
        if (s.Covariates.Distinct().Count() != s.Covariates.Count)
            throw new SpecException(path, 1, 1, $"the covariate '{s.Covariates.GroupBy(c => c).First(g => g.Count() > 1).Key}' is listed twice");
        var covariates = s.Covariates.ToList();
        var w = covariates.Select(c => Col(c, "covariate")).ToList();
        foreach (var c in s.Categorical)
            if (!covariates.Contains(c) && c != s.Outcome)
                throw new SpecException(path, 1, 1, $"--categorical names '{c}', which is neither a covariate nor the outcome");

        // Missing cells: a missing treatment is neither arm, so it is governed by the policy too.
        var usedColumns = new[] { a, y }.Concat(w).ToArray();
        var categorical = new HashSet<string>(s.Categorical, StringComparer.Ordinal);
        var cells = usedColumns.Skip(1).Select(c => new ColumnCells(path, header[c], categorical.Contains(header[c]))).ToArray();
        var treatment = new ChunkedColumn<int>();
        var width = header.Count;
        int rowsRead = 0, dropped = 0;
        (int Line, int Column, string Text, int Index)? firstMissing = null;
        do
        {
            if (r.IsBlank) continue;
            rowsRead++;
            if (r.FieldCount != width) throw new SpecException(path, r.Line, 1, $"the row has {r.FieldCount} fields; the header has {width}");
            if ((rowsRead & 0xFFFF) == 0) progress?.Invoke();
            var arm = r.Field(a);
            var treated = arm.SequenceEqual(s.Treated);
            if (!treated && !arm.SequenceEqual(s.Control) && !IsMissing(arm)) continue; // another arm of the trial
            var missing = -1;
            for (var k = 0; k < usedColumns.Length && missing < 0; k++)
                if (IsMissing(r.Field(usedColumns[k]))) missing = usedColumns[k];
            if (missing >= 0)
            {
                if (s.Missing == MissingPolicy.Error) firstMissing ??= (r.Line, r.Column(missing), r.Field(missing).ToString(), missing);
                else dropped++;
                continue;
            }
            treatment.Add(treated ? 1 : 0);
            for (var k = 0; k < cells.Length; k++) cells[k].Add(r, usedColumns[k + 1]);
        }
        while (r.Next());
        progress?.Invoke();

        if (s.Treated == s.Control) throw new SpecException(path, 1, a + 1, $"the treated and the control value of '{s.Treatment}' are both '{s.Treated}'; give two different arms");
        if (firstMissing is { } m)
            throw new SpecException(path, m.Line, m.Column, $"missing value ({(m.Text.Length == 0 ? "an empty cell" : $"'{m.Text}'")}) in column '{header[m.Index]}'; "
                + "use --missing drop to drop such rows, or leave the column out");
        var used = treatment.Count;
        if (used == 0) throw new SpecException(path, 1, a + 1, $"no row has {s.Treatment} = {s.Treated} or {s.Control}{(dropped > 0 ? $" and no missing cell ({dropped} rows dropped)" : "")}");
        var arms = treatment.ToArray();
        foreach (var (arm, value) in new[] { (1, s.Treated), (0, s.Control) })
            if (!arms.Contains(arm))
                throw new SpecException(path, 1, a + 1, $"no row has {s.Treatment} = {value}: both arms need units to estimate an effect");

        double[] outcome;
        bool binary;
        var yCells = cells[0];
        if (yCells.IsNumeric(used))
        {
            outcome = yCells.Numbers();
            binary = outcome.All(v => v is 0 or 1);
        }
        else
        {
            if (yCells.Levels.Count != 2) throw new SpecException(path, 1, y + 1, $"the outcome '{s.Outcome}' is neither numeric nor two-valued ({yCells.Levels.Count} values)");
            outcome = yCells.Indicator(1);
            binary = true;
        }
        var names = new List<string>();
        var columns = new List<double[]>();
        var types = new List<(string, string)>();
        for (var k = 0; k < covariates.Count; k++)
        {
            var (name, column) = (covariates[k], cells[k + 1]);
            if (!column.Varies) continue; // a constant column carries no information
            if (column.IsNumeric(used))
            {
                names.Add(name);
                columns.Add(column.Numbers());
                types.Add((name, "numeric"));
                continue;
            }
            for (var level = 1; level < column.Levels.Count; level++)
            {
                names.Add($"{name}={column.Levels[level]}");
                columns.Add(column.Indicator(level));
            }
            types.Add((name, "categorical"));
        }
        return new Result(new CausalData(columns.ToArray(), names, arms, outcome, binary), rowsRead, used) { RowsDroppedMissing = dropped, CovariateTypes = types };
    }

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> MissingLookup =
        new HashSet<string>(MissingTokens, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    private static bool IsMissing(ReadOnlySpan<char> cell) => cell.Length <= 4 && MissingLookup.Contains(cell);

    /// <summary>
    /// One used column's cells: a number per cell, or the code of its text among the column's distinct texts (every cell
    /// of a column read as categorical; only the cells that are not numbers otherwise, since a column that mixes the two
    /// is an error). Kept alongside: the first number, the first text and the first non-finite number (for the errors),
    /// and whether any cell's text differs from the first.
    /// </summary>
    private sealed class ColumnCells(string path, string name, bool categorical)
    {
        private readonly ChunkedColumn<double> _values = new();
        private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
        private Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> Lookup => _codes.GetAlternateLookup<ReadOnlySpan<char>>();
        private readonly List<string> _texts = new();
        private string? _first;
        private int _numbers;
        private (int Line, int Column, string Text)? _firstNumber, _firstText, _firstNonFinite;
        private List<string>? _levels;

        /// <summary>Whether the column holds two different texts (a constant column carries no information).</summary>
        public bool Varies { get; private set; }

        public void Add(CsvRecordStream r, int k)
        {
            var text = r.Field(k);
            if (_first is null) _first = text.ToString();
            else if (!Varies && !text.SequenceEqual(_first)) Varies = true;
            if (!categorical && CsvNumber.TryParse(text, out var x))
            {
                if (!double.IsFinite(x)) _firstNonFinite ??= (r.Line, r.Column(k), text.ToString());
                _firstNumber ??= (r.Line, r.Column(k), text.ToString());
                _numbers++;
                _values.Add(x);
                return;
            }
            if (!categorical) _firstText ??= (r.Line, r.Column(k), text.ToString());
            if (!Lookup.TryGetValue(text, out var code))
            {
                code = _texts.Count;
                var s = text.ToString();
                _codes.Add(s, code);
                _texts.Add(s);
            }
            _values.Add(code);
        }

        /// <summary>Numeric when every cell is a finite number; categorical when none is (or when named); otherwise a located error.</summary>
        public bool IsNumeric(int used)
        {
            if (categorical) return false;
            if (_firstNonFinite is { } bad) throw new SpecException(path, bad.Line, bad.Column, $"'{bad.Text}' in column '{name}' is not a finite number");
            if (_numbers == used) return true;
            if (_numbers == 0) return false;
            var mostlyNumbers = _numbers * 2 >= used;
            var odd = mostlyNumbers ? _firstText!.Value : _firstNumber!.Value;
            throw new SpecException(path, odd.Line, odd.Column,
                $"'{odd.Text}' in column '{name}', whose other values are mostly {(mostlyNumbers ? "numbers" : "text")} ({_numbers} of {used} cells are numbers); "
                + $"fix the cell, or read the column as categories with --categorical {name}");
        }

        public double[] Numbers() => _values.ToArray();

        /// <summary>The distinct texts in ordinal order.</summary>
        public IReadOnlyList<string> Levels => _levels ??= _texts.Order(StringComparer.Ordinal).ToList();

        /// <summary>1 where the cell's text is level <paramref name="level"/> of <see cref="Levels"/>, else 0.</summary>
        public double[] Indicator(int level)
        {
            double code = _codes[Levels[level]];
            var values = _values.ToArray();
            for (var i = 0; i < values.Length; i++) values[i] = values[i] == code ? 1.0 : 0.0;
            return values;
        }
    }
}
