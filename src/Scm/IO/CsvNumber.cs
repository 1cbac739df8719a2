using System.Globalization;
using csFastFloat;

namespace HybridSynth.Scm.IO;

/// <summary>
/// Parses a cell as a number exactly as <c>double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture)</c>
/// does — the same answer and the same bits — but several times faster on the cells a table holds. A plain decimal
/// (<c>-?digits[.digits][(e|E)[+|-]digits]</c>) is parsed by csFastFloat (Lemire's algorithm, correctly rounded, as .NET's
/// parser is, so both give the nearest double); anything else (a sign '+', surrounding whitespace, a bare '.5',
/// Infinity, NaN, text) goes to <see cref="double.TryParse(ReadOnlySpan{char}, NumberStyles, IFormatProvider, out double)"/>.
/// </summary>
public static class CsvNumber
{
    /// <summary>Whether <paramref name="text"/> is a number, and its value (see the class summary).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out double value)
    {
        if (IsPlainDecimal(text) && FastDoubleParser.TryParseDouble(text, out int consumed, out value) && consumed == text.Length) return true;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static bool IsPlainDecimal(ReadOnlySpan<char> s)
    {
        var i = 0;
        if (i < s.Length && s[i] == '-') i++;
        var start = i;
        while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        if (i == start) return false;
        if (i < s.Length && s[i] == '.')
        {
            start = ++i;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
            if (i == start) return false;
        }
        if (i < s.Length && (s[i] == 'e' || s[i] == 'E'))
        {
            i++;
            if (i < s.Length && (s[i] == '+' || s[i] == '-')) i++;
            start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
            if (i == start) return false;
        }
        return i == s.Length;
    }
}
