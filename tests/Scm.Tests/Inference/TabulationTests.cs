using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Graph;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Mechanisms;
using HybridSynth.Scm.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.Scm.Tests.Inference;

/// <summary>Tabulation through the categorical-mechanism interface (no type tests on concrete mechanisms).</summary>
public class TabulationTests
{
    [Test]
    public void EveryCategoricalMechanismOverCategoricalParents_TabulatesToItsRowByRowProbabilities()
    {
        var model = SpecLoader.Load(Paths.Dag("clinical.json")).Model;
        var checkedMechanisms = 0;
        for (var v = 0; v < model.Count; v++)
        {
            if (model.Mechanisms[v] is not ICategoricalMechanism mech) continue;
            var cards = mech.Parents.Select(p => model[p].IsCategorical ? model[p].Cardinality : 0).ToArray();
            if (cards.Any(c => c == 0)) continue;
            var rows = cards.Aggregate(1, (a, c) => a * c);
            var table = new double[rows * mech.Cardinality];
            mech.Tabulate(cards, table);
            var row = new double[mech.Cardinality];
            for (var r = 0; r < rows; r++)
            {
                var values = new double[cards.Length];
                var rem = r;
                for (var j = cards.Length - 1; j >= 0; j--) { values[j] = rem % cards[j]; rem /= cards[j]; }
                mech.Probabilities(values, row);
                Assert.That(table.AsSpan(r * mech.Cardinality, mech.Cardinality).ToArray(), Is.EqualTo(row), $"{model[v].Name} row {r}");
            }
            checkedMechanisms++;
        }
        Assert.That(checkedMechanisms, Is.GreaterThanOrEqualTo(3), "clinical.json: CPTs and logistic mechanisms over categorical parents");
    }

    [Test]
    public void ATable_TabulatesToItself_AndFixesItsParentsCardinalities()
    {
        var cpt = new CptMechanism(new[] { 0 }, new[] { 2 }, 3, new[] { 0.2, 0.3, 0.5, 0.6, 0.3, 0.1 });
        var table = new double[6];
        ((ICategoricalMechanism)cpt).Tabulate(new[] { 2 }, table);
        Assert.That(table, Is.EqualTo(cpt.Table.ToArray()));
        Assert.That(((ICategoricalMechanism)cpt).RequiredParentCardinalities, Is.EqualTo(new[] { 2 }));
    }

    [Test]
    public void UnknownNodes_AreModelErrorsWithASuggestion_InTheGraphAsInTheModel()
    {
        var model = SpecLoader.Load("builtin:asia").Model;
        Assert.That(Assert.Throws<ModelException>(() => model.Graph.IndexOf("smok"))!.Message, Does.Contain("did you mean smoke?"));
        Assert.That(Assert.Throws<ModelException>(() => model.IndexOf("smok"))!.Message, Does.Contain("did you mean smoke?"));
    }
}
