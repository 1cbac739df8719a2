namespace HybridSynth.Scm.Formulas;

/// <summary>A node of a parsed formula; evaluation reads variables and noise from the given arrays.</summary>
public abstract record FormulaNode
{
    /// <summary>The node's value in <paramref name="scope"/>.</summary>
    public abstract double Evaluate(FormulaScope scope);
}

/// <summary>The values a formula sees: its parents (by slot), its noise coordinates (uniforms), and the values of its let-bindings.</summary>
public sealed class FormulaScope
{
    /// <summary>A scope with room for the given numbers of parents, noise coordinates and let-bindings.</summary>
    public FormulaScope(int parents, int noise, int lets)
    {
        Parents = new double[parents];
        Noise = new double[noise];
        Lets = new double[lets];
    }

    /// <summary>Parent values by slot (a categorical parent's value is its state code).</summary>
    public double[] Parents { get; }
    /// <summary>Noise coordinates by index (uniforms in (0, 1)).</summary>
    public double[] Noise { get; }
    /// <summary>Let-binding values by slot, filled in order.</summary>
    public double[] Lets { get; }
}

/// <summary>A numeric literal.</summary>
/// <param name="Value">The literal.</param>
public sealed record NumberNode(double Value) : FormulaNode
{
    /// <inheritdoc />
    public override double Evaluate(FormulaScope scope) => Value;
}

/// <summary>A parent's value.</summary>
/// <param name="Slot">The parent's position among the mechanism's parents.</param>
public sealed record ParentNode(int Slot) : FormulaNode
{
    /// <inheritdoc />
    public override double Evaluate(FormulaScope scope) => scope.Parents[Slot];
}

/// <summary>U_k (the uniform itself) or Z_k = Φ⁻¹(U_k).</summary>
public sealed record NoiseNode(int Coordinate, bool Normal) : FormulaNode
{
    /// <inheritdoc />
    public override double Evaluate(FormulaScope scope) =>
        Normal ? Randomness.CounterNoise.StandardNormal(scope.Noise[Coordinate]) : scope.Noise[Coordinate];
}

/// <summary>A let-binding's value.</summary>
/// <param name="Slot">The binding's position.</param>
public sealed record LetNode(int Slot) : FormulaNode
{
    /// <inheritdoc />
    public override double Evaluate(FormulaScope scope) => scope.Lets[Slot];
}

/// <summary>A unary + or −.</summary>
/// <param name="Operator">'+' or '-'.</param>
/// <param name="Operand">The operand.</param>
public sealed record UnaryNode(char Operator, FormulaNode Operand) : FormulaNode
{
    /// <inheritdoc />
    public override double Evaluate(FormulaScope scope) => Operator == '-' ? -Operand.Evaluate(scope) : Operand.Evaluate(scope);
}

/// <summary>A binary operation (see <see cref="FormulaOperators.Binary"/>).</summary>
/// <param name="Operator">+ − * / ^ &lt; &gt; &lt;= &gt;= == !=</param>
/// <param name="Left">The left operand.</param>
/// <param name="Right">The right operand.</param>
public sealed record BinaryNode(string Operator, FormulaNode Left, FormulaNode Right) : FormulaNode
{
    /// <inheritdoc />
    public override double Evaluate(FormulaScope scope) => FormulaOperators.Binary(Operator, Left.Evaluate(scope), Right.Evaluate(scope));
}

/// <summary>A function call with one or two arguments (see <see cref="FormulaOperators.Call(string, double)"/>).</summary>
/// <param name="Function">The function's name.</param>
/// <param name="Arguments">Its arguments.</param>
public sealed record CallNode(string Function, FormulaNode[] Arguments) : FormulaNode
{
    /// <inheritdoc />
    public override double Evaluate(FormulaScope scope) => Arguments.Length == 1
        ? FormulaOperators.Call(Function, Arguments[0].Evaluate(scope))
        : FormulaOperators.Call(Function, Arguments[0].Evaluate(scope), Arguments[1].Evaluate(scope));
}

