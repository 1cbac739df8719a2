using HybridSynth.HybridBridge.Generators;
using HybridSynth.HybridBridge.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.HybridBridge.Tests.Generators;

/// <summary>
/// The contract of every tabular generator in the registry: its name, the table's shape and names, the same rows for the
/// same seed and other rows for another, a fit that does not change the data it was given, and discrete columns that keep
/// to the values seen. (Marginal means are checked in <see cref="GeneratorTests"/>; the language-model generator's own
/// contract runs in Lm.Tests.)
/// </summary>
public class GeneratorContractTests
{
    public static IEnumerable<string> Names => GeneratorRegistry.Names;

    [TestCaseSource(nameof(Names))]
    public void KeepsTheContract(string name)
    {
        var generator = GeneratorRegistry.Create(name);
        Assert.That(generator.Name, Is.EqualTo(name));
        var data = XuData.Dataset(1200, 3);
        var table = new ColumnTable(data.CovariateNames, data.Covariates);
        var before = table.Columns.Select(c => c.ToArray()).ToArray();
        var fitted = generator.Fit(table, 5);
        Assert.That(table.Columns, Is.EqualTo(before), "fitting leaves the data alone");
        var a = fitted.Sample(700, 8);
        Assert.That(a.Names, Is.EqualTo(table.Names));
        Assert.That(a.Rows, Is.EqualTo(700));
        Assert.That(a.Columns.All(c => c.Length == 700 && c.All(double.IsFinite)));
        Assert.That(fitted.Sample(700, 8).Columns, Is.EqualTo(a.Columns), "same seed, same rows");
        Assert.That(fitted.Sample(700, 9).Columns, Is.Not.EqualTo(a.Columns), "another seed, other rows");
        Assert.That(generator.Fit(table, 5).Sample(700, 8).Columns, Is.EqualTo(a.Columns), "the fit is deterministic");
        for (var j = 0; j < table.Columns.Count; j++)
        {
            var seen = table.Columns[j].Distinct().ToHashSet();
            if (seen.Count <= ColumnTable.DiscreteLimit)
                Assert.That(a.Columns[j].All(seen.Contains), $"{table.Names[j]}: a discrete column keeps to its values");
        }
    }

    [Test]
    public void TheRegistryRefusesUnknownNames() => Assert.Throws<ArgumentException>(() => GeneratorRegistry.Create("gan"));
}
