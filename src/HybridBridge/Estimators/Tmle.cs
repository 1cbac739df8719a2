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

    /// <inheritdoc />
    public string Name => "tmle";

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
        var epsilon = 0.0;
        for (var iteration = 0; iteration < 100; iteration++)
        {
            double score = 0, information = 0;
            for (var i = 0; i < n; i++)
            {
                var mu = Scm.Numerics.SpecialFunctions.Expit(off[i] + epsilon * h[i]);
                score += h[i] * (y[i] - mu);
                information += h[i] * h[i] * mu * (1 - mu);
            }
            if (information <= 0) break;
            var step = score / information;
            epsilon += step;
            if (Math.Abs(step) < 1e-12) break;
        }
        var q1 = new double[n];
        var q0 = new double[n];
        var ic = new double[n];
        for (var i = 0; i < n; i++)
        {
            q1[i] = Scm.Numerics.SpecialFunctions.Expit(off1[i] + epsilon * h1[i]);
            q0[i] = Scm.Numerics.SpecialFunctions.Expit(off0[i] + epsilon * h0[i]);
        }
        var psi = Enumerable.Range(0, n).Average(i => q1[i] - q0[i]);
        for (var i = 0; i < n; i++)
        {
            var qa = data.Treatment[i] == 1 ? q1[i] : q0[i];
            ic[i] = span * (h[i] * (y[i] - qa) + q1[i] - q0[i] - psi);
        }
        return AteEstimate.FromInfluence(Name, span * psi, ic);
    }
}
