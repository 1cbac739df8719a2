using HybridSynth.HybridBridge.Data;

namespace HybridSynth.HybridBridge.Estimators;

/// <summary>
/// Targeted maximum likelihood with a logistic fluctuation. The outcome is put on [0, 1] (a
/// continuous Y by (Y − a)/(b − a) with a, b its range; predictions bounded to [1e-5, 1 − 1e-5]); the
/// clever covariate is H(A, W) = A/ĝ − (1 − A)/(1 − ĝ); ε solves the score equation of the
/// logistic regression of Y on H with offset logit Q̂(A, W) (Newton); Q̂*(a, W) = expit(logit Q̂(a, W) + ε H(a, W));
/// ψ̂ = (b − a) · mean(Q̂*1 − Q̂*0); IC = (b − a)·[H (Y − Q̂*(A, W)) + Q̂*1 − Q̂*0] − ψ̂.
/// </summary>
public sealed class Tmle : IAteEstimator
{
    private const double Floor = 1e-5;

    /// <summary>
    /// TMLE with the clever covariate H (<paramref name="weighted"/> false, <c>tmle</c>), or the weighted fluctuation
    /// (<c>tmle-weighted</c>; Robins et al. 2007, Stitelman et al. 2012): one intercept per arm, fitted on that arm's units
    /// with weights 1/ĝ or 1/(1 − ĝ), so Q̂*(a, W) = expit(logit Q̂(a, W) + ε_a). It solves the same efficient-score
    /// equation, but every unit's prediction moves by the same bounded logit shift instead of ε/ĝ(W), which is what makes
    /// the plain fluctuation unstable where propensities are near 0 or 1.
    /// </summary>
    public Tmle(bool weighted = false)
    {
        Weighted = weighted;
    }

    /// <summary>True for the weighted fluctuation.</summary>
    public bool Weighted { get; }

    /// <inheritdoc />
    public string Name => Weighted ? "tmle-weighted" : "tmle";

    /// <inheritdoc />
    public AteEstimate Estimate(CausalData data, NuisanceEstimates nu)
    {
        var n = data.Count;
        double lo = 0, hi = 1;
        if (!data.BinaryOutcome)
        {
            lo = data.Outcome.Min();
            hi = data.Outcome.Max();
            if (hi == lo) return new AteEstimate(Name, 0, 0);
        }
        var span = hi - lo;
        double Scale(double v) => Math.Clamp((v - lo) / span, Floor, 1 - Floor);
        double Logit(double p) => Math.Log(p / (1 - p));
        var y = data.Outcome.Select(v => (v - lo) / span).ToArray();
        var off = new double[n];
        var off1 = new double[n];
        var off0 = new double[n];
        var h = new double[n];
        var h1 = new double[n];
        var h0 = new double[n];
        for (var i = 0; i < n; i++)
        {
            off[i] = Logit(Scale(nu.Q[i]));
            off1[i] = Logit(Scale(nu.Q1[i]));
            off0[i] = Logit(Scale(nu.Q0[i]));
            h1[i] = 1 / nu.G[i];
            h0[i] = -1 / (1 - nu.G[i]);
            h[i] = data.Treatment[i] == 1 ? h1[i] : h0[i];
        }
        var q1 = new double[n];
        var q0 = new double[n];
        var ic = new double[n];
        if (Weighted)
        {
            // ε_a: the weighted intercept fit of arm a (covariate 1, weight |H|).
            double ArmShift(int arm)
            {
                var units = Enumerable.Range(0, n).Where(i => data.Treatment[i] == arm).ToArray();
                return Fluctuation(units.Select(i => y[i]).ToArray(), units.Select(i => off[i]).ToArray(),
                    units.Select(_ => 1.0).ToArray(), units.Select(i => Math.Abs(h[i])).ToArray());
            }
            var e1 = ArmShift(1);
            var e0 = ArmShift(0);
            for (var i = 0; i < n; i++)
            {
                q1[i] = Scm.Numerics.SpecialFunctions.Expit(off1[i] + e1);
                q0[i] = Scm.Numerics.SpecialFunctions.Expit(off0[i] + e0);
            }
        }
        else
        {
            var epsilon = Fluctuation(y, off, h);
            for (var i = 0; i < n; i++)
            {
                q1[i] = Scm.Numerics.SpecialFunctions.Expit(off1[i] + epsilon * h1[i]);
                q0[i] = Scm.Numerics.SpecialFunctions.Expit(off0[i] + epsilon * h0[i]);
            }
        }
        var psi = Enumerable.Range(0, n).Average(i => q1[i] - q0[i]);
        for (var i = 0; i < n; i++)
        {
            var qa = data.Treatment[i] == 1 ? q1[i] : q0[i];
            ic[i] = span * (h[i] * (y[i] - qa) + q1[i] - q0[i] - psi);
        }
        return AteEstimate.FromInfluence(Name, span * psi, ic);
    }

    /// <summary>
    /// The maximum-likelihood ε of the logistic fluctuation (Y on H with offset logit Q̂): Newton's method with step halving
    /// on the log-likelihood, which is concave in ε, so each step ascends and the iteration converges even when H is large
    /// (near-violations of positivity), where plain Newton overshoots and can wander.
    /// </summary>
    public static double Fluctuation(double[] y, double[] offset, double[] h, double[]? weights = null)
    {
        double W(int i) => weights is null ? 1 : weights[i];
        double LogLikelihood(double e)
        {
            double ll = 0;
            for (var i = 0; i < y.Length; i++)
            {
                var eta = offset[i] + e * h[i];
                // y·η − log(1 + e^η), stably.
                ll += W(i) * (y[i] * eta - (eta > 0 ? eta + double.LogP1(Math.Exp(-eta)) : double.LogP1(Math.Exp(eta))));
            }
            return ll;
        }
        var epsilon = 0.0;
        var current = LogLikelihood(epsilon);
        for (var iteration = 0; iteration < 200; iteration++)
        {
            double score = 0, information = 0;
            for (var i = 0; i < y.Length; i++)
            {
                var mu = Scm.Numerics.SpecialFunctions.Expit(offset[i] + epsilon * h[i]);
                score += W(i) * h[i] * (y[i] - mu);
                information += W(i) * h[i] * h[i] * mu * (1 - mu);
            }
            if (!(information > 0)) break;
            var step = score / information;
            // Accept the Newton step unless it lowers the log-likelihood beyond rounding; else halve it.
            var slack = 1e-12 * Math.Max(1, Math.Abs(current));
            var next = LogLikelihood(epsilon + step);
            for (var halving = 0; halving < 60 && !(next >= current - slack); halving++)
            {
                step /= 2;
                next = LogLikelihood(epsilon + step);
            }
            if (!(next >= current - slack)) break;
            epsilon += step;
            current = next;
            if (Math.Abs(step) < 1e-12) break;
        }
        return epsilon;
    }
}
