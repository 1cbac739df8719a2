namespace HybridSynth.Verifier.Audit;

/// <summary>Which implied independences an audit tests.</summary>
public enum StatementSet
{
    /// <summary>Each node ⟂ each non-descendant | its parents.</summary>
    Local,
    /// <summary>One minimal separating set per non-adjacent pair.</summary>
    Pairwise,
}
