using System.Globalization;
using System.Text;
using HybridSynth.Scm.IO;
using NUnit.Framework;

namespace HybridSynth.Scm.Tests.IO;

/// <summary><see cref="CsvNumber"/> gives double.TryParse's answer and bits on every text: its fast path may not change a value or a column's type.</summary>
public class CsvNumberTests
{
    private static void AssertSame(string text)
    {
        var expected = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var e);
        var actual = CsvNumber.TryParse(text, out var a);
        Assert.That(actual, Is.EqualTo(expected), $"'{text}' parses");
        if (expected) Assert.That(BitConverter.DoubleToInt64Bits(a), Is.EqualTo(BitConverter.DoubleToInt64Bits(e)), $"'{text}'");
    }

    [TestCase("0")] [TestCase("-0")] [TestCase("1e309")] [TestCase("-1e309")] [TestCase("1e-400")] [TestCase("2.2250738585072011e-308")]
    [TestCase("4.9406564584124654e-324")] [TestCase("2.4703282292062327e-324")] [TestCase("9007199254740993")] [TestCase("1.7976931348623157e308")]
    [TestCase("1.7976931348623158e308")] [TestCase("+1")] [TestCase(" 1")] [TestCase("1 ")] [TestCase(".5")] [TestCase("5.")] [TestCase("1e")]
    [TestCase("1e+")] [TestCase("--1")] [TestCase("Infinity")] [TestCase("-Infinity")] [TestCase("NaN")] [TestCase("nan")] [TestCase("inf")]
    [TestCase("1_0")] [TestCase("1,5")] [TestCase("\u0663")] [TestCase("1d")] [TestCase("0x10")] [TestCase("")] [TestCase("-")] [TestCase("1E5")]
    [TestCase("00012.5000")] [TestCase("1e0000000000000000000000000001")] [TestCase("123456789012345678901234567890e-30")]
    public void EdgeCases(string text) => AssertSame(text);

    [Test]
    public void SeededRandomTexts_SameAnswerAndBitsAsDoubleTryParse()
    {
        var rng = new Random(16);
        string[] formats = ["R", "G17", "E20", "F10", "G5", "E3", "F0"];
        string Digits(int n)
        {
            var sb = new StringBuilder(n);
            for (var i = 0; i < n; i++) sb.Append((char)('0' + rng.Next(10)));
            return sb.ToString();
        }
        for (var i = 0; i < 100_000; i++)
        {
            var bits = rng.NextInt64(long.MinValue, long.MaxValue);
            var x = BitConverter.Int64BitsToDouble(bits);
            if (double.IsFinite(x)) AssertSame(x.ToString(formats[rng.Next(formats.Length)], CultureInfo.InvariantCulture));
            AssertSame((rng.NextDouble() * Math.Pow(10, rng.Next(-8, 9))).ToString(formats[rng.Next(formats.Length)], CultureInfo.InvariantCulture));
            var text = (rng.Next(3) == 0 ? "-" : "") + Digits(rng.Next(1, 41)) + (rng.Next(2) == 0 ? "." + Digits(rng.Next(1, 41)) : "")
                + (rng.Next(2) == 0 ? (rng.Next(2) == 0 ? "e" : "E") + (rng.Next(3) switch { 0 => "+", 1 => "-", _ => "" }) + rng.Next(0, 420) : "");
            AssertSame(text);
        }
    }
}
