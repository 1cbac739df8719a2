using System.Globalization;

namespace HybridSynth.Scm.Formulas;

/// <summary>
/// Parses the small expression language of formula mechanisms:
/// <c>expr := sum (('&lt;'|'&gt;'|'&lt;='|'&gt;='|'=='|'!=') sum)?</c>, <c>sum := product (('+'|'-') product)*</c>,
/// <c>product := unary (('*'|'/') unary)*</c>, <c>unary := ('-'|'+') unary | power</c>,
/// <c>power := primary ('^' unary)?</c> (right-associative), <c>primary := number | name | name '(' expr (',' expr)* ')' | '(' expr ')'</c>.
/// Names are the parents, the let-bindings, the noise <c>U</c>, <c>U1</c>…<c>U9</c> (uniforms) and <c>Z</c>, <c>Z1</c>…<c>Z9</c>
/// (standard normals Φ⁻¹(U_k); <c>U</c> = <c>U1</c>, <c>Z</c> = <c>Z1</c>), and the constants <c>pi</c> and <c>e</c>.
/// Functions: sin, cos, tan, exp, log, sqrt, abs, tanh, expit, logit, floor, ceil, sign (one argument); min, max, pow (two).
/// </summary>
public sealed class FormulaParser
{
    private static IReadOnlyCollection<string> OneArgument => FormulaOperators.OneArgumentFunctions;
    private static IReadOnlyCollection<string> TwoArguments => FormulaOperators.TwoArgumentFunctions;

    private readonly string _text;
    private readonly Func<string, FormulaNode?> _resolve;
    private int _pos;

    private FormulaParser(string text, Func<string, FormulaNode?> resolve)
    {
        _text = text;
        _resolve = resolve;
    }

    /// <param name="resolve">Maps a name (not a noise symbol or constant) to a node, or null when it is unknown.</param>
    /// <exception cref="FormulaSyntaxException">With the offset of the problem.</exception>
    public static FormulaNode Parse(string text, Func<string, FormulaNode?> resolve)
    {
        var p = new FormulaParser(text, resolve);
        var node = p.Comparison();
        p.SkipSpace();
        if (p._pos < text.Length) throw new FormulaSyntaxException(p._pos, $"unexpected '{text[p._pos]}'");
        return node;
    }

    /// <summary>How deeply parentheses, function calls and signs may nest (deeper input is refused, not a stack overflow).</summary>
    public const int MaxNesting = 256;

    private int _depth;

    private FormulaNode Comparison()
    {
        if (++_depth > MaxNesting) throw new FormulaSyntaxException(_pos, $"the formula nests more than {MaxNesting} levels deep (parentheses, calls and signs)");
        try { return ComparisonBody(); }
        finally { _depth--; }
    }

    private FormulaNode ComparisonBody()
    {
        var left = Sum();
        SkipSpace();
        foreach (var op in new[] { "<=", ">=", "==", "!=", "<", ">" })
        {
            if (string.CompareOrdinal(_text, _pos, op, 0, op.Length) != 0) continue;
            _pos += op.Length;
            return new BinaryNode(op, left, Sum());
        }
        return left;
    }

    private FormulaNode Sum()
    {
        var node = Product();
        while (true)
        {
            SkipSpace();
            if (_pos < _text.Length && _text[_pos] is '+' or '-')
            {
                var op = _text[_pos++].ToString();
                node = new BinaryNode(op, node, Product());
            }
            else return node;
        }
    }

    private FormulaNode Product()
    {
        var node = Unary();
        while (true)
        {
            SkipSpace();
            if (_pos < _text.Length && _text[_pos] is '*' or '/')
            {
                var op = _text[_pos++].ToString();
                node = new BinaryNode(op, node, Unary());
            }
            else return node;
        }
    }

