namespace HybridSynth.Scm.IO;

/// <summary>A token of a BIF file: a word (identifier, state name or number) or one punctuation character.</summary>
public readonly record struct SpecToken(string Text, int Line, int Column, bool IsPunctuation)
{
    /// <summary>True when this token is the punctuation <paramref name="punctuation"/>.</summary>
    public bool Is(string punctuation) => IsPunctuation && Text == punctuation;
}

/// <summary>
/// Splits BIF text into tokens on whitespace and the characters <c>,;(){}[]|</c> (state names such
/// as <c>&lt;5</c> or <c>Asy/Patch</c> stay whole), skipping <c>//</c> and <c>/* */</c> comments,
/// and records each token's 1-based line and column.
/// </summary>
public static class SpecTokenizer
{
    private const string Punctuation = ",;(){}[]|";

    /// <summary>The tokens of a BIF text with their lines and columns (comments skipped).</summary>
    public static List<SpecToken> Tokenize(string text)
    {
        var tokens = new List<SpecToken>(text.Length / 4);
        int line = 1, col = 1, i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n') { line++; col = 1; i++; continue; }
            if (char.IsWhiteSpace(c)) { col++; i++; continue; }
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                while (i < text.Length && text[i] != '\n') i++;
                continue;
            }
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                i += 2; col += 2;
                while (i < text.Length && !(text[i] == '*' && i + 1 < text.Length && text[i + 1] == '/'))
                {
                    if (text[i] == '\n') { line++; col = 1; } else col++;
                    i++;
                }
                i += 2; col += 2;
                continue;
            }
            if (Punctuation.IndexOf(c) >= 0)
            {
                tokens.Add(new SpecToken(c.ToString(), line, col, true));
                i++; col++;
                continue;
            }
            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && Punctuation.IndexOf(text[i]) < 0) i++;
            tokens.Add(new SpecToken(text[start..i], line, col, false));
            col += i - start;
        }
        return tokens;
    }
}
