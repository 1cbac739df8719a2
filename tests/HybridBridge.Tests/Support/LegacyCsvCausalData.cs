using System.Globalization;
using HybridSynth.HybridBridge.Data;
using HybridSynth.Scm.Errors;
using HybridSynth.Scm.IO;

namespace HybridSynth.HybridBridge.Tests.Support;

/// <summary>
/// The reader behind ate and hybrid as it was before it streamed (every record held as strings), kept verbatim as the
/// reference that the streaming <see cref="CsvCausalData"/> must agree with, value for value and error for error.
/// </summary>
internal static class LegacyCsvCausalData
{
    /// <summary>Reads and types the file (see the class summary); errors are located <see cref="SpecException"/>s, a missing file an <see cref="InputFileException"/>.</summary>
    public static CsvCausalData.Result Read(string path, CsvCausalData.Selection s)
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
            if (!inArms && !CsvCausalData.MissingTokens.Contains(arm)) continue; // another arm of the trial
            var missing = usedColumns.FirstOrDefault(c => CsvCausalData.MissingTokens.Contains(r.Fields[c].Text), -1);
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
        return new CsvCausalData.Result(new CausalData(columns.ToArray(), names, treatment, outcome, binary), rows.Count, used.Count) { RowsDroppedMissing = dropped, CovariateTypes = types };
    }
}
