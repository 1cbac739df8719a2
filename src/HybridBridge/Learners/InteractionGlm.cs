namespace HybridSynth.HybridBridge.Learners;

/// <summary>
/// A GLM on the main terms and every pairwise product of the design's columns (x_j·x_k, j &lt; k), with a small ridge
/// penalty by default so that products of rare indicators stay estimable: the "GLM with interactions" candidate of the
/// super learner. For an outcome design (A, W) the products include A·W_j, so the learned contrast Q(1, W) − Q(0, W)
/// varies with W.
/// </summary>
public sealed class InteractionGlm : ILearner
{
    private readonly GeneralisedLinearModel _glm;

    /// <summary>A logistic (<paramref name="logistic"/>) or linear regression on main terms and pairwise products, ridge <paramref name="l2"/>.</summary>
    public InteractionGlm(bool logistic, double l2 = 1e-3)
    {
        _glm = new GeneralisedLinearModel(logistic, l2);
    }

    /// <inheritdoc />
    public string Name => _glm.Logistic ? "logistic with interactions" : "linear with interactions";

    /// <inheritdoc />
    public IFittedModel Fit(IReadOnlyList<double[]> columns, double[] response) => new Fitted(_glm.Fit(Expand(columns, response.Length), response));

    /// <summary>The columns followed by every pairwise product x_j·x_k (j &lt; k) that is not identically zero or a copy of a column.</summary>
    public static IReadOnlyList<double[]> Expand(IReadOnlyList<double[]> columns, int rows)
    {
        var all = new List<double[]>(columns);
        for (var j = 0; j < columns.Count; j++)
            for (var k = j + 1; k < columns.Count; k++)
            {
                var p = new double[rows];
                for (var i = 0; i < rows; i++) p[i] = columns[j][i] * columns[k][i];
                all.Add(p);
            }
        return all;
    }

    private sealed class Fitted(IFittedModel inner) : IFittedModel
    {
        public double[] Predict(IReadOnlyList<double[]> columns, int rows) => inner.Predict(Expand(columns, rows), rows);
    }
}

/// <summary>
/// A learner that is a classifier when the response it is fitted to is 0/1 and a regressor otherwise — the rule by which
/// <see cref="Data.CausalData.BinaryOutcome"/> calls an outcome binary — for outcome models chosen before the data are seen.
/// </summary>
public sealed class ResponseAdaptiveLearner(string name, Func<bool, ILearner> make) : ILearner
{
    /// <inheritdoc />
    public string Name { get; } = name;

    /// <inheritdoc />
    public IFittedModel Fit(IReadOnlyList<double[]> columns, double[] response) => make(response.All(v => v is 0 or 1)).Fit(columns, response);
}
