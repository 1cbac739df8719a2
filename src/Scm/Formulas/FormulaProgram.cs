namespace HybridSynth.Scm.Formulas;

/// <summary>
/// A formula compiled to postfix instructions and evaluated with an explicit value stack, so that no
/// formula — however deep its tree (a sum of 100,000 terms is a left-deep tree of that depth) — can
/// exhaust the call stack. Compilation walks the tree with an explicit stack too. Evaluation gives the
/// same values as the tree's own <see cref="FormulaNode.Evaluate"/>, operation for operation.
/// </summary>
public sealed class FormulaProgram
{
    // Add … Divide are the four arithmetic operators done in place; every other binary operator and every function goes
    // through FormulaOperators' delegate for it, resolved once at compilation (not a string switch per row).
    private enum Op : byte { Number, Parent, Noise, NoiseNormal, Let, Negate, Plus, Add, Subtract, Multiply, Divide, Binary, Call1, Call2 }

    private readonly Op[] _ops;
    private readonly double[] _numbers;
    private readonly int[] _slots;
    private readonly Delegate?[] _functions;
    private readonly int _maxStack;

    private FormulaProgram(Op[] ops, double[] numbers, int[] slots, Delegate?[] functions, int maxStack, int noise)
    {
        _ops = ops;
        _numbers = numbers;
        _slots = slots;
        _functions = functions;
        _maxStack = maxStack;
        NoiseDimension = noise;
    }

    /// <summary>The highest noise coordinate used, plus one (0 when none).</summary>
    public int NoiseDimension { get; }

    /// <summary>The number of postfix instructions.</summary>
    public int Length => _ops.Length;

    /// <summary>Compiles a formula tree to postfix instructions without recursion.</summary>
    public static FormulaProgram Compile(FormulaNode root)
    {
        var ops = new List<Op>();
        var numbers = new List<double>();
        var slots = new List<int>();
        var functions = new List<Delegate?>();
        var noise = 0;
        void Emit(Op op, double number = 0, int slot = 0, Delegate? function = null)
        {
            ops.Add(op);
            numbers.Add(number);
            slots.Add(slot);
            functions.Add(function);
        }
        // Post-order with an explicit stack: (node, children already emitted?).
        var stack = new Stack<(FormulaNode Node, bool Expanded)>();
        stack.Push((root, false));
        while (stack.Count > 0)
        {
            var (node, expanded) = stack.Pop();
            if (!expanded)
            {
                stack.Push((node, true));
                switch (node)
                {
                    case UnaryNode u: stack.Push((u.Operand, false)); break;
                    case BinaryNode b: stack.Push((b.Right, false)); stack.Push((b.Left, false)); break;
                    case CallNode c:
                        for (var i = c.Arguments.Length - 1; i >= 0; i--) stack.Push((c.Arguments[i], false));
                        break;
                }
                continue;
            }
            switch (node)
            {
                case NumberNode n: Emit(Op.Number, n.Value); break;
                case ParentNode p: Emit(Op.Parent, slot: p.Slot); break;
                case NoiseNode z:
                    Emit(z.Normal ? Op.NoiseNormal : Op.Noise, slot: z.Coordinate);
                    noise = Math.Max(noise, z.Coordinate + 1);
                    break;
                case LetNode l: Emit(Op.Let, slot: l.Slot); break;
                case UnaryNode u: Emit(u.Operator == '-' ? Op.Negate : Op.Plus); break;
                case BinaryNode b:
                {
                    var op = b.Operator switch { "+" => Op.Add, "-" => Op.Subtract, "*" => Op.Multiply, "/" => Op.Divide, _ => Op.Binary };
                    Emit(op, function: op == Op.Binary ? FormulaOperators.BinaryFunction(b.Operator) : null); // in place: no delegate
                    break;
                }
                case CallNode c:
                    Emit(c.Arguments.Length == 1 ? Op.Call1 : Op.Call2,
                        function: c.Arguments.Length == 1 ? FormulaOperators.Function(c.Function) : FormulaOperators.Function2(c.Function));
                    break;
                default: throw new InvalidOperationException($"unknown formula node {node.GetType().Name}");
            }
        }
        // The deepest the value stack gets.
        int depth = 0, max = 0;
        foreach (var op in ops)
        {
            depth += op switch
            {
                Op.Number or Op.Parent or Op.Noise or Op.NoiseNormal or Op.Let => 1,
                Op.Add or Op.Subtract or Op.Multiply or Op.Divide or Op.Binary or Op.Call2 => -1,
                _ => 0,
            };
            max = Math.Max(max, depth);
        }
        return new FormulaProgram(ops.ToArray(), numbers.ToArray(), slots.ToArray(), functions.ToArray(), Math.Max(1, max), noise);
    }

    /// <summary>The formula's value in <paramref name="scope"/>, equal to the tree's own evaluation operation for operation.</summary>
    public double Evaluate(FormulaScope scope)
    {
        Span<double> stack = _maxStack <= 256 ? stackalloc double[_maxStack] : new double[_maxStack];
        var top = -1;
        for (var i = 0; i < _ops.Length; i++)
        {
            switch (_ops[i])
            {
                case Op.Number: stack[++top] = _numbers[i]; break;
                case Op.Parent: stack[++top] = scope.Parents[_slots[i]]; break;
                case Op.Noise: stack[++top] = scope.Noise[_slots[i]]; break;
                case Op.NoiseNormal: stack[++top] = Randomness.CounterNoise.StandardNormal(scope.Noise[_slots[i]]); break;
                case Op.Let: stack[++top] = scope.Lets[_slots[i]]; break;
                case Op.Negate: stack[top] = -stack[top]; break;
                case Op.Plus: break;
                case Op.Add: { var y = stack[top--]; stack[top] += y; break; }
                case Op.Subtract: { var y = stack[top--]; stack[top] -= y; break; }
                case Op.Multiply: { var y = stack[top--]; stack[top] *= y; break; }
                case Op.Divide: { var y = stack[top--]; stack[top] /= y; break; }
                case Op.Binary:
                case Op.Call2:
                {
                    var y = stack[top--];
                    stack[top] = ((Func<double, double, double>)_functions[i]!)(stack[top], y);
                    break;
                }
                case Op.Call1:
                    stack[top] = ((Func<double, double>)_functions[i]!)(stack[top]);
                    break;
            }
        }
        return stack[top];
    }
}
