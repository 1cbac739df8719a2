using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace HybridSynth.Verifier.Extraction;

/// <summary>
/// Extraction with a realization file, in three passes over the note, each masking what it has read so that a later
/// pass never reads the same words again:
/// <list type="number">
/// <item>Phrasings: every sentence the realizer could have written (longest first, case and spacing free, closing
/// punctuation optional), for every variable; a numeric phrasing reads its number.</item>
/// <item>Cues: phrases that state a value wherever they occur ("non-smoker", "TB excluded"), longest first. A cue of the
/// positive state in the scope of a negation ("denies being a smoker") means the negative state; a cue of the negative
/// state carries its own negation and is read as it stands; a negated cue of a variable with more states means nothing.</item>
/// <item>Mentions, sentence by sentence: a variable's alias with a number after it (or right before it, as in
/// "54-year-old", "72 yo"; a number after it must be within three words), converted from its unit ("101.3 °F"); with a state word next to it ("BP low", "low BP"), or else the
/// nearest one after it in the sentence ("heart rate and CVP normal"); for a negative/positive pair with no state word,
/// negated → the negative state ("no dyspnoea", "TB ruled out"), affirmed → the positive one.</item>
/// </list>
/// Negation scope (after NegEx): a trigger before the mention in its clause (no, not, denies, without, negative for,
/// absence of, free of, never, no evidence of …) at most eight words away, or a trigger at most four words after it, not past a comma (excluded, ruled
/// out, absent, negative, not seen …: "lung cancer and TB both ruled out"); clauses end at sentence punctuation and at but, however, although, except,
/// whereas. "Cannot be excluded" and "not ruled out" affirm.
/// </summary>
public static class PhrasedExtraction
{
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;
    private static readonly Regex Sentences = new(@"(?<=[.!?;])\s+|\n+", Options);
    private static readonly Regex ClauseBreak = new(@"[.!?;\n]|(?<![\w])(but|however|although|though|except|whereas|apart from|aside from)(?![\w])", Options);
    private static readonly Regex PreTrigger = new(@"(?<![\w])(no|not|without|denies|denied|denying|negative for|absence of|absent|free of|never|no evidence of|no sign of|no signs of|none of|ruled out for|rules out|ruling out|excludes|nor)(?![\w])", Options | RegexOptions.RightToLeft);
    private static readonly Regex PostTrigger = new(@"\G[\s:\-–]*(?:[\w'’\-]+\s+){0,4}?(?<neg>excluded|ruled out|absent|not seen|not present|not detected|not found|unlikely|denied|negative(?!\s+for)|none(?!\s+of)|no(?=\s*(?:[.;,:!?\n]|$)))(?![\w])", Options);
    private static readonly Regex Affirming = new(@"(cannot|can't|could not|not|never)\s+(?:be\s+|been\s+|yet\s+)?(excluded|ruled out)\s*$", Options);
    private static readonly Regex Number = new(@"[-+]?\d+(?:\.\d+)?", Options);
    private static readonly Regex NumberBefore = new(@"(?<value>\d+(?:\.\d+)?)\s*-?\s*$", Options);
    private static readonly Regex Word = new(@"[\w'’\-]+", Options);

    /// <summary>The value of every model variable in <paramref name="text"/>, by variable index (hidden variables: missing).</summary>
    public static ExtractedValue[] Extract(TextLexicon lexicon, string text)
    {
        var entries = lexicon.Entries;
        var found = entries.Select(_ => new List<(double Value, string Text)>()).ToArray();
        var masked = new StringBuilder(text);
        var current = text; // the masked text as a string, rebuilt only after a pass has masked something
        var visible = Enumerable.Range(0, entries.Count).Where(v => !entries[v].Variable.Hidden).ToList();

        // 1. phrasings, longest first across variables
        foreach (var (v, pattern, state) in visible.SelectMany(v => entries[v].Phrasing!.PhrasePatterns.Select(p => (v, p.Pattern, p.State)))
                     .OrderByDescending(p => p.Pattern.ToString().Length).ThenBy(p => p.v))
        {
            var matches = pattern.Matches(current);
            if (matches.Count == 0) continue;
            foreach (Match m in matches)
            {
                if (state >= 0) found[v].Add((state, m.Value));
                else if (double.TryParse(m.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x)) found[v].Add((x, m.Value));
                Mask(masked, m.Index, m.Length);
            }
            current = masked.ToString();
        }
        // 2. cues, longest first
        foreach (var (v, pattern, state) in visible.SelectMany(v => entries[v].Phrasing!.CuePatterns.Select(c => (v, c.Pattern, c.State, c.Length)))
                     .OrderByDescending(c => c.Length).ThenBy(c => c.v).Select(c => (c.v, c.Pattern, c.State)))
        {
            var e = entries[v];
            var matches = pattern.Matches(current);
            if (matches.Count == 0) continue;
            foreach (Match m in matches)
            {
                // a cue of the negative state carries its own negation ("no foreign travel"): only an affirming cue is flipped
                if (state == e.NegativeState || !Negated(current, m.Index, m.Length)) found[v].Add((state, m.Value));
                else if (e.NegativeState is { } neg && state == e.PositiveState) found[v].Add((neg, "negated " + m.Value));
                Mask(masked, m.Index, m.Length);
            }
            current = masked.ToString();
        }
        // 3. mentions, sentence by sentence
        var rest = current;
        var offset = 0;
        foreach (var sentence in Sentences.Split(rest))
        {
            var at = rest.IndexOf(sentence, offset, StringComparison.Ordinal);
            offset = at + sentence.Length;
            if (sentence.Trim().Length == 0) continue;
            foreach (var v in visible) Mentions(entries[v], sentence, found[v]);
        }
        return Enumerable.Range(0, entries.Count).Select(v => entries[v].Variable.Hidden ? ExtractedValue.Missing : TextExtractor.Decide(entries[v], found[v])).ToArray();
    }

