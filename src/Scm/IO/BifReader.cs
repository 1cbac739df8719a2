using System.Globalization;
using System.Runtime.InteropServices;
using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Mechanisms;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Variables;

namespace HybridSynth.Scm.IO;

/// <summary>
/// Reads a discrete Bayesian network in the Bayesian Interchange Format as published in the bnlearn
/// repository: <c>network</c>, <c>variable X { type discrete [ k ] { s1, … }; }</c> and
/// <c>probability ( X | P1, … ) { (p1, …) v1, …; }</c> blocks (or <c>table</c> for roots, and
/// <c>default</c> rows). Rows are matched by parent state NAMES. A row whose sum is within 1e-6 of 1
/// is renormalised; a larger deviation is an error naming the variable and the row.
/// </summary>
/// <remarks>
/// The text is read a token at a time (<see cref="SpecTokenizer"/>): numbers are parsed from slices of it into one list per
/// block and rows keep their parent states as slices, so a large network (diabetes, 5.5 MB) is read without a string
/// or token list per number (its load allocates 65 MB, from 130).
/// </remarks>
public sealed class BifReader
{
    /// <summary>Row sums further than this from 1 are rejected; closer ones are renormalised.</summary>
    public const double RowSumTolerance = 1e-6;

    private readonly string _file;
    private readonly SpecTokenizer _tokens;

    private BifReader(string file, string text)
    {
        _file = file;
        _tokens = new SpecTokenizer(text);
    }

    /// <summary>Reads a BIF file (see <see cref="Read"/>).</summary>
    public static CausalModel ReadFile(string path) => Read(File.ReadAllText(path), path);

    /// <param name="text">The BIF text.</param>
    /// <param name="file">The name used in error locations.</param>
    public static CausalModel Read(string text, string file) => new BifReader(file, text).Parse();

    private sealed class VariableDecl
    {
        public required string Name;
        public required SpecToken At;
        public required string[] States;
        public required Dictionary<string, int> Codes;
        public ProbabilityBlock? Block;
    }

    /// <summary>A block's numbers, all in one list, and its rows' parent states as tokens (slices of the text), so a large
    /// network is read without a string or a list per row.</summary>
    private sealed class ProbabilityBlock
    {
        public required SpecToken At;
        public required List<(string Name, SpecToken At)> Parents;
        public List<double> Numbers = new();
        public List<SpecToken> KeyStates = new();
        public List<(Range Key, Range Values, SpecToken At)> Rows = new();
        public (Range Values, SpecToken At)? Table;
        public (Range Values, SpecToken At)? Default;

        public ReadOnlySpan<double> Values(Range r) => CollectionsMarshal.AsSpan(Numbers)[r];

        public string KeyText(Range key) => string.Join(", ", KeyStates[key].Select(s => s.Text));
    }

