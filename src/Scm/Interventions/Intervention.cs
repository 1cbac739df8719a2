using HybridSynth.Scm.Mechanisms;
using HybridSynth.Scm.Model;

namespace HybridSynth.Scm.Interventions;

/// <summary>An intervention on one variable of a model.</summary>
public abstract record Intervention(int Variable)
{
    /// <summary>The mechanism the intervened model uses for <see cref="Variable"/>.</summary>
    public abstract IMechanism CreateMechanism(CausalModel model);

    /// <summary>Human- and manifest-readable form, e.g. <c>do(smoke=yes)</c>.</summary>
    public abstract string Describe(CausalModel model);
}

/// <summary>do(V = v): V becomes the constant v (a state code for a categorical variable); edges into V are cut.</summary>
public sealed record HardIntervention(int Variable, double Value) : Intervention(Variable)
{
    /// <inheritdoc />
    public override IMechanism CreateMechanism(CausalModel model)
    {
        var v = model[Variable];
        return ConstantMechanism.For(Value, v.IsCategorical ? v.Cardinality : 0);
    }

    /// <inheritdoc />
    public override string Describe(CausalModel model) => $"do({model[Variable].Name}={model[Variable].Format(Value)})";
}

/// <summary>A soft intervention: V's mechanism (and with it V's parents) is replaced by another.</summary>
public sealed record SoftIntervention(int Variable, IMechanism Mechanism, string Source) : Intervention(Variable)
{
    /// <inheritdoc />
    public override IMechanism CreateMechanism(CausalModel model) => Mechanism;

    /// <inheritdoc />
    public override string Describe(CausalModel model) => $"soft({model[Variable].Name}:{Mechanism.Kind} from {Source})";
}
