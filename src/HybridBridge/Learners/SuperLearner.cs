using HybridSynth.Scm.Randomness;

namespace HybridSynth.HybridBridge.Learners;

/// <summary>
/// The super learner (van der Laan, Polley and Hubbard 2007): a convex combination of candidate learners whose weights
/// minimise the V-fold cross-validated squared error (for a 0/1 response, the Brier score). Each candidate's out-of-fold
/// predictions Z (n × K) are computed once; the weights solve min ‖y − Zα‖² subject to α ≥ 0, Σα = 1 — exactly, by the
/// Karush–Kuhn–Tucker conditions over the candidates' subsets (K is small) — and the final predictor is Σ α_k f_k with
/// every candidate refitted on all rows. Folds come from the seed, so the fit is reproducible.
/// </summary>
public sealed class SuperLearner : ILearner
{
    /// <summary>A super learner over <paramref name="candidates"/> with <paramref name="folds"/>-fold cross-validation.</summary>
    public SuperLearner(IReadOnlyList<ILearner> candidates, int folds = 5, ulong seed = 1)
    {
        if (candidates.Count is < 1 or > 12) throw new ArgumentOutOfRangeException(nameof(candidates), "1 to 12 candidates");
        if (folds < 2) throw new ArgumentOutOfRangeException(nameof(folds));
        Candidates = candidates;
        Folds = folds;
        Seed = seed;
    }

    /// <summary>The default library: main-terms GLM, GLM with pairwise interactions, and a random forest (50 trees, leaves of ≥ 10).</summary>
    public static SuperLearner Default(bool classification, ulong seed) => new(new ILearner[]
    {
        new GeneralisedLinearModel(classification), new InteractionGlm(classification), new RandomForest(classification, trees: 50, minLeaf: 10, seed: seed),
    }, 5, seed);

    /// <summary>The candidate learners.</summary>
    public IReadOnlyList<ILearner> Candidates { get; }
    /// <summary>The cross-validation folds of the weights.</summary>
    public int Folds { get; }
    /// <summary>The seed of the fold assignment.</summary>
    public ulong Seed { get; }

    /// <inheritdoc />
    public string Name => $"super learner({string.Join(", ", Candidates.Select(c => c.Name))}; {Folds}-fold)";

    /// <summary>The weights of the last <see cref="Fit"/> (for reports and tests), aligned with <see cref="Candidates"/>.</summary>
    public sealed class Model(IReadOnlyList<IFittedModel> fits, double[] weights, double[] cvRisk) : IFittedModel
    {
        /// <summary>The convex weights α.</summary>
        public double[] Weights { get; } = weights;
        /// <summary>Each candidate's cross-validated mean squared error.</summary>
        public double[] CrossValidatedRisk { get; } = cvRisk;

        /// <inheritdoc />
        public double[] Predict(IReadOnlyList<double[]> columns, int rows)
        {
            var p = new double[rows];
            for (var k = 0; k < fits.Count; k++)
            {
                if (Weights[k] == 0) continue;
                var pk = fits[k].Predict(columns, rows);
                for (var i = 0; i < rows; i++) p[i] += Weights[k] * pk[i];
            }
            return p;
        }
    }

    /// <inheritdoc />
    public IFittedModel Fit(IReadOnlyList<double[]> columns, double[] response)
    {
        var n = response.Length;
        var k = Candidates.Count;
        var z = new double[k][];
        for (var c = 0; c < k; c++) z[c] = new double[n];
        var fold = FoldOf(n, Math.Min(Folds, Math.Max(2, n)), Seed);
        for (var v = 0; v < Folds; v++)
        {
            var train = Enumerable.Range(0, n).Where(i => fold[i] != v).ToArray();
            var test = Enumerable.Range(0, n).Where(i => fold[i] == v).ToArray();
            if (test.Length == 0 || train.Length == 0) continue;
            var trainCols = columns.Select(col => train.Select(i => col[i]).ToArray()).ToArray();
            var testCols = columns.Select(col => test.Select(i => col[i]).ToArray()).ToArray();
            var y = train.Select(i => response[i]).ToArray();
            for (var c = 0; c < k; c++)
            {
                var pred = Candidates[c].Fit(trainCols, y).Predict(testCols, test.Length);
                for (var t = 0; t < test.Length; t++) z[c][test[t]] = pred[t];
            }
        }
        var risk = z.Select(zc => Enumerable.Range(0, n).Average(i => (response[i] - zc[i]) * (response[i] - zc[i]))).ToArray();
        var weights = ConvexLeastSquares(z, response);
        var fits = Candidates.Select((c, i) => weights[i] > 0 ? c.Fit(columns, response) : null).ToArray();
        return new Model(fits!, weights, risk);
    }