/// <summary>The operators and functions of the formula language: one definition for the tree and the compiled program.</summary>
public static class FormulaOperators
{
    private static readonly Dictionary<string, Func<double, double, double>> Binaries = new(StringComparer.Ordinal)
    {
        ["+"] = (a, b) => a + b,
        ["-"] = (a, b) => a - b,
        ["*"] = (a, b) => a * b,
        ["/"] = (a, b) => a / b,
        ["^"] = Math.Pow,
        ["<"] = (a, b) => a < b ? 1 : 0,
        [">"] = (a, b) => a > b ? 1 : 0,
        ["<="] = (a, b) => a <= b ? 1 : 0,
        [">="] = (a, b) => a >= b ? 1 : 0,
        ["=="] = (a, b) => a == b ? 1 : 0,
        ["!="] = (a, b) => a != b ? 1 : 0,
    };

    private static readonly Dictionary<string, Func<double, double>> Functions = new(StringComparer.Ordinal)
    {
        ["sin"] = Math.Sin,
        ["cos"] = Math.Cos,
        ["tan"] = Math.Tan,
        ["exp"] = Math.Exp,
        ["log"] = Math.Log,
        ["sqrt"] = Math.Sqrt,
        ["abs"] = Math.Abs,
        ["tanh"] = Math.Tanh,
        ["expit"] = Numerics.SpecialFunctions.Expit,
        ["logit"] = Numerics.SpecialFunctions.Logit,
        ["floor"] = Math.Floor,
        ["ceil"] = Math.Ceiling,
        ["sign"] = x => Math.Sign(x),
    };

    private static readonly Dictionary<string, Func<double, double, double>> Functions2 = new(StringComparer.Ordinal)
    {
        ["min"] = Math.Min,
        ["max"] = Math.Max,
        ["pow"] = Math.Pow,
    };

    /// <summary>The names of the one-argument functions.</summary>
    public static IReadOnlyCollection<string> OneArgumentFunctions => Functions.Keys;

    /// <summary>The names of the two-argument functions.</summary>
    public static IReadOnlyCollection<string> TwoArgumentFunctions => Functions2.Keys;

    /// <summary>1 or 2 for a function of that many arguments, 0 for a name that is not a function.</summary>
    public static int Arity(string name) => Functions.ContainsKey(name) ? 1 : Functions2.ContainsKey(name) ? 2 : 0;

    /// <summary>a op b for + − * / ^ (power) and the comparisons &lt; &gt; &lt;= &gt;= == != (1 when true, 0 when false).</summary>
    public static double Binary(string op, double a, double b) => BinaryFunction(op)(a, b);

    /// <summary>f(x) for sin, cos, tan, exp, log (natural), sqrt, abs, tanh, expit, logit, floor, ceil and sign.</summary>
    public static double Call(string function, double x) => Function(function)(x);

    /// <summary>f(x, y) for min, max and pow.</summary>
    public static double Call(string function, double x, double y) => Function2(function)(x, y);

    /// <summary>The operator <paramref name="op"/> of <see cref="Binary"/> (a compiled formula resolves it once).</summary>
    public static Func<double, double, double> BinaryFunction(string op) =>
        Binaries.TryGetValue(op, out var f) ? f : throw new InvalidOperationException(op);

    /// <summary>The one-argument function <paramref name="function"/> of <see cref="Call(string, double)"/>.</summary>
    public static Func<double, double> Function(string function) =>
        Functions.TryGetValue(function, out var f) ? f : throw new InvalidOperationException(function);

    /// <summary>The two-argument function <paramref name="function"/> of <see cref="Call(string, double, double)"/>.</summary>
    public static Func<double, double, double> Function2(string function) =>
        Functions2.TryGetValue(function, out var f) ? f : throw new InvalidOperationException(function);
}
