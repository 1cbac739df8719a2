using HybridSynth.HybridBridge.Estimators;
using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.Mechanisms;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Tables;

namespace HybridSynth.HybridBridge.Simulation;

/// <summary>Where a simulation's nuisances come from, to decompose an estimator's bias and coverage.</summary>
public enum NuisanceSource
{
    /// <summary>Both fitted by the learners (what an analyst gets).</summary>
    Fitted,
    /// <summary>Both the model's true g(W) and Q(a, W).</summary>
    Oracle,
    /// <summary>The true propensity, a fitted outcome model.</summary>
    OracleG,
    /// <summary>A fitted propensity, the true outcome model.</summary>
    OracleQ,
}

/// <summary>
/// The true nuisances of a simulation's model for each unit: g(W) = P(A = treated | Pa(A)) / (P(treated | Pa(A)) +
/// P(control | Pa(A))) and Q(a, W) = E[g(Y) | Pa(Y), A = a], read off the treatment's and outcome's mechanisms. They are
/// the nuisances exactly when the covariates contain the parents of A and of Y (other than A) — no mediator, no hidden
/// parent — which is checked. The outcome's mechanism must give its conditional law (a categorical mechanism) or mean (a
/// linear-Gaussian one).
/// </summary>
public static class OracleNuisances
{
    /// <summary>The labels of the sources in estimator names: "" (fitted), "@oracle", "@oracle-g", "@oracle-q".</summary>
    public static string Suffix(NuisanceSource source) => source switch
    {
        NuisanceSource.Fitted => "",
        NuisanceSource.Oracle => "@oracle",
        NuisanceSource.OracleG => "@oracle-g",
        _ => "@oracle-q",
    };

    /// <summary>The source's name: fitted, oracle, oracle-g or oracle-q.</summary>
    public static string Name(NuisanceSource source) => source == NuisanceSource.Fitted ? "fitted" : Suffix(source)[1..];

    /// <summary>Parses fitted, oracle, oracle-g, oracle-q.</summary>
    public static NuisanceSource Parse(string name) => name switch
    {
        "fitted" => NuisanceSource.Fitted,
        "oracle" => NuisanceSource.Oracle,
        "oracle-g" => NuisanceSource.OracleG,
        "oracle-q" => NuisanceSource.OracleQ,
        _ => throw new ModelException($"unknown nuisance source '{name}'; expected fitted, oracle, oracle-g or oracle-q"),
    };

    /// <summary>Checks that the model's true nuisances can be read off its mechanisms (a located <see cref="ModelException"/> otherwise).</summary>
    public static void Check(CausalModel model, TreatmentContrast contrast)
    {
        var covariates = SimulationEngine.Covariates(model, contrast).Select(model.IndexOf).ToHashSet();
        var a = contrast.Treatment;
        var y = contrast.Outcome;
        if (model.Mechanisms[a] is not ICategoricalMechanism)
            throw new ModelException($"oracle nuisances: the treatment '{model[a].Name}' needs a categorical mechanism");
        foreach (var p in model.Mechanisms[a].Parents)
            if (!covariates.Contains(p)) throw new ModelException($"oracle nuisances: '{model[p].Name}', a parent of the treatment, is not an observed covariate");
        foreach (var p in model.Mechanisms[y].Parents)
            if (p != a && !covariates.Contains(p))
                throw new ModelException($"oracle nuisances: '{model[p].Name}', a parent of the outcome '{model[y].Name}', is not an observed covariate (a mediator or hidden variable): E[Y | A, W] is not its mechanism");
        if (model.Mechanisms[y] is not (ICategoricalMechanism or LinearGaussianMechanism))
            throw new ModelException($"oracle nuisances: the outcome's mechanism ({model.Mechanisms[y].Kind}) gives no conditional mean; use a categorical or linear-Gaussian outcome");
    }

    /// <summary>(g, Q(1, ·), Q(0, ·)) for the rows of <paramref name="table"/> whose treatment is treated or control (the rows <see cref="Data.CausalData.From"/> keeps), in row order.</summary>
    public static (int[] Treatment, double[] G, double[] Q1, double[] Q0) Compute(CausalModel model, TreatmentContrast contrast, DataTable table)
    {
        var a = contrast.Treatment;
        var y = contrast.Outcome;
        var treatment = (ICategoricalMechanism)model.Mechanisms[a];
        var outcome = model.Mechanisms[y];
        var aCodes = table.Codes(a);
        var rows = Enumerable.Range(0, table.RowCount).Where(r => aCodes[r] == contrast.TreatedCode || aCodes[r] == contrast.ControlCode).ToArray();
        var columns = new double[model.Count][];
        double[] Column(int v) => columns[v] ??= table.AsDoubles(v);
        var g = new double[rows.Length];
        var q1 = new double[rows.Length];
        var q0 = new double[rows.Length];
        var arms = new int[rows.Length];
        var pa = new double[treatment.Parents.Count];
        var py = new double[outcome.Parents.Count];
        var pA = new double[treatment.Cardinality];
        var pY = outcome is ICategoricalMechanism cy ? new double[cy.Cardinality] : [];
        for (var u = 0; u < rows.Length; u++)
        {
            var r = rows[u];
            arms[u] = aCodes[r] == contrast.TreatedCode ? 1 : 0;
            for (var j = 0; j < pa.Length; j++) pa[j] = Column(treatment.Parents[j])[r];
            treatment.Probabilities(pa, pA);
            g[u] = pA[contrast.TreatedCode] / (pA[contrast.TreatedCode] + pA[contrast.ControlCode]);
            for (var arm = 0; arm <= 1; arm++)
            {
                for (var j = 0; j < py.Length; j++)
                    py[j] = outcome.Parents[j] == a ? (arm == 1 ? contrast.TreatedCode : contrast.ControlCode) : Column(outcome.Parents[j])[r];
                double mean;
                if (outcome is ICategoricalMechanism c)
                {
                    c.Probabilities(py, pY);
                    mean = 0;
                    for (var k = 0; k < pY.Length; k++) mean += pY[k] * contrast.Scale.Value(k);
                }
                else mean = ((LinearGaussianMechanism)outcome).Mean(py);
                if (arm == 1) q1[u] = mean;
                else q0[u] = mean;
            }
        }
        return (arms, g, q1, q0);
    }

    /// <summary>The nuisances of <paramref name="source"/>: the fitted ones, the true ones, or one of each, bounded as the fitted ones are.</summary>
    public static NuisanceEstimates Combine(NuisanceSource source, NuisanceEstimates fitted, (int[] Treatment, double[] G, double[] Q1, double[] Q0) truth) => source switch
    {
        NuisanceSource.Fitted => fitted,
        NuisanceSource.Oracle => NuisanceEstimates.FromValues(truth.Treatment, truth.G, truth.Q1, truth.Q0, fitted.Bound),
        NuisanceSource.OracleG => NuisanceEstimates.FromValues(truth.Treatment, truth.G, fitted.Q1, fitted.Q0, fitted.Bound),
        _ => NuisanceEstimates.FromValues(truth.Treatment, fitted.G, truth.Q1, truth.Q0, fitted.Bound),
    };
}
