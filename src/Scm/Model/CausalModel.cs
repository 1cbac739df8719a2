using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Graph;
using HybridSynth.Scm.Interventions;
using HybridSynth.Scm.Mechanisms;
using HybridSynth.Scm.Variables;

namespace HybridSynth.Scm.Model;

/// <summary>
/// A structural causal model: a DAG, one variable per node and one mechanism per variable
/// (V_i := f_i(Pa_i, U_i)). Immutable; <see cref="Intervene"/> returns a new, mutilated model.
/// </summary>
public sealed class CausalModel
{
    private readonly Variable[] _variables;
    private readonly IMechanism[] _mechanisms;

    /// <exception cref="ModelException">A mechanism does not fit its variable or its graph node.</exception>
    public CausalModel(string name, IReadOnlyList<Variable> variables, IReadOnlyList<IMechanism> mechanisms, IReadOnlyList<Intervention>? appliedInterventions = null)
    {
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(mechanisms);
        if (variables.Count != mechanisms.Count) throw new ArgumentException("one mechanism per variable is needed");
        Name = name;
        _variables = variables.ToArray();
        _mechanisms = mechanisms.ToArray();
        Graph = new CausalGraph(_variables.Select(v => v.Name).ToArray(), _mechanisms.Select(m => m.Parents).ToArray());
        AppliedInterventions = appliedInterventions ?? Array.Empty<Intervention>();
        for (var i = 0; i < _variables.Length; i++) CheckFits(_variables[i], _mechanisms[i]);
    }

    /// <summary>The model's name (from the spec).</summary>
    public string Name { get; }
    /// <summary>The causal graph.</summary>
    public CausalGraph Graph { get; }
    /// <summary>The variables, in declaration order (the graph's node order).</summary>
    public IReadOnlyList<Variable> Variables => _variables;
    /// <summary>The mechanisms, one per variable.</summary>
    public IReadOnlyList<IMechanism> Mechanisms => _mechanisms;
    /// <summary>The number of variables.</summary>
    public int Count => _variables.Length;

    /// <summary>The interventions this model was obtained by (empty for an observational model).</summary>
    public IReadOnlyList<Intervention> AppliedInterventions { get; }

    /// <summary>The variable at <paramref name="index"/>.</summary>
    public Variable this[int index] => _variables[index];

    /// <summary>The index of the variable named <paramref name="name"/>, if there is one.</summary>
    public bool TryIndexOf(string name, out int index) => Graph.TryIndexOf(name, out index);

    /// <summary>The index of the variable named <paramref name="name"/>; a <see cref="Errors.ModelException"/> with a suggestion when there is none.</summary>
    public int IndexOf(string name) =>
        Graph.TryIndexOf(name, out var i) ? i : throw new ModelException($"the model '{Name}' has no variable '{name}'{Errors.Suggestions.DidYouMean(name, _variables.Select(v => v.Name))}");

    /// <summary>True when every variable is categorical (exact inference applies).</summary>
    public bool IsDiscrete => _variables.All(v => v.IsCategorical);

    /// <summary>The variable with the treatment role, if one has it.</summary>
    public int? TreatmentIndex => FindRole(VariableRole.Treatment);
    /// <summary>The variable with the outcome role, if one has it.</summary>
    public int? OutcomeIndex => FindRole(VariableRole.Outcome);

    private int? FindRole(VariableRole role)
    {
        var i = Array.FindIndex(_variables, v => v.Role == role);
        return i < 0 ? null : i;
    }

    /// <summary>
    /// The model under do(…): a hard intervention installs a constant mechanism (removing the edges
    /// into the variable), a soft one installs the given mechanism (and its parents). Interventions
    /// on distinct variables apply together; a second one on the same variable is an error.
    /// </summary>
    public CausalModel Intervene(IEnumerable<Intervention> interventions)
    {
        var list = interventions.ToList();
        if (list.Count == 0) return this;
        var mechanisms = _mechanisms.ToArray();
        var seen = new HashSet<int>();
        foreach (var iv in list)
        {
            if (iv.Variable < 0 || iv.Variable >= Count) throw new ModelException($"intervention on unknown variable index {iv.Variable}");
            if (!seen.Add(iv.Variable)) throw new ModelException($"two interventions on '{_variables[iv.Variable].Name}'");
            mechanisms[iv.Variable] = iv.CreateMechanism(this);
        }
        try
        {
            return new CausalModel(Name, _variables, mechanisms, AppliedInterventions.Concat(list).ToArray());
        }
        catch (CyclicGraphException e)
        {
            throw new ModelException("the soft intervention makes the graph cyclic: " + string.Join(" -> ", e.Cycle));
        }
    }

    /// <summary>The model under the given interventions (see <see cref="Intervene(IEnumerable{Intervention})"/>).</summary>
    public CausalModel Intervene(params Intervention[] interventions) => Intervene((IEnumerable<Intervention>)interventions);

    private void CheckFits(Variable v, IMechanism m)
    {
        var categoricalMechanism = m is ICategoricalMechanism { Cardinality: > 0 } cm ? cm : null;
        if (v.Domain is CategoricalDomain d)
        {
            if (categoricalMechanism is null)
                throw new ModelException($"variable '{v.Name}' is categorical but its mechanism '{m.Kind}' is not");
            if (categoricalMechanism.Cardinality != d.Cardinality)
                throw new ModelException($"variable '{v.Name}' has {d.Cardinality} states but its mechanism has {categoricalMechanism.Cardinality}");
        }
        else if (categoricalMechanism is not null)
        {
            throw new ModelException($"variable '{v.Name}' is continuous but its mechanism '{m.Kind}' is categorical");
        }
        if (categoricalMechanism?.RequiredParentCardinalities is { } required)
            for (var i = 0; i < m.Parents.Count; i++)
            {
                var parent = _variables[m.Parents[i]];
                if (!parent.IsCategorical || parent.Cardinality != required[i])
                    throw new ModelException($"the table of '{v.Name}' expects parent '{parent.Name}' to have {required[i]} states");
            }
    }
}
