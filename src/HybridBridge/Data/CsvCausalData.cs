using System.Globalization;
using HybridSynth.Scm.Errors;
using HybridSynth.Scm.IO;

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

    /// <summary>Reads and types the file (see the class summary); errors are located <see cref="SpecException"/>s, a missing file an <see cref="InputFileException"/>.</summary>
    public static Result Read(string path, Selection s)
    {
        InputFileException.RequireFile(path);
        var records = CsvTableReader.Records(File.ReadAllText(path), path).ToList();
        if (records.Count < 2) throw new SpecException(path, 1, 1, "expected a header and at least one row");
        var headerFields = records[0].Fields;
        var header = headerFields.Select(f => f.Text).ToList();
        for (var i = 0; i < header.Count; i++)
            if (header.IndexOf(header[i]) is var first && first < i)
                throw new SpecException(path, 1, headerFields[i].Column, $"the header names column '{header[i]}' twice (columns {first + 1} and {i + 1}); give every column its own name");
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
        var rows = records.Skip(1).Where(r => !(r.Fields.Count == 1 && r.Fields[0].Text.Length == 0)).ToList();
        foreach (var r in rows)
            if (r.Fields.Count != header.Count) throw new SpecException(path, r.Line, 1, $"the row has {r.Fields.Count} fields; the header has {header.Count}");
        if (s.Treated == s.Control) throw new SpecException(path, 1, a + 1, $"the treated and the control value of '{s.Treatment}' are both '{s.Treated}'; give two different arms");

        // Missing cells: a missing treatment is neither arm, so it is governed by the policy too.
        var usedColumns = new[] { a, y }.Concat(w).ToList();
        var used = new List<CsvTableReader.CsvRecord>();
        var dropped = 0;
        foreach (var r in rows)
        {
            var arm = r.Fields[a].Text;
            var inArms = arm == s.Treated || arm == s.Control;
            if (!inArms && !MissingTokens.Contains(arm)) continue; // another arm of the trial
            var missing = usedColumns.FirstOrDefault(c => MissingTokens.Contains(r.Fields[c].Text), -1);
            if (missing < 0)
            {
                used.Add(r);
                continue;
            }
            if (s.Missing == MissingPolicy.Error)
            {
                var f = r.Fields[missing];
                throw new SpecException(path, r.Line, f.Column, $"missing value ({(f.Text.Length == 0 ? "an empty cell" : $"'{f.Text}'")}) in column '{header[missing]}'; "
                    + "use --missing drop to drop such rows, or leave the column out");
            }
            dropped++;
        }
        if (used.Count == 0) throw new SpecException(path, 1, a + 1, $"no row has {s.Treatment} = {s.Treated} or {s.Control}{(dropped > 0 ? $" and no missing cell ({dropped} rows dropped)" : "")}");
        var treatment = used.Select(r => r.Fields[a].Text == s.Treated ? 1 : 0).ToArray();
        foreach (var (arm, value) in new[] { (1, s.Treated), (0, s.Control) })
            if (!treatment.Contains(arm))
                throw new SpecException(path, 1, a + 1, $"no row has {s.Treatment} = {value}: both arms need units to estimate an effect");

        var categorical = new HashSet<string>(s.Categorical, StringComparer.Ordinal);
        // Numeric when every cell is a finite number; categorical when none is (or when named); otherwise a located error.
        bool Numeric(int c)
        {
            if (categorical.Contains(header[c])) return false;
            CsvTableReader.CsvRecord? firstNumber = null, firstText = null;
            var numbers = 0;
            foreach (var r in used)
            {
                var f = r.Fields[c];
                if (double.TryParse(f.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var x))
                {
                    if (!double.IsFinite(x)) throw new SpecException(path, r.Line, f.Column, $"'{f.Text}' in column '{header[c]}' is not a finite number");
                    numbers++;
                    firstNumber ??= r;
                }
                else firstText ??= r;
            }
            if (numbers == used.Count) return true;
            if (numbers == 0) return false;
            var odd = numbers * 2 >= used.Count ? firstText! : firstNumber!;
            var cell = odd.Fields[c];
            throw new SpecException(path, odd.Line, cell.Column,
                $"'{cell.Text}' in column '{header[c]}', whose other values are mostly {(numbers * 2 >= used.Count ? "numbers" : "text")} ({numbers} of {used.Count} cells are numbers); "
                + $"fix the cell, or read the column as categories with --categorical {header[c]}");
        }
        double Number(CsvTableReader.CsvRecord r, int c) => double.Parse(r.Fields[c].Text, NumberStyles.Float, CultureInfo.InvariantCulture);

        double[] outcome;
        bool binary;
        if (Numeric(y))
        {
            outcome = used.Select(r => Number(r, y)).ToArray();
            binary = outcome.All(v => v is 0 or 1);
        }
        else
        {
            var values = used.Select(r => r.Fields[y].Text).Distinct().OrderBy(v => v, StringComparer.Ordinal).ToList();
            if (values.Count != 2) throw new SpecException(path, 1, y + 1, $"the outcome '{s.Outcome}' is neither numeric nor two-valued ({values.Count} values)");
            outcome = used.Select(r => r.Fields[y].Text == values[1] ? 1.0 : 0.0).ToArray();
            binary = true;
        }
        var names = new List<string>();
        var columns = new List<double[]>();
        var types = new List<(string, string)>();
        foreach (var (name, c) in covariates.Zip(w))
        {
            if (used.Select(r => r.Fields[c].Text).Distinct().Count() < 2) continue; // a constant column carries no information
            if (Numeric(c))
            {
                names.Add(name);
                columns.Add(used.Select(r => Number(r, c)).ToArray());
                types.Add((name, "numeric"));
                continue;
            }
            var values = used.Select(r => r.Fields[c].Text).Distinct().OrderBy(v => v, StringComparer.Ordinal).ToList();
            foreach (var value in values.Skip(1))
            {
                names.Add($"{name}={value}");
                columns.Add(used.Select(r => r.Fields[c].Text == value ? 1.0 : 0.0).ToArray());
            }
            types.Add((name, "categorical"));
        }
        return new Result(new CausalData(columns.ToArray(), names, treatment, outcome, binary), rows.Count, used.Count) { RowsDroppedMissing = dropped, CovariateTypes = types };
    }
}
