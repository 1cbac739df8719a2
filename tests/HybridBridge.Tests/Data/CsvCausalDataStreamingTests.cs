using System.Text;
using HybridSynth.HybridBridge.Data;
using HybridSynth.HybridBridge.Tests.Support;
using HybridSynth.Scm.Errors;
using NUnit.Framework;

namespace HybridSynth.HybridBridge.Tests.Data;

/// <summary>
/// The streaming reader against the reader it replaced (<see cref="LegacyCsvCausalData"/>, which held every record as
/// strings): on seeded random files with numbers, texts, quotes, missing tokens, non-finite numbers, other arms, blank
/// lines and short rows, both give the same data bit for bit, or the same located error.
/// </summary>
public class CsvCausalDataStreamingTests
{
    private static readonly string[] Numbers = ["0", "1", "2", "2.5", "-3", "1e3", "0.125", "7", "41"];
    private static readonly string[] Texts = ["black", "white", "x", "\"a,b\"", "\"q\"\"t\"", "é", "10a"];
    private static readonly string[] Odd = ["", "NA", "NaN", "null", "Infinity", "1e309", "NAN", "-Infinity", "N/A"];

    private static string Cell(Random rng, int kind, double oddRate)
    {
        if (rng.NextDouble() < oddRate) return Odd[rng.Next(Odd.Length)];
        return kind switch
        {
            0 => Numbers[rng.Next(Numbers.Length)],
            1 => Texts[rng.Next(Texts.Length)],
            2 => rng.Next(2) == 0 ? "c" : "c", // constant
            _ => (rng.NextDouble() * 10 - 5).ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private static (string Text, CsvCausalData.Selection Selection) RandomFile(Random rng)
    {
        var names = new[] { "a", "y", "w1", "w2", "w3", "w4", "extra" };
        var kinds = names.Select(_ => rng.Next(4)).ToArray();
        var oddRate = rng.Next(4) switch { 0 or 1 => 0.0, 2 => 0.002, _ => 0.02 };
        var mixRate = rng.Next(3) == 0 ? 0.01 : 0.0; // a cell of the other kind
        var outcome = rng.Next(3);
        var sb = new StringBuilder(string.Join(",", names)).Append(rng.Next(4) == 0 ? "\r\n" : "\n");
        var rows = rng.Next(1, 60);
        for (var i = 0; i < rows; i++)
        {
            if (rng.NextDouble() < 0.03) { sb.Append('\n'); continue; }
            var fields = new List<string> { rng.NextDouble() < 0.9 ? (rng.Next(2) == 0 ? "1" : "0") : (rng.Next(2) == 0 ? "2" : "NA") };
            fields.Add(outcome switch
            {
                0 => rng.Next(2) == 0 ? "0" : "1",
                1 => Cell(rng, rng.NextDouble() < mixRate ? 1 : 3, oddRate),
                _ => rng.NextDouble() < mixRate ? "maybe" : rng.Next(2) == 0 ? "yes" : "no",
            });
            for (var k = 2; k < names.Length; k++)
                fields.Add(Cell(rng, rng.NextDouble() < mixRate ? (kinds[k] + 1) % 4 : kinds[k], oddRate));
            if (rng.NextDouble() < 0.005) fields.RemoveAt(fields.Count - 1);
            sb.Append(string.Join(",", fields)).Append('\n');
        }
        var covariates = names[2..6].Where(_ => rng.Next(4) > 0).ToList();
        if (covariates.Count == 0) covariates.Add("w1");
        var selection = new CsvCausalData.Selection("a", rng.Next(10) == 0 ? "0" : "1", "0", "y", covariates)
        {
            Categorical = covariates.Where(_ => rng.Next(5) == 0).Concat(rng.Next(6) == 0 ? ["y"] : []).ToList(),
            Missing = rng.Next(2) == 0 ? MissingPolicy.Error : MissingPolicy.Drop,
        };
        return (sb.ToString(), selection);
    }

    private static object Outcome(Func<CsvCausalData.Result> read)
    {
        try { return read(); }
        catch (SpecException e) { return e.ToOneLine(); }
    }

    [Test]
    public void SeededRandomFiles_SameDataOrSameErrorAsTheReaderItReplaced()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hs-csvstream-{Guid.NewGuid():N}.csv");
        int results = 0, errors = 0;
        var messages = new HashSet<string>();
        try
        {
            var rng = new Random(20261202);
            for (var trial = 0; trial < 600; trial++)
            {
                var (text, selection) = RandomFile(rng);
                File.WriteAllText(path, text);
                var expected = Outcome(() => LegacyCsvCausalData.Read(path, selection));
                var actual = Outcome(() => CsvCausalData.Read(path, selection));
                var context = $"trial {trial}:\n{text}";
                if (expected is string message)
                {
                    Assert.That(actual, Is.EqualTo(message), context);
                    errors++;
                    messages.Add(message[(message.IndexOf(": ", path.Length + 1, StringComparison.Ordinal) + 2)..][..12]);
                    continue;
                }
                Assert.That(actual, Is.InstanceOf<CsvCausalData.Result>(), context);
                AssertSame((CsvCausalData.Result)expected, (CsvCausalData.Result)actual, context);
                results++;
            }
        }
        finally { File.Delete(path); }
        TestContext.Out.WriteLine($"{results} results, {errors} errors: {string.Join(" | ", messages)}");
        // The generator must exercise both sides, and many kinds of error.
        Assert.That(results, Is.GreaterThan(150));
        Assert.That(errors, Is.GreaterThan(150));
        Assert.That(messages, Has.Count.GreaterThanOrEqualTo(6), string.Join(" | ", messages));
    }

    private static void AssertSame(CsvCausalData.Result e, CsvCausalData.Result a, string context)
    {
        Assert.That(a.RowsRead, Is.EqualTo(e.RowsRead), context);
        Assert.That(a.RowsUsed, Is.EqualTo(e.RowsUsed), context);
        Assert.That(a.RowsDroppedMissing, Is.EqualTo(e.RowsDroppedMissing), context);
        Assert.That(a.CovariateTypes, Is.EqualTo(e.CovariateTypes), context);
        Assert.That(a.Data.CovariateNames, Is.EqualTo(e.Data.CovariateNames), context);
        Assert.That(a.Data.Treatment, Is.EqualTo(e.Data.Treatment), context);
        Assert.That(a.Data.BinaryOutcome, Is.EqualTo(e.Data.BinaryOutcome), context);
        Assert.That(Bits(a.Data.Outcome), Is.EqualTo(Bits(e.Data.Outcome)), context);
        for (var j = 0; j < e.Data.Covariates.Length; j++)
            Assert.That(Bits(a.Data.Covariates[j]), Is.EqualTo(Bits(e.Data.Covariates[j])), context);
    }

    private static long[] Bits(double[] x) => x.Select(BitConverter.DoubleToInt64Bits).ToArray();

    [Test]
    public void InvalidUtf8_BomAndCrLf()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hs-csvstream-{Guid.NewGuid():N}.csv");
        try
        {
            var selection = new CsvCausalData.Selection("a", "1", "0", "y", ["w"]);
            File.WriteAllBytes(path, [.. Encoding.UTF8.GetPreamble(), .. "a,y,w\r\n1,1,2\r\n0,0,3\r\n"u8.ToArray()]);
            var r = CsvCausalData.Read(path, selection);
            Assert.That(r.Data.Covariates[0], Is.EqualTo(new[] { 2.0, 3.0 }));
            File.WriteAllBytes(path, [.. "a,y,w\n1,1,2\n0,0,"u8.ToArray(), 0xFF, (byte)'\n']);
            Assert.That(Assert.Throws<SpecException>(() => CsvCausalData.Read(path, selection))!.ToOneLine(), Does.Contain("not valid UTF-8"),
                "the reader it replaced read the byte as U+FFFD and called the column text");
        }
        finally { File.Delete(path); }
    }
}