    private CausalModel Parse()
    {
        string name = Path.GetFileNameWithoutExtension(_file);
        var variables = new List<VariableDecl>();
        var byName = new Dictionary<string, VariableDecl>(StringComparer.Ordinal);
        var blocks = new List<(string Name, SpecToken At, ProbabilityBlock Block)>();
        while (!AtEnd)
        {
            var t = Next("a 'network', 'variable' or 'probability' block");
            switch (t.Text)
            {
                case "network":
                    var declared = Next("a network name").Text;
                    if (declared != "unknown") name = declared;
                    SkipBlock();
                    break;
                case "variable":
                {
                    var v = ParseVariable();
                    if (!byName.TryAdd(v.Name, v)) throw Error(v.At, $"variable '{v.Name}' is declared twice");
                    variables.Add(v);
                    break;
                }
                case "probability":
                    blocks.Add(ParseProbability());
                    break;
                default:
                    throw Error(t, $"expected 'network', 'variable' or 'probability', found '{t.Text}'");
            }
        }
        if (variables.Count == 0) throw Error(null, "the file declares no variable");
        foreach (var (child, at, block) in blocks)
        {
            if (!byName.TryGetValue(child, out var v)) throw Error(at, $"probability block for unknown variable '{child}'");
            if (v.Block is not null) throw Error(at, $"a second probability block for '{child}'");
            foreach (var (p, pat) in block.Parents)
            {
                if (!byName.ContainsKey(p)) throw Error(pat, $"unknown parent '{p}' of '{child}' (no such variable is declared)");
                if (p == child) throw Error(pat, $"'{child}' cannot be its own parent");
            }
            if (block.Parents.Select(p => p.Name).Distinct().Count() != block.Parents.Count)
                throw Error(at, $"a parent of '{child}' is listed twice");
            v.Block = block;
        }
        var index = variables.Select((v, i) => (v.Name, i)).ToDictionary(t => t.Name, t => t.i, StringComparer.Ordinal);
        var vars = variables.Select(v => new Variable(v.Name, new CategoricalDomain(v.States))
        {
            Location = new SourceLocation(_file, v.At.Line, v.At.Column),
        }).ToArray();
        var mechanisms = new IMechanism[variables.Count];
        for (var i = 0; i < variables.Count; i++)
        {
            var v = variables[i];
            if (v.Block is null) throw Error(v.At, $"variable '{v.Name}' has no probability block");
            var parents = v.Block.Parents.Select(p => byName[p.Name]).ToArray();
            var table = BuildTable(v, parents);
            mechanisms[i] = new CptMechanism(parents.Select(p => index[p.Name]).ToArray(), parents.Select(p => p.States.Length).ToArray(), v.States.Length, table, handedOver: true);
        }
        try
        {
            return new CausalModel(name, vars, mechanisms);
        }
        catch (CyclicGraphException e)
        {
            var at = variables.First(v => v.Name == e.Cycle[0]).Block!.At;
            throw Error(at, e.Message);
        }
    }

    private double[] BuildTable(VariableDecl v, VariableDecl[] parents)
    {
        var k = v.States.Length;
        var block = v.Block!;
        long rowsLong = 1;
        foreach (var p in parents) rowsLong *= p.States.Length;
        if (rowsLong * k > 50_000_000) throw Error(block.At, $"the table of '{v.Name}' would have {rowsLong * k} entries; at most 50,000,000 are supported");
        var rows = (int)rowsLong;
        var table = new double[rows * k];
        var filled = new bool[rows];
        if (block.Table is { } tb)
        {
            if (parents.Length > 0)
                throw Error(tb.At, $"a 'table' for '{v.Name}', which has parents, is ambiguous; write one row '(parent states) p1, …;' per configuration");
            var values = block.Values(tb.Values);
            if (values.Length != rows * k)
                throw Error(tb.At, $"the table of '{v.Name}' has {values.Length} values; expected {rows * k} ({rows} parent configurations × {k} states)");
            Store(v, table, 0, values, tb.At, "");
            filled[0] = true;
        }
        var stateCodes = parents.Select(p => p.Codes.GetAlternateLookup<ReadOnlySpan<char>>()).ToArray(); // once a block, not once a cell
        foreach (var (keyRange, valueRange, at) in block.Rows)
        {
            var key = CollectionsMarshal.AsSpan(block.KeyStates)[keyRange];
            if (key.Length != parents.Length)
                throw Error(at, $"a row of '{v.Name}' names {key.Length} parent states; expected {parents.Length} ({string.Join(", ", parents.Select(p => p.Name))})");
            var r = 0;
            for (var j = 0; j < parents.Length; j++)
            {
                if (!stateCodes[j].TryGetValue(key[j].Span, out var code))
                    throw Error(key[j], $"'{key[j].Text}' is not a state of '{parents[j].Name}'; expected one of: {string.Join(", ", parents[j].States)}");
                r = r * parents[j].States.Length + code;
            }
            if (filled[r]) throw Error(at, $"the row ({block.KeyText(keyRange)}) of '{v.Name}' is given twice");
            var values = block.Values(valueRange);
            if (values.Length != k)
                throw Error(at, $"the row ({block.KeyText(keyRange)}) of '{v.Name}' has {values.Length} values; expected {k}");
            Store(v, table, r, values, at, null, block, keyRange);
            filled[r] = true;
        }
        for (var r = 0; r < rows; r++)
        {
            if (filled[r]) continue;
            if (block.Default is { } def)
            {
                var values = block.Values(def.Values);
                if (values.Length != k) throw Error(def.At, $"the default row of '{v.Name}' has {values.Length} values; expected {k}");
                Store(v, table, r, values, def.At, " (default row)");
                continue;
            }
            throw Error(block.At, $"the probability block of '{v.Name}' has no row for ({DescribeRow(parents, r)})");
        }
        return table;
    }

