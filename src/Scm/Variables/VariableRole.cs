namespace HybridSynth.Scm.Variables;

/// <summary>The part a variable plays in effect estimation.</summary>
public enum VariableRole
{
    /// <summary>No special role (a covariate).</summary>
    None,
    /// <summary>The treatment of the model's default contrast.</summary>
    Treatment,
    /// <summary>The outcome of the model's default contrast.</summary>
    Outcome,
}
