namespace HybridSynth.Scm.Variables;

/// <summary>
/// How a variable's value is written in text: <c>prefix + value + suffix</c> (for example
/// "The patient is " + "45" + " years old. "). Used by language-model mechanisms and realizers.
/// </summary>
public sealed record Phrasing(string Prefix, string Suffix)
{
    /// <summary>The text of a value in a prompt: prefix + value + suffix.</summary>
    public string Render(string value) => Prefix + value + Suffix;
}
