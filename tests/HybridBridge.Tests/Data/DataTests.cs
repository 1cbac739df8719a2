using HybridSynth.HybridBridge.Data;
using HybridSynth.HybridBridge.Estimators;
using NUnit.Framework;

namespace HybridSynth.HybridBridge.Tests.Data;

/// <summary>The data pieces: the seeded holdout split, the CSV form, one-arm detection.</summary>
public class DataTests
{
    private static CausalData Data(int n, bool oneArm = false)
    {
        var w = Enumerable.Range(0, n).Select(i => (double)(i % 7)).ToArray();
        var a = Enumerable.Range(0, n).Select(i => oneArm ? 1 : (i * 31 % 5 < 2 ? 1 : 0)).ToArray();
        var y = Enumerable.Range(0, n).Select(i => 0.5 * w[i] + 2.0 * a[i] + (i * 17 % 11) / 11.0).ToArray();
        return new CausalData([w], ["w"], a, y, binaryOutcome: false);
    }

    [Test]
    public void HoldoutSplit_PartitionsTheRows_KeepsTheirOrder_AndDependsOnlyOnTheSeed()
    {
        var d = new CausalData([Enumerable.Range(0, 1000).Select(i => (double)i).ToArray()], ["id"], new int[1000], new double[1000], false);
        var (train, holdout) = HoldoutSplit.Split(d, 0.3, 7);
        Assert.That(train.Count, Is.EqualTo(700));
        Assert.That(holdout.Count, Is.EqualTo(300));
        var ids = train.Covariates[0].Concat(holdout.Covariates[0]).ToList();
        Assert.That(ids.Distinct().Count(), Is.EqualTo(1000), "disjoint and complete");
        Assert.That(train.Covariates[0], Is.Ordered);
        Assert.That(holdout.Covariates[0], Is.Ordered);
        Assert.That(HoldoutSplit.Split(d, 0.3, 7).Holdout.Covariates[0], Is.EqualTo(holdout.Covariates[0]));
        Assert.That(HoldoutSplit.Split(d, 0.3, 8).Holdout.Covariates[0], Is.Not.EqualTo(holdout.Covariates[0]));
        // Each row is held out with probability 0.3: across 1000 rows the first half gets 150 ± 4·√(1000·0.3·0.7)/2.
        Assert.That(holdout.Covariates[0].Count(x => x < 500), Is.InRange(150 - 30, 150 + 30));
        Assert.Throws<ArgumentOutOfRangeException>(() => HoldoutSplit.Split(d, 1.0, 1));
    }

    [Test]
    public void CausalDataCsv_WritesTheDesignColumns_TheArmValues_AndRoundTripNumbers()
    {
        var d = new CausalData([[0.1, 1e-300]], ["w,1"], [1, 0], [1.0 / 3, -2], false);
        Assert.That(CausalDataCsv.Format(d, "arm", "y", "drug", "placebo"),
            Is.EqualTo("\"w,1\",arm,y\n0.1,drug,0.3333333333333333\n1E-300,placebo,-2\n"));
    }

    [Test]
    public void HasBothArms_AndSubset()
    {
        var d = Data(10);
        Assert.That(d.HasBothArms, Is.True);
        Assert.That(Data(10, oneArm: true).HasBothArms, Is.False);
        var sub = d.Subset([0, 3]);
        Assert.That(sub.Count, Is.EqualTo(2));
        Assert.That(sub.Outcome, Is.EqualTo(new[] { d.Outcome[0], d.Outcome[3] }));
        Assert.That(sub.Covariates[0], Is.EqualTo(new[] { d.Covariates[0][0], d.Covariates[0][3] }));
    }
}
