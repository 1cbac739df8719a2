namespace HybridSynth.Scm.Variables;

/// <summary>The part a variable plays in effect estimation.</summary>
public enum VariableRole
{
    None,
    Treatment,
    Outcome,
}
