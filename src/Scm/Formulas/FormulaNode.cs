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
    /// <summary>a op b for + − * / ^ (power) and the comparisons &lt; &gt; &lt;= &gt;= == != (1 when true, 0 when false).</summary>
    public static double Binary(string op, double a, double b) => op switch
    {
        "+" => a + b,
        "-" => a - b,
        "*" => a * b,
        "/" => a / b,
        "^" => Math.Pow(a, b),
        "<" => a < b ? 1 : 0,
        ">" => a > b ? 1 : 0,
        "<=" => a <= b ? 1 : 0,
        ">=" => a >= b ? 1 : 0,
        "==" => a == b ? 1 : 0,
        "!=" => a != b ? 1 : 0,
        _ => throw new InvalidOperationException(op),
    };

    /// <summary>f(x) for sin, cos, tan, exp, log (natural), sqrt, abs, tanh, expit, logit, floor, ceil and sign.</summary>
    public static double Call(string function, double x) => function switch
    {
        "sin" => Math.Sin(x),
        "cos" => Math.Cos(x),
        "tan" => Math.Tan(x),
        "exp" => Math.Exp(x),
        "log" => Math.Log(x),
        "sqrt" => Math.Sqrt(x),
        "abs" => Math.Abs(x),
        "tanh" => Math.Tanh(x),
        "expit" => Numerics.SpecialFunctions.Expit(x),
        "logit" => Numerics.SpecialFunctions.Logit(x),
        "floor" => Math.Floor(x),
        "ceil" => Math.Ceiling(x),
        "sign" => Math.Sign(x),
        _ => throw new InvalidOperationException(function),
    };

    /// <summary>f(x, y) for min, max and pow.</summary>
    public static double Call(string function, double x, double y) => function switch
    {
        "min" => Math.Min(x, y),
        "max" => Math.Max(x, y),
        "pow" => Math.Pow(x, y),
        _ => throw new InvalidOperationException(function),
    };
}