    private static string DescribeRow(VariableDecl[] parents, int r)
    {
        var states = new string[parents.Length];
        for (var j = parents.Length - 1; j >= 0; j--)
        {
            states[j] = parents[j].States[r % parents[j].States.Length];
            r /= parents[j].States.Length;
        }
        return string.Join(", ", states);
    }

    /// <summary>Stores row <paramref name="r"/>, renormalised. An error names the row by <paramref name="name"/>, or when that is
    /// null by the parent states at <paramref name="key"/> in <paramref name="block"/> (made only for the error).</summary>
    private void Store(VariableDecl v, double[] table, int r, ReadOnlySpan<double> values, SpecToken at, string? name, ProbabilityBlock? block = null, Range key = default)
    {
        var k = v.States.Length;
        var sum = 0.0;
        foreach (var x in values) sum += x;
        if (Math.Abs(sum - 1) > RowSumTolerance)
        {
            var rowName = name ?? $" given ({block!.KeyText(key)})";
            throw Error(at, $"the probabilities of '{v.Name}'{rowName} sum to {sum.ToString("R", CultureInfo.InvariantCulture)}; expected 1 (tolerance {RowSumTolerance:0e0})");
        }
        for (var s = 0; s < k; s++) table[r * k + s] = values[s] / sum;
    }

