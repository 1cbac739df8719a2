namespace HybridSynth.Scm.Formulas;

/// <summary>A formula that does not parse or names something unknown; <see cref="Offset"/> is the 0-based character position in the formula.</summary>
public sealed class FormulaSyntaxException(int offset, string message) : Exception(message)
{
    /// <summary>The character offset of the problem in the formula text (from 0).</summary>
    public int Offset { get; } = offset;
}
