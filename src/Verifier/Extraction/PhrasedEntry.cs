using System.Text.RegularExpressions;
using HybridSynth.Scm.Variables;

namespace HybridSynth.Verifier.Extraction;

/// <summary>
/// One variable's realization-file phrasing, compiled for the realizer and the extractor: per state the sentences to
/// write and the cues that state it; for a continuous variable the sentences with a {value} slot and its units. A
/// variable the file does not cover falls back to the spec's templates (each state's first surface form).
/// </summary>
public sealed class PhrasedEntry
{
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;
    private const string NumberPattern = @"(?<value>[-+]?\d+(?:\.\d+)?)";

    private PhrasedEntry(string? section, IReadOnlyList<IReadOnlyList<string>> statePhrases, IReadOnlyList<string> numericPhrases,
        IReadOnlyList<string> facts, IReadOnlyDictionary<string, (double Scale, double Offset)> units, int decimals, string noun,
        IReadOnlyList<(Regex Pattern, int State)> phrasePatterns, IReadOnlyList<(Regex Pattern, int State, int Length)> cuePatterns, Regex? unitPattern,
        IReadOnlyList<IReadOnlyList<string>> stateCues)
    {
        StateCues = stateCues;
        Section = section;
        StatePhrases = statePhrases;
        NumericPhrases = numericPhrases;
        Facts = facts;
        Units = units;
        Decimals = decimals;
        Noun = noun;
        PhrasePatterns = phrasePatterns;
        CuePatterns = cuePatterns;
        UnitPattern = unitPattern;
    }

    /// <summary>The section the variable's sentence goes in (null: the closing, unheaded paragraph).</summary>
    public string? Section { get; }
    /// <summary>Per state, the sentences the realizer may write.</summary>
    public IReadOnlyList<IReadOnlyList<string>> StatePhrases { get; }
    /// <summary>Per state, the cues the realization file gives (short mentions that state it: "non-smoker").</summary>
    public IReadOnlyList<IReadOnlyList<string>> StateCues { get; }
    /// <summary>A continuous variable's sentences, each with a {value} slot.</summary>
    public IReadOnlyList<string> NumericPhrases { get; }
    /// <summary>Per state, a clause that states it ("the patient smokes"), for questions.</summary>
    public IReadOnlyList<string> Facts { get; }
    /// <summary>A continuous variable's units (value = scale·x + offset).</summary>
    public IReadOnlyDictionary<string, (double Scale, double Offset)> Units { get; }
    /// <summary>The decimals a continuous value is written with.</summary>
    public int Decimals { get; }
    /// <summary>What questions call the variable.</summary>
    public string Noun { get; }
    /// <summary>Every phrasing as a pattern: the state it states, or −1 with a <c>value</c> group for a number.</summary>
    public IReadOnlyList<(Regex Pattern, int State)> PhrasePatterns { get; }
    /// <summary>Every cue as a pattern, with its state and length (longer cues are read first).</summary>
    public IReadOnlyList<(Regex Pattern, int State, int Length)> CuePatterns { get; }
    /// <summary>The units, as a pattern anchored at a number's end; null without units.</summary>
    public Regex? UnitPattern { get; }
    /// <summary>Half the last written digit: values this close are the same in text.</summary>
    public double Tolerance => 0.5 * Math.Pow(10, -Decimals) + 1e-9;

    /// <summary>The sentence for <paramref name="value"/>, phrasing number <paramref name="choice"/> (modulo their count).</summary>
    public string Sentence(TextLexicon.Entry entry, double value, int choice)
    {
        if (!entry.Variable.IsCategorical)
            return NumericPhrases[choice % NumericPhrases.Count].Replace("{value}", FormatNumber(value), StringComparison.Ordinal);
        var phrases = StatePhrases[(int)value];
        return phrases[choice % phrases.Count];
    }

    /// <summary>A number as this variable writes it.</summary>
    public string FormatNumber(double value) => value.ToString("F" + Decimals, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Compiles <paramref name="entry"/>'s phrasing from the realization file's <paramref name="phrasing"/> (null: the spec's templates).</summary>
    public static PhrasedEntry Build(TextLexicon.Entry entry, VariablePhrasing? phrasing)
    {
        var v = entry.Variable;
        var alias = entry.Aliases[0];
        IReadOnlyList<IReadOnlyList<string>> statePhrases = Array.Empty<IReadOnlyList<string>>();
        var facts = new List<string>();
        var cues = new List<(Regex, int, int)>();
        var patterns = new List<(Regex, int)>();
        var stateCues = new List<IReadOnlyList<string>>();
        if (v.Domain is CategoricalDomain d)
        {
            statePhrases = d.States.Select((s, k) =>
            {
                var given = phrasing?.States.GetValueOrDefault(s)?.Phrases;
                return given is { Count: > 0 } ? given : entry.Templates.Select(t => t.Replace("{value}", entry.SurfaceForms[k][0], StringComparison.Ordinal)).ToList();
            }).ToList();
            for (var k = 0; k < d.Cardinality; k++)
            {
                var state = phrasing?.States.GetValueOrDefault(d.States[k]);
                facts.Add(state?.Fact ?? $"{alias} is {d.States[k]}");
                stateCues.Add(state?.Cues ?? Array.Empty<string>());
                foreach (var p in statePhrases[k]) patterns.Add((new Regex(PhrasePattern(p, null), Options), k));
                foreach (var c in state?.Cues ?? Array.Empty<string>())
                    cues.Add((new Regex(@"(?<![\w-])" + TextLexicon.Spaced([c], "") + @"(?![\w-])", Options), k, c.Length));
            }
        }
        var numeric = phrasing is { Phrases.Count: > 0 } ? phrasing.Phrases : v.IsCategorical ? Array.Empty<string>() : entry.Templates;
        foreach (var p in numeric) patterns.Add((new Regex(PhrasePattern(p, NumberPattern), Options), -1));
        var units = phrasing?.Units ?? new Dictionary<string, (double, double)>();
        var unitPattern = units.Count == 0 ? null
            : new Regex(@"\G\s*(?<unit>" + string.Join("|", units.Keys.OrderByDescending(u => u.Length).Select(Regex.Escape)) + @")(?![\w])", Options);
        return new PhrasedEntry(phrasing?.Section, statePhrases, numeric, facts, units, phrasing?.Decimals ?? 2,
            phrasing?.Noun ?? alias, patterns, cues.OrderByDescending(c => c.Item3).ToList(), unitPattern, stateCues);
    }

    /// <summary>A phrasing as a pattern: words bounded, whitespace flexible, its closing punctuation optional; the slot is <paramref name="value"/>.</summary>
    private static string PhrasePattern(string phrase, string? value)
    {
        var trimmed = phrase.TrimEnd('.', '!', '?', ';', ' ');
        var parts = trimmed.Split("{value}");
        return TextLexicon.Spaced(parts, value ?? "") + @"(?![\w])";
    }
}