    private VariableDecl ParseVariable()
    {
        var nameTok = NextWord("a variable name");
        Expect('{');
        string[]? states = null;
        Dictionary<string, int>? codes = null;
        SpecToken? statesAt = null;
        while (!Peek().Is('}'))
        {
            var t = Next("'type' or 'property'");
            if (t.Span is "type")
            {
                var kind = NextWord("'discrete'");
                if (kind.Span is not "discrete") throw Error(kind, $"only discrete variables are supported; found type '{kind.Text}'");
                Expect('[');
                var countTok = NextWord("the number of states");
                if (!int.TryParse(countTok.Span, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
                    throw Error(countTok, $"expected a positive number of states, found '{countTok.Text}'");
                Expect(']');
                Expect('{');
                var list = new List<string>();
                codes = new Dictionary<string, int>(StringComparer.Ordinal);
                statesAt = Peek();
                while (true)
                {
                    var s = NextWord("a state name");
                    if (!codes.TryAdd(s.Text, list.Count)) throw Error(s, $"duplicate state '{s.Text}' of variable '{nameTok.Text}'");
                    list.Add(s.Text);
                    var sep = Next("',' or '}'");
                    if (sep.Is('}')) break;
                    if (!sep.Is(',')) throw Error(sep, $"expected ',' or '}}' in the states of '{nameTok.Text}', found '{sep.Text}'");
                }
                if (list.Count != count)
                    throw Error(countTok, $"variable '{nameTok.Text}' declares {count} states but lists {list.Count}");
                Expect(';');
                states = list.ToArray();
            }
            else if (t.Span is "property")
            {
                SkipStatement();
            }
            else throw Error(t, $"expected 'type' or 'property' in variable '{nameTok.Text}', found '{t.Text}'");
        }
        Expect('}');
        if (states is null) throw Error(nameTok, $"variable '{nameTok.Text}' has no 'type discrete [ k ] {{ ... }}' line");
        return new VariableDecl { Name = nameTok.Text, At = nameTok, States = states, Codes = codes! };
    }

    private (string, SpecToken, ProbabilityBlock) ParseProbability()
    {
        var open = Expect('(');
        var child = NextWord("a variable name");
        var parents = new List<(string, SpecToken)>();
        var t = Next("'|' or ')'");
        if (t.Is('|'))
        {
            while (true)
            {
                var p = NextWord("a parent name");
                parents.Add((p.Text, p));
                var sep = Next("',' or ')'");
                if (sep.Is(')')) break;
                if (!sep.Is(',')) throw Error(sep, $"expected ',' or ')' in the parents of '{child.Text}', found '{sep.Text}'");
            }
        }
        else if (!t.Is(')')) throw Error(t, $"expected '|' or ')', found '{t.Text}'");
        var block = new ProbabilityBlock { At = child, Parents = parents };
        Expect('{');
        while (!Peek().Is('}'))
        {
            var head = Next("'table', 'default', 'property' or a row '( … )'");
            if (head.Is('('))
            {
                var key = block.KeyStates.Count;
                while (true)
                {
                    var s = NextWord("a parent state");
                    block.KeyStates.Add(s);
                    var sep = Next("',' or ')'");
                    if (sep.Is(')')) break;
                    if (!sep.Is(',')) throw Error(sep, $"expected ',' or ')' in a row of '{child.Text}', found '{sep.Text}'");
                }
                block.Rows.Add((key..block.KeyStates.Count, ParseNumbers(block), head));
            }
            else if (head.Span is "table")
            {
                if (block.Table is not null) throw Error(head, $"a second 'table' for '{child.Text}'");
                block.Table = (ParseNumbers(block), head);
            }
            else if (head.Span is "default")
            {
                block.Default = (ParseNumbers(block), head);
            }
            else if (head.Span is "property")
            {
                SkipStatement();
            }
            else throw Error(head, $"expected 'table', 'default' or a row '( … )' in the probability block of '{child.Text}', found '{head.Text}'");
        }
        Expect('}');
        _ = open;
        return (child.Text, child, block);
    }

    /// <summary>Reads numbers up to a ';' into the block's list; returns where they lie in it.</summary>
    private Range ParseNumbers(ProbabilityBlock block)
    {
        var values = block.Numbers;
        var start = values.Count;
        while (true)
        {
            var n = NextWord("a probability");
            if (!double.TryParse(n.Span, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) || !double.IsFinite(x))
                throw Error(n, $"expected a probability (a number), found '{n.Text}'");
            if (x < 0) throw Error(n, $"expected a probability ≥ 0, found {n.Text}");
            values.Add(x);
            var sep = Next("',' or ';'");
            if (sep.Is(';')) return start..values.Count;
            if (!sep.Is(',')) throw Error(sep, $"expected ',' or ';' after a probability, found '{sep.Text}'");
        }
    }

    private void SkipBlock()
    {
        Expect('{');
        var depth = 1;
        while (depth > 0)
        {
            var t = Next("'}'");
            if (t.Is('{')) depth++;
            else if (t.Is('}')) depth--;
        }
    }

    private void SkipStatement()
    {
        while (!Next("';'").Is(';')) { }
    }

    private bool AtEnd => _tokens.AtEnd;

    private SpecToken Peek() => _tokens.TryPeek(out var t) ? t : throw Error(null, "unexpected end of file");

    private SpecToken Next(string expected) => _tokens.TryTake(out var t) ? t : throw Error(null, $"unexpected end of file; expected {expected}");

    private SpecToken NextWord(string expected)
    {
        var t = Next(expected);
        if (t.IsPunctuation) throw Error(t, $"expected {expected}, found '{t.Text}'");
        return t;
    }

    private SpecToken Expect(char punctuation)
    {
        if (!_tokens.TryTake(out var t)) throw Error(null, $"unexpected end of file; expected '{punctuation}'");
        if (!t.Is(punctuation)) throw Error(t, $"expected '{punctuation}', found '{t.Text}'");
        return t;
    }

    private SpecException Error(SpecToken? at, string message)
    {
        if (at is { } t) return new SpecException(_file, t.Line, t.Column, message);
        // Only ever at the end of the text, where the last token read ahead is the file's last token.
        if (!_tokens.TryGetLast(out var last)) last = new SpecToken(ReadOnlyMemory<char>.Empty, 1, 1, false);
        return new SpecException(_file, last.Line, last.Column + last.Slice.Length, message);
    }
}
