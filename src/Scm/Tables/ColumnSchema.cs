using HybridSynth.Scm.Variables;

namespace HybridSynth.Scm.Tables;

/// <summary>The role a written column plays, recorded in manifests.</summary>
public static class ColumnRoles
{
    public const string Unit = "unit";
    public const string Covariate = "covariate";
    public const string Treatment = "treatment";
    public const string Outcome = "outcome";
    public const string Hidden = "hidden";
    public const string Noise = "noise";
    public const string Counterfactual = "counterfactual";
    public const string PotentialOutcome = "potential_outcome";
    public const string IndividualEffect = "individual_effect";
    public const string DomainProbability = "domain_probability";

    public static string Of(Variable v) => v.Hidden ? Hidden : v.Role switch
    {
        VariableRole.Treatment => Treatment,
        VariableRole.Outcome => Outcome,
        _ => Covariate,
    };
}

/// <summary>A column of an output table: its header, how its values are written (state names or numbers) and its role.</summary>
public sealed record ColumnSchema(string Name, VariableDomain Domain, string Role, string? Description = null);
