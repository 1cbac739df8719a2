using System.Runtime.CompilerServices;

namespace HybridSynth.Scm.IO;

/// <summary>
/// A token of a BIF file: a word (identifier, state name or number) or one punctuation character, as a slice of the
/// text (no string is made for it until <see cref="Text"/> is asked for), with its 1-based line and column.
/// </summary>
public readonly record struct SpecToken(ReadOnlyMemory<char> Slice, int Line, int Column, bool IsPunctuation)
{
    /// <summary>The token's characters.</summary>
    public ReadOnlySpan<char> Span => Slice.Span;

    /// <summary>The token's characters as a new string.</summary>
    public string Text => Slice.ToString();

    /// <summary>True when this token is the punctuation <paramref name="punctuation"/>.</summary>
    public bool Is(char punctuation) => IsPunctuation && Slice.Span[0] == punctuation;
}

/// <summary>
/// Splits BIF text into tokens on whitespace and the characters <c>,;(){}[]|</c> (state names such
/// as <c>&lt;5</c> or <c>Asy/Patch</c> stay whole), skipping <c>//</c> and <c>/* */</c> comments,
/// and records each token's 1-based line and column. It reads one token ahead and keeps none behind, so a
/// reader of a large network (diabetes: about 1.1 million tokens) holds no list of them. Its scanning is compiled optimised at
/// once (a spec is read once a process, so tiered compilation would run it unoptimised).
/// </summary>
public sealed class SpecTokenizer
{
    private const string Punctuation = ",;(){}[]|";
    private readonly string _text;
    private int _i, _line = 1, _col = 1;
    private SpecToken _ahead, _last;
    private bool _hasAhead, _hasLast;

    /// <summary>A tokenizer at the start of <paramref name="text"/>.</summary>
    public SpecTokenizer(string text) => _text = text;

    /// <summary>The last token read ahead (at the end of the text: its last token); false before the first.</summary>
    public bool TryGetLast(out SpecToken token)
    {
        token = _last;
        return _hasLast;
    }

    /// <summary>True when no token is left.</summary>
    public bool AtEnd => !TryPeek(out _);

    /// <summary>The next token without taking it; false at the end.</summary>
    public bool TryPeek(out SpecToken token)
    {
        if (!_hasAhead) _hasAhead = Scan(out _ahead);
        token = _ahead;
        return _hasAhead;
    }

    /// <summary>Takes the next token; false at the end.</summary>
    public bool TryTake(out SpecToken token)
    {
        if (!TryPeek(out token)) return false;
        _hasAhead = false;
        return true;
    }

    /// <summary>All the tokens of a BIF text with their lines and columns (comments skipped).</summary>
    public static List<SpecToken> Tokenize(string text)
    {
        var tokens = new List<SpecToken>();
        var tokenizer = new SpecTokenizer(text);
        while (tokenizer.TryTake(out var t)) tokens.Add(t);
        return tokens;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Scan(out SpecToken token)
    {
        var text = _text;
        while (_i < text.Length)
        {
            var c = text[_i];
            if (c == '\n') { _line++; _col = 1; _i++; continue; }
            if (char.IsWhiteSpace(c)) { _col++; _i++; continue; }
            if (c == '/' && _i + 1 < text.Length && text[_i + 1] == '/')
            {
                while (_i < text.Length && text[_i] != '\n') _i++;
                continue;
            }
            if (c == '/' && _i + 1 < text.Length && text[_i + 1] == '*')
            {
                _i += 2; _col += 2;
                while (_i < text.Length && !(text[_i] == '*' && _i + 1 < text.Length && text[_i + 1] == '/'))
                {
                    if (text[_i] == '\n') { _line++; _col = 1; } else _col++;
                    _i++;
                }
                _i += 2; _col += 2;
                continue;
            }
            if (Punctuation.Contains(c))
            {
                token = new SpecToken(text.AsMemory(_i, 1), _line, _col, true);
                _i++; _col++;
            }
            else
            {
                var start = _i;
                while (_i < text.Length && !char.IsWhiteSpace(text[_i]) && !Punctuation.Contains(text[_i])) _i++;
                token = new SpecToken(text.AsMemory(start, _i - start), _line, _col, false);
                _col += _i - start;
            }
            _last = token;
            _hasLast = true;
            return true;
        }
        token = default;
        return false;
    }
}
