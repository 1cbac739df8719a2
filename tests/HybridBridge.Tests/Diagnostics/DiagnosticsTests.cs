using HybridSynth.HybridBridge.Diagnostics;
using HybridSynth.HybridBridge.Generators;
using HybridSynth.HybridBridge.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.HybridBridge.Tests.Diagnostics;

/// <summary>Distance to closest record and train-synthetic-test-real.</summary>
public class DiagnosticsTests
{
    [Test]
    public void Dcr_FlagsCopies_AndNotFreshDraws()
    {
        var train = XuData.Dataset(800, 5);
        var holdout = XuData.Dataset(400, 6);
        var copies = DcrReport.Compute(train.Covariates, holdout.Covariates, new BootstrapGenerator().Fit(new ColumnTable(train.CovariateNames, train.Covariates), 1).Sample(400, 2).Columns);
        Assert.That(copies.ShareExactCopies, Is.EqualTo(1.0));
        Assert.That(copies.ShareBelowHoldoutP5, Is.EqualTo(1.0));
        var fresh = DcrReport.Compute(train.Covariates, holdout.Covariates, XuData.Dataset(400, 7).Covariates);
        // Fresh draws from the same law behave like the holdout: about 5% fall below its 5th percentile.
        Assert.That(fresh.ShareBelowHoldoutP5, Is.LessThan(0.15));
        Assert.That(fresh.SyntheticMedian, Is.EqualTo(fresh.HoldoutMedian).Within(0.25 * fresh.HoldoutMedian));
    }

    [Test]
    public void Auc_GoldenValues()
    {
        Assert.That(TrainSyntheticTestReal.Auc(new[] { 0.1, 0.4, 0.35, 0.8 }, new double[] { 0, 0, 1, 1 }), Is.EqualTo(0.75));
        Assert.That(TrainSyntheticTestReal.Auc(new[] { 0.5, 0.5 }, new double[] { 0, 1 }), Is.EqualTo(0.5));
        var (metric, value) = TrainSyntheticTestReal.Score(XuData.Dataset(2000, 8), XuData.Dataset(1000, 9));
        Assert.That(metric, Is.EqualTo("AUC"));
        Assert.That(value, Is.InRange(0.6, 0.95));
    }
}
