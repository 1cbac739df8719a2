using HybridSynth.HybridBridge.Data;
using HybridSynth.HybridBridge.Estimators;
using HybridSynth.HybridBridge.Learners;

namespace HybridSynth.HybridBridge.Diagnostics;

/// <summary>
/// Train on synthetic, test on real: the outcome model (A and W as main terms; logistic for a binary Y,
/// linear otherwise) fitted to the synthetic data and scored on real held-out data by AUC (binary) or R² (continuous).
/// </summary>
public static class TrainSyntheticTestReal
{
    /// <summary>Train on synthetic, test on real: fits the outcome GLM on the synthetic data and scores it on the real rows — AUC for a binary outcome, R² otherwise.</summary>
    public static (string Metric, double Value) Score(CausalData synthetic, CausalData real)
    {
        var model = new GeneralisedLinearModel(logistic: synthetic.BinaryOutcome).Fit(NuisanceEstimates.OutcomeDesign(synthetic, null), synthetic.Outcome);
        var prediction = model.Predict(NuisanceEstimates.OutcomeDesign(real, null), real.Count);
        if (real.BinaryOutcome) return ("AUC", Auc(prediction, real.Outcome));
        var mean = real.Outcome.Average();
        var ssTot = real.Outcome.Sum(y => (y - mean) * (y - mean));
        var ssRes = real.Outcome.Select((y, i) => (y - prediction[i]) * (y - prediction[i])).Sum();
        return ("R2", 1 - ssRes / ssTot);
    }

    /// <summary>The area under the ROC curve by the Mann–Whitney statistic (ties count one half).</summary>
    public static double Auc(double[] score, double[] label)
    {
        var order = Enumerable.Range(0, score.Length).OrderBy(i => score[i]).ToArray();
        var ranks = new double[score.Length];
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j + 1 < order.Length && score[order[j + 1]] == score[order[i]]) j++;
            for (var k = i; k <= j; k++) ranks[order[k]] = (i + j) / 2.0 + 1;
            i = j + 1;
        }
        double positives = label.Count(y => y == 1), negatives = label.Length - positives;
        if (positives == 0 || negatives == 0) return double.NaN;
        var sum = Enumerable.Range(0, label.Length).Where(i => label[i] == 1).Sum(i => ranks[i]);
        return (sum - positives * (positives + 1) / 2) / (positives * negatives);
    }
}