    private static void Mentions(TextLexicon.Entry e, string sentence, List<(double Value, string Text)> found)
    {
        if (e.AliasPattern is null) return;
        var aliases = e.AliasPattern.Matches(sentence);
        if (aliases.Count == 0) return;
        var p = e.Phrasing!;
        foreach (Match a in aliases)
        {
            if (!e.Variable.IsCategorical)
            {
                var end = ClauseEnd(sentence, a.Index + a.Length);
                var after = Number.Match(sentence, a.Index + a.Length);
                string? digits = null;
                var numberEnd = 0;
                var gap = after.Success && after.Index < end ? Word.Matches(sentence[(a.Index + a.Length)..after.Index]).Count : int.MaxValue;
                if (NumberBefore.Match(sentence[..a.Index]) is { Success: true } before && gap > 0) { digits = before.Groups["value"].Value; numberEnd = -1; }
                else if (gap <= 3) { digits = after.Value; numberEnd = after.Index + after.Length; }
                if (digits is null || !double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var x)) continue;
                if (numberEnd > 0 && p.UnitPattern?.Match(sentence, numberEnd) is { Success: true } unit)
                {
                    var (scale, shift) = p.Units[unit.Groups["unit"].Value];
                    x = scale * x + shift;
                }
                found.Add((x, digits));
                continue;
            }
            var state = StateWord(e, sentence, a);
            if (state is { } s)
            {
                if (!Negated(sentence, s.Index, s.Length)) found.Add((s.State, s.Text));
                continue;
            }
            var label = Regex.IsMatch(sentence[(a.Index + a.Length)..], @"^\s*:"); // "CXR: …" labels what follows; it affirms nothing itself
            if (e.NegativeState is { } neg && e.PositiveState is { } pos)
            {
                if (Negated(sentence, a.Index, a.Length)) found.Add((neg, "negated " + a.Value));
                else if (!label) found.Add((pos, a.Value));
            }
        }
    }

    /// <summary>A state word next to the alias (two words either side, after first), else the nearest after it in the sentence.</summary>
    private static (int State, int Index, int Length, string Text)? StateWord(TextLexicon.Entry e, string sentence, Match alias)
    {
        var words = Word.Matches(sentence).Where(w => w.Index + w.Length <= alias.Index || w.Index >= alias.Index + alias.Length).ToList();
        var before = words.Where(w => w.Index < alias.Index).Reverse().Take(2).ToList();
        var afterAll = words.Where(w => w.Index >= alias.Index + alias.Length).ToList();
        var binary = e.NegativeState is not null;
        (int, int, int, string)? Form(int start, bool nearAfter)
        {
            for (var k = 0; k < e.SurfaceForms.Count; k++)
                foreach (var form in e.SurfaceForms[k])
                {
                    if (binary && IsPolarityWord(form) && !nearAfter) continue; // a bare "no"/"yes" only reads right after the alias
                    if (string.Compare(sentence, start, form, 0, form.Length, StringComparison.OrdinalIgnoreCase) == 0
                        && (start + form.Length == sentence.Length || !char.IsLetterOrDigit(sentence[start + form.Length])))
                        return (k, start, form.Length, sentence.Substring(start, form.Length));
                }
            return null;
        }
        foreach (var w in afterAll.Take(2)) if (Form(w.Index, nearAfter: true) is { } f) return f;
        foreach (var w in before) if (Form(w.Index, nearAfter: false) is { } f) return f;
        var end = ClauseEnd(sentence, alias.Index + alias.Length);
        foreach (var w in afterAll.Skip(2).Where(w => w.Index < end)) if (Form(w.Index, nearAfter: false) is { } f) return f;
        return null;
    }

    private static bool IsPolarityWord(string form) => form.ToLowerInvariant() is "no" or "yes" or "y" or "n" or "true" or "false";

    /// <summary>Whether the words at [index, index + length) are in the scope of a negation within their clause.</summary>
    public static bool Negated(string text, int index, int length)
    {
        var start = ClauseStart(text, index);
        var pre = PreTrigger.Match(text, start, index - start);
        if (pre.Success)
        {
            var between = text[(pre.Index + pre.Length)..index];
            if (Word.Matches(between).Count <= 8 && !Affirming.IsMatch(text[start..(pre.Index + pre.Length)])) return true;
        }
        var post = PostTrigger.Match(text, index + length);
        if (post.Success && post.Index + post.Length <= ClauseEnd(text, index + length))
            return !Affirming.IsMatch(text[start..(post.Index + post.Length)]);
        return false;
    }

    private static int ClauseStart(string text, int index)
    {
        var start = 0;
        foreach (Match m in ClauseBreak.Matches(text[..index])) start = m.Index + m.Length;
        return start;
    }

    private static int ClauseEnd(string text, int from)
    {
        var m = ClauseBreak.Match(text, from);
        return m.Success ? m.Index : text.Length;
    }

    private static void Mask(StringBuilder text, int index, int length)
    {
        for (var i = index; i < index + length; i++)
            if (text[i] != '\n') text[i] = ' ';
    }
}
