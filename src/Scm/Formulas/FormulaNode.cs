namespace HybridSynth.Scm.Formulas;

/// <summary>A node of a parsed formula; evaluation reads variables and noise from the given arrays.</summary>
public abstract record FormulaNode
{
    public abstract double Evaluate(FormulaScope scope);
}

/// <summary>The values a formula sees: its parents (by slot), its noise coordinates (uniforms), and the values of its let-bindings.</summary>
public sealed class FormulaScope
{
    public FormulaScope(int parents, int noise, int lets)
    {
        Parents = new double[parents];
        Noise = new double[noise];
        Lets = new double[lets];
    }

    public double[] Parents { get; }
    public double[] Noise { get; }
    public double[] Lets { get; }
}

public sealed record NumberNode(double Value) : FormulaNode
{
    public override double Evaluate(FormulaScope scope) => Value;
}

public sealed record ParentNode(int Slot) : FormulaNode
{
    public override double Evaluate(FormulaScope scope) => scope.Parents[Slot];
}

/// <summary>U_k (the uniform itself) or Z_k = Φ⁻¹(U_k).</summary>
public sealed record NoiseNode(int Coordinate, bool Normal) : FormulaNode
{
    public override double Evaluate(FormulaScope scope) =>
        Normal ? Randomness.CounterNoise.StandardNormal(scope.Noise[Coordinate]) : scope.Noise[Coordinate];
}

public sealed record LetNode(int Slot) : FormulaNode
{
    public override double Evaluate(FormulaScope scope) => scope.Lets[Slot];
}

public sealed record UnaryNode(char Operator, FormulaNode Operand) : FormulaNode
{
    public override double Evaluate(FormulaScope scope) => Operator == '-' ? -Operand.Evaluate(scope) : Operand.Evaluate(scope);
}

public sealed record BinaryNode(string Operator, FormulaNode Left, FormulaNode Right) : FormulaNode
{
    public override double Evaluate(FormulaScope scope) => FormulaOperators.Binary(Operator, Left.Evaluate(scope), Right.Evaluate(scope));
}

public sealed record CallNode(string Function, FormulaNode[] Arguments) : FormulaNode
{
    public override double Evaluate(FormulaScope scope) => Arguments.Length == 1
        ? FormulaOperators.Call(Function, Arguments[0].Evaluate(scope))
        : FormulaOperators.Call(Function, Arguments[0].Evaluate(scope), Arguments[1].Evaluate(scope));
}

/// <summary>The operators and functions of the formula language: one definition for the tree and the compiled program.</summary>
public static class FormulaOperators
{
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

    public static double Call(string function, double x, double y) => function switch
    {
        "min" => Math.Min(x, y),
        "max" => Math.Max(x, y),
        "pow" => Math.Pow(x, y),
        _ => throw new InvalidOperationException(function),
    };
}