    /// <summary>A fold in 0..folds−1 for each of n rows: a seeded permutation dealt round-robin (balanced folds); the
    /// cross-fitting of the nuisances uses the same assignment.</summary>
    public static int[] FoldOf(int n, int folds, ulong seed)
    {
        var key = Seeds.Folds(seed);
        var order = Enumerable.Range(0, n).OrderBy(i => CounterNoise.Uniform(key, i)).ToArray();
        var fold = new int[n];
        for (var r = 0; r < n; r++) fold[order[r]] = r % folds;
        return fold;
    }

    /// <summary>
    /// min ‖y − Σ α_k z_k‖² subject to α ≥ 0 and Σ α = 1, exactly: for each subset S of candidates the equality-constrained
    /// problem is a small linear (KKT) system; the best feasible solution over all subsets is the optimum (the problem is
    /// convex and its optimum is the equality-constrained optimum on its support). Ties go to the earlier candidates.
    /// </summary>
    public static double[] ConvexLeastSquares(IReadOnlyList<double[]> z, double[] y)
    {
        var k = z.Count;
        var n = y.Length;
        var gram = new double[k, k];
        var zy = new double[k];
        for (var a = 0; a < k; a++)
        {
            for (var i = 0; i < n; i++) zy[a] += z[a][i] * y[i];
            for (var b = a; b < k; b++)
            {
                double s = 0;
                for (var i = 0; i < n; i++) s += z[a][i] * z[b][i];
                gram[a, b] = gram[b, a] = s;
            }
        }
        var yy = y.Sum(v => v * v);
        double Loss(double[] alpha)
        {
            var l = yy;
            for (var a = 0; a < k; a++)
            {
                l -= 2 * alpha[a] * zy[a];
                for (var b = 0; b < k; b++) l += alpha[a] * alpha[b] * gram[a, b];
            }
            return l;
        }
        double[]? best = null;
        var bestLoss = double.PositiveInfinity;
        for (var mask = 1; mask < 1 << k; mask++)
        {
            var s = Enumerable.Range(0, k).Where(a => (mask >> a & 1) == 1).ToArray();
            // KKT: [G_SS 1; 1ᵀ 0] [α; λ] = [zy_S; 1].
            var m = s.Length + 1;
            var kkt = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(m, m);
            var rhs = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(m);
            for (var a = 0; a < s.Length; a++)
            {
                for (var b = 0; b < s.Length; b++) kkt[a, b] = gram[s[a], s[b]];
                kkt[a, s.Length] = kkt[s.Length, a] = 1;
                rhs[a] = zy[s[a]];
            }
            rhs[s.Length] = 1;
            MathNet.Numerics.LinearAlgebra.Vector<double> solution;
            try { solution = kkt.Svd().Solve(rhs); }
            catch (Exception) { continue; }
            var alpha = new double[k];
            var feasible = true;
            for (var a = 0; a < s.Length; a++)
            {
                if (!(solution[a] >= -1e-12)) { feasible = false; break; }
                alpha[s[a]] = Math.Max(0, solution[a]);
            }
            if (!feasible) continue;
            var total = alpha.Sum();
            if (!(total > 0)) continue;
            for (var a = 0; a < k; a++) alpha[a] /= total;
            var loss = Loss(alpha);
            if (best is null || loss < bestLoss - 1e-12 * Math.Max(1, Math.Abs(bestLoss))) { bestLoss = loss; best = alpha; }
        }
        return best ?? Enumerable.Range(0, k).Select(a => a == 0 ? 1.0 : 0.0).ToArray();
    }
}
