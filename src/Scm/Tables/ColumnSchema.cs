using HybridSynth.Scm.Variables;

namespace HybridSynth.Scm.Tables;

/// <summary>The role a written column plays, recorded in manifests.</summary>
public static class ColumnRoles
{
    /// <summary>The unit index column.</summary>
    public const string Unit = "unit";
    /// <summary>A covariate (a variable with no special role).</summary>
    public const string Covariate = "covariate";
    /// <summary>The treatment.</summary>
    public const string Treatment = "treatment";
    /// <summary>The outcome.</summary>
    public const string Outcome = "outcome";
    /// <summary>A hidden variable, written only on request.</summary>
    public const string Hidden = "hidden";
    /// <summary>An exogenous noise coordinate.</summary>
    public const string Noise = "noise";
    /// <summary>A counterfactual value.</summary>
    public const string Counterfactual = "counterfactual";
    /// <summary>A potential outcome under one arm, or its probability.</summary>
    public const string PotentialOutcome = "potential_outcome";
    /// <summary>The individual effect g(Y(treated)) − g(Y(control)).</summary>
    public const string IndividualEffect = "individual_effect";
    /// <summary>P(V = state | the row's parents).</summary>
    public const string DomainProbability = "domain_probability";

    /// <summary>The role of a variable's column: hidden, treatment, outcome or covariate.</summary>
    public static string Of(Variable v) => v.Hidden ? Hidden : v.Role switch
    {
        VariableRole.Treatment => Treatment,
        VariableRole.Outcome => Outcome,
        _ => Covariate,
    };
}

/// <summary>A column of an output table: its header, how its values are written (state names or numbers) and its role.</summary>
public sealed record ColumnSchema(string Name, VariableDomain Domain, string Role, string? Description = null);
