using HybridSynth.HybridBridge.Generators;
using HybridSynth.HybridBridge.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.HybridBridge.Tests.Generators;

/// <summary>The generators against the data they were fitted to.</summary>
public class GeneratorTests
{
    [TestCase("bootstrap")]
    [TestCase("copula")]
    [TestCase("bn")]
    public void Generators_ReproduceMarginalsAndAreSeeded(string name)
    {
        var data = XuData.Dataset(4000, 1);
        var table = new ColumnTable(data.CovariateNames, data.Covariates);
        var fitted = GeneratorRegistry.Create(name).Fit(table, 3);
        var a = fitted.Sample(4000, 7);
        var b = fitted.Sample(4000, 7);
        Assert.That(a.Columns, Is.EqualTo(b.Columns));
        for (var j = 0; j < table.Columns.Count; j++)
        {
            var real = table.Columns[j];
            var syn = a.Columns[j];
            var sd = Math.Sqrt(real.Select(x => (x - real.Average()) * (x - real.Average())).Average());
            // Means agree within 5 standard errors of a difference of two means.
            Assert.That(Math.Abs(real.Average() - syn.Average()), Is.LessThan(5 * sd * Math.Sqrt(2.0 / 4000)), $"{name}: {table.Names[j]}");
        }
    }

    [Test]
    public void Copula_KeepsTheCorrelationOfW4W6()
    {
        // W6 = 0.5 W4 + 0.5 W5 + N(0, 1): corr(W4, W6) = 0.5 / √1.5 ≈ 0.408.
        var data = XuData.Dataset(5000, 2);
        var table = new ColumnTable(data.CovariateNames, data.Covariates);
        var s = new GaussianCopulaGenerator().Fit(table, 1).Sample(5000, 2);
        double Corr(double[] x, double[] y)
        {
            double mx = x.Average(), my = y.Average();
            return x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum() / Math.Sqrt(x.Sum(a => (a - mx) * (a - mx)) * y.Sum(b => (b - my) * (b - my)));
        }
        var w4 = table.Names.ToList().IndexOf("W4");
        var w6 = table.Names.ToList().IndexOf("W6");
        Assert.That(Corr(s.Columns[w4], s.Columns[w6]), Is.EqualTo(0.5 / Math.Sqrt(1.5)).Within(0.05));
    }
}
