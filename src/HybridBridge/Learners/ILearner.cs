namespace HybridSynth.HybridBridge.Learners;

/// <summary>A fitted model: predictions for rows given as design columns (an intercept is added by the learner).</summary>
public interface IFittedModel
{
    /// <summary>Predictions for <paramref name="rows"/> rows given as design columns: probabilities for a classifier, means for a regressor.</summary>
    double[] Predict(IReadOnlyList<double[]> columns, int rows);
}

/// <summary>
/// A nuisance learner behind a tiny fit/predict interface. <see cref="Fit"/> takes design columns and
/// a response (0/1 for a classifier: predictions are probabilities; real for a regressor).
/// </summary>
public interface ILearner
{
    /// <summary>The learner's name, as reports print it.</summary>
    string Name { get; }
    /// <summary>Fits the learner to design columns (no intercept column: the learner adds what it needs) and a response (0/1 for a classifier).</summary>
    IFittedModel Fit(IReadOnlyList<double[]> columns, double[] response);
}

/// <summary>A generalised linear model: its coefficients and how predictions move with them, for influence-curve (sandwich) standard errors.</summary>
public interface IGlmModel : IFittedModel
{
    /// <summary>Coefficients, intercept first.</summary>
    double[] Coefficients { get; }

    /// <summary>dμ/dη at each row (μ(1 − μ) for the logit link, 1 for the identity).</summary>
    double[] Derivative(IReadOnlyList<double[]> columns, int rows);

    /// <summary>True for the logit link, false for the identity.</summary>
    bool Logistic { get; }
}