    private FormulaNode Unary()
    {
        if (++_depth > MaxNesting) throw new FormulaSyntaxException(_pos, $"the formula nests more than {MaxNesting} levels deep (parentheses, calls, signs and powers)");
        try { return UnaryBody(); }
        finally { _depth--; }
    }

    private FormulaNode UnaryBody()
    {
        SkipSpace();
        if (_pos < _text.Length && _text[_pos] is '-' or '+')
        {
            var op = _text[_pos++];
            return new UnaryNode(op, Unary());
        }
        return Power();
    }

    private FormulaNode Power()
    {
        var node = Primary();
        SkipSpace();
        if (_pos < _text.Length && _text[_pos] == '^')
        {
            _pos++;
            return new BinaryNode("^", node, Unary());
        }
        return node;
    }

    private FormulaNode Primary()
    {
        SkipSpace();
        if (_pos >= _text.Length) throw new FormulaSyntaxException(_pos, "the formula ends where a value was expected");
        var c = _text[_pos];
        if (c == '(')
        {
            _pos++;
            var inner = Comparison();
            Expect(')');
            return inner;
        }
        if (char.IsDigit(c) || c == '.')
        {
            var start = _pos;
            while (_pos < _text.Length && (char.IsDigit(_text[_pos]) || _text[_pos] == '.')) _pos++;
            if (_pos < _text.Length && _text[_pos] is 'e' or 'E' && _pos + 1 < _text.Length && (char.IsDigit(_text[_pos + 1]) || _text[_pos + 1] is '-' or '+'))
            {
                _pos += 2;
                while (_pos < _text.Length && char.IsDigit(_text[_pos])) _pos++;
            }
            var s = _text[start.._pos];
            if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var x)) throw new FormulaSyntaxException(start, $"'{s}' is not a number");
            return new NumberNode(x);
        }
        if (char.IsLetter(c) || c == '_')
        {
            var start = _pos;
            while (_pos < _text.Length && (char.IsLetterOrDigit(_text[_pos]) || _text[_pos] == '_')) _pos++;
            var name = _text[start.._pos];
            SkipSpace();
            if (_pos < _text.Length && _text[_pos] == '(')
            {
                var arity = FormulaOperators.Arity(name) is var known and > 0 ? known : throw new FormulaSyntaxException(start,
                    $"unknown function '{name}'; expected one of {string.Join(", ", OneArgument.Concat(TwoArguments).OrderBy(x => x))}");
                _pos++;
                var args = new List<FormulaNode> { Comparison() };
                while (true)
                {
                    SkipSpace();
                    if (_pos < _text.Length && _text[_pos] == ',') { _pos++; args.Add(Comparison()); continue; }
                    break;
                }
                Expect(')');
                if (args.Count != arity) throw new FormulaSyntaxException(start, $"{name} takes {arity} argument(s), not {args.Count}");
                return new CallNode(name, args.ToArray());
            }
            switch (name)
            {
                case "pi": return new NumberNode(Math.PI);
                case "e": return new NumberNode(Math.E);
            }
            if (NoiseSymbol(name) is { } noise) return noise;
            return _resolve(name) ?? throw new FormulaSyntaxException(start, $"unknown name '{name}' (not a parent, a let-binding, a noise symbol U/Z or a constant)");
        }
        throw new FormulaSyntaxException(_pos, $"unexpected '{c}'");
    }

    private static NoiseNode? NoiseSymbol(string name)
    {
        if (name.Length is < 1 or > 2 || name[0] is not ('U' or 'Z')) return null;
        if (name.Length == 1) return new NoiseNode(0, name[0] == 'Z');
        return name[1] is >= '1' and <= '9' ? new NoiseNode(name[1] - '1', name[0] == 'Z') : null;
    }

    private void Expect(char c)
    {
        SkipSpace();
        if (_pos >= _text.Length || _text[_pos] != c) throw new FormulaSyntaxException(_pos, $"expected '{c}'");
        _pos++;
    }

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
    }
}
