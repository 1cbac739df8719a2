using System.Globalization;
using HybridSynth.Scm.Errors;
using HybridSynth.Scm.IO;

namespace HybridSynth.HybridBridge.Data;

/// <summary>
/// Reads effect-estimation data straight from a CSV file, without a model spec: the treatment column's
/// treated and control values are given as text (rows with other values are dropped, so one arm pair of a
/// multi-arm trial can be selected); the outcome is numeric (binary when it takes only 0 and 1) or has two
/// values (the second in sorted order is the event); a covariate is numeric when every value parses as a
/// number, otherwise categorical (a dummy per value after the first in sorted order); constant covariates are dropped. Empty cells are errors.
/// </summary>
public static class CsvCausalData
{
    public sealed record Selection(string Treatment, string Treated, string Control, string Outcome, IReadOnlyList<string>? Covariates);

    public static (CausalData Data, int RowsRead, int RowsUsed) Read(string path, Selection s)
    {
        if (!File.Exists(path)) throw new SpecException(null, $"{path}: no such file");
        var records = CsvTableReader.Records(File.ReadAllText(path), path).ToList();
        if (records.Count < 2) throw new SpecException(path, 1, 1, "expected a header and at least one row");
        var header = records[0].Fields.Select(f => f.Text).ToList();
        int Col(string name) => header.IndexOf(name) is var i and >= 0 ? i : throw new SpecException(path, 1, 1, $"no column '{name}'; columns: {string.Join(", ", header)}");
        var a = Col(s.Treatment);
        var y = Col(s.Outcome);
        var covariates = (s.Covariates ?? header.Where(h => h != s.Treatment && h != s.Outcome).ToList()).ToList();
        var w = covariates.Select(Col).ToList();
        var rows = records.Skip(1).Where(r => !(r.Fields.Count == 1 && r.Fields[0].Text.Length == 0)).ToList();
        foreach (var r in rows)
            if (r.Fields.Count != header.Count) throw new SpecException(path, r.Line, 1, $"the row has {r.Fields.Count} fields; the header has {header.Count}");
        if (s.Treated == s.Control) throw new SpecException(path, 1, a + 1, $"the treated and the control value of '{s.Treatment}' are both '{s.Treated}'; give two different arms");
        var used = rows.Where(r => r.Fields[a].Text == s.Treated || r.Fields[a].Text == s.Control).ToList();
        if (used.Count == 0) throw new SpecException(path, 1, a + 1, $"no row has {s.Treatment} = {s.Treated} or {s.Control}");
        var treatment = used.Select(r => r.Fields[a].Text == s.Treated ? 1 : 0).ToArray();
        foreach (var (arm, value) in new[] { (1, s.Treated), (0, s.Control) })
            if (!treatment.Contains(arm))
                throw new SpecException(path, 1, a + 1, $"no row has {s.Treatment} = {value}: both arms need units to estimate an effect");

        double Number(CsvTableReader.CsvRecord r, int c)
        {
            var f = r.Fields[c];
            if (f.Text.Length == 0) throw new SpecException(path, r.Line, f.Column, $"empty value in column '{header[c]}'");
            return double.TryParse(f.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.IsFinite(x) ? x : double.NaN;
        }
        bool Numeric(int c) => used.All(r => !double.IsNaN(Number(r, c)));

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
        foreach (var (name, c) in covariates.Zip(w))
        {
            if (used.Select(r => r.Fields[c].Text).Distinct().Count() < 2) continue; // a constant column carries no information
            if (Numeric(c))
            {
                names.Add(name);
                columns.Add(used.Select(r => Number(r, c)).ToArray());
                continue;
            }
            var values = used.Select(r => r.Fields[c].Text).Distinct().OrderBy(v => v, StringComparer.Ordinal).ToList();
            foreach (var value in values.Skip(1))
            {
                names.Add($"{name}={value}");
                columns.Add(used.Select(r => r.Fields[c].Text == value ? 1.0 : 0.0).ToArray());
            }
        }
        return (new CausalData(columns.ToArray(), names, treatment, outcome, binary), rows.Count, used.Count);
    }
}
