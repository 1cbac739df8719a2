using System.Globalization;
using System.Text;
using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Tables;
using HybridSynth.Scm.Variables;

namespace HybridSynth.Scm.IO;

/// <summary>
/// Reads an RFC 4180 CSV file (header row; quoted fields; \n or \r\n line ends) into a
/// <see cref="DataTable"/> typed by a model: every column named like a model variable is read with
/// that variable's domain (state names for categorical variables, numbers otherwise); other columns
/// are ignored. Bad cells give located errors (file:line:col).
/// </summary>
public static class CsvTableReader
{
    /// <summary>The largest magnitude a continuous cell may have: squares and cross-products of the tests stay finite below it.</summary>
    public const double MaxMagnitude = 1e150;

    /// <summary>The table and the model variables that had no column.</summary>
    public static (DataTable Table, IReadOnlyList<string> Missing) Read(string path, CausalModel model)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, new UTF8Encoding(false, true));
        }
        catch (FileNotFoundException) { throw new SpecException(null, $"{path}: no such file"); }
        catch (DirectoryNotFoundException) { throw new SpecException(null, $"{path}: no such file"); }
        catch (DecoderFallbackException) { throw new SpecException(path, 1, 1, "the file is not valid UTF-8 text"); }
        catch (UnauthorizedAccessException) { throw new SpecException(null, $"{path}: cannot be read (permission denied, or a directory)"); }
        catch (IOException e) { throw new SpecException(null, $"{path}: cannot be read ({e.Message})"); }
        return Parse(text, path, model);
    }

    public static (DataTable Table, IReadOnlyList<string> Missing) Parse(string text, string file, CausalModel model)
    {
        var records = Records(text, file).ToList();
        if (records.Count == 0) throw new SpecException(file, 1, 1, "the file is empty; expected a header row");
        var header = records[0];
        var columnOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var c = 0; c < header.Fields.Count; c++)
        {
            var name = header.Fields[c].Text;
            if (!columnOf.TryAdd(name, c)) throw new SpecException(file, header.Line, header.Fields[c].Column, $"column '{name}' appears twice in the header");
        }
        var rows = records.Skip(1).Where(r => !(r.Fields.Count == 1 && r.Fields[0].Text.Length == 0)).ToList();
        var table = new DataTable(rows.Count);
        var missing = new List<string>();
        foreach (var v in model.Variables)
        {
            if (!columnOf.TryGetValue(v.Name, out var c))
            {
                missing.Add(v.Name);
                continue;
            }
            if (v.Domain is CategoricalDomain d)
            {
                var codes = new int[rows.Count];
                for (var i = 0; i < rows.Count; i++)
                {
                    var f = Field(rows[i], c, header.Fields.Count, file);
                    if (!d.TryCode(f.Text, out codes[i]))
                        throw new SpecException(file, rows[i].Line, f.Column,
                            $"'{f.Text}' is not a state of '{v.Name}'; expected one of: {string.Join(", ", d.States)}");
                }
                table.AddCategorical(v, codes);
            }
            else
            {
                var values = new double[rows.Count];
                for (var i = 0; i < rows.Count; i++)
                {
                    var f = Field(rows[i], c, header.Fields.Count, file);
                    if (!double.TryParse(f.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
                        throw new SpecException(file, rows[i].Line, f.Column, $"expected a finite number for '{v.Name}', found '{f.Text}'");
                    if (Math.Abs(values[i]) >= MaxMagnitude)
                        throw new SpecException(file, rows[i].Line, f.Column, $"'{f.Text}' for '{v.Name}' is too large: values must be below 1e150 in magnitude (sums of squares of larger ones overflow); rescale the column");
                }
                table.AddContinuous(v, values);
            }
        }
        return (table, missing);
    }

    private static CsvField Field(CsvRecord row, int c, int width, string file)
    {
        if (row.Fields.Count != width)
            throw new SpecException(file, row.Line, 1, $"the row has {row.Fields.Count} fields; the header has {width}");
        return row.Fields[c];
    }

    public readonly record struct CsvField(string Text, int Column);

    public sealed record CsvRecord(int Line, List<CsvField> Fields);

    /// <summary>Splits CSV text into records of fields, with the line and column where each starts.</summary>
    public static IEnumerable<CsvRecord> Records(string text, string file)
    {
        int i = 0, line = 1, col = 1;
        while (i < text.Length)
        {
            var record = new CsvRecord(line, new List<CsvField>());
            while (true)
            {
                var startCol = col;
                var sb = new StringBuilder();
                if (i < text.Length && text[i] == '"')
                {
                    int qLine = line, qCol = col;
                    i++; col++;
                    while (true)
                    {
                        if (i >= text.Length) throw new SpecException(file, qLine, qCol, "a quoted field is not closed");
                        var ch = text[i];
                        if (ch == '"')
                        {
                            if (i + 1 < text.Length && text[i + 1] == '"') { sb.Append('"'); i += 2; col += 2; continue; }
                            i++; col++;
                            break;
                        }
                        if (ch == '\n') { line++; col = 1; } else col++;
                        sb.Append(ch);
                        i++;
                    }
                    if (i < text.Length && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                        throw new SpecException(file, line, col, "expected ',' or the end of the line after a quoted field");
                }
                else
                {
                    while (i < text.Length && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                    {
                        sb.Append(text[i]);
                        i++; col++;
                    }
                }
                record.Fields.Add(new CsvField(sb.ToString(), startCol));
                if (i < text.Length && text[i] == ',') { i++; col++; continue; }
                if (i < text.Length && text[i] == '\r') i++;
                if (i < text.Length && text[i] == '\n') i++;
                line++; col = 1;
                break;
            }
            yield return record;
        }
    }
}
