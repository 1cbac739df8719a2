using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Tables;

namespace HybridSynth.HybridBridge.Data;

/// <summary>
/// Data for effect estimation: a binary treatment A (0/1), an outcome Y (binary 0/1 or continuous)
/// and covariates W as numeric design columns (a continuous covariate as is; a categorical one as a
/// dummy per state other than its first observed state).
/// </summary>
public sealed class CausalData
{
    /// <summary>Builds the data; every array has one entry per unit (covariates: one array per covariate).</summary>
    /// <param name="covariates">The covariate columns W, each of length n.</param>
    /// <param name="covariateNames">One name per covariate column.</param>
    /// <param name="treatment">A ∈ {0, 1} per unit (1 = treated).</param>
    /// <param name="outcome">Y per unit (0/1 when <paramref name="binaryOutcome"/>).</param>
    /// <param name="binaryOutcome">True when Y is an event indicator (effects are risk differences).</param>
    public CausalData(double[][] covariates, IReadOnlyList<string> covariateNames, int[] treatment, double[] outcome, bool binaryOutcome)
    {
        var n = treatment.Length;
        if (outcome.Length != n || covariates.Any(c => c.Length != n)) throw new ArgumentException("all columns must have the same length");
        if (treatment.Any(a => a is not (0 or 1))) throw new ArgumentException("the treatment must be coded 0/1");
        Covariates = covariates;
        CovariateNames = covariateNames;
        Treatment = treatment;
        Outcome = outcome;
        BinaryOutcome = binaryOutcome;
    }

    /// <summary>The covariate columns W (one array per covariate, n entries each).</summary>
    public double[][] Covariates { get; }
    /// <summary>The covariate names, one per column of <see cref="Covariates"/>.</summary>
    public IReadOnlyList<string> CovariateNames { get; }
    /// <summary>The treatment A ∈ {0, 1} per unit.</summary>
    public int[] Treatment { get; }
    /// <summary>The outcome Y per unit.</summary>
    public double[] Outcome { get; }
    /// <summary>True when Y is 0/1 (the ATE is a risk difference); false for a real-valued outcome (a difference in means).</summary>
    public bool BinaryOutcome { get; }
    /// <summary>The number of units n.</summary>
    public int Count => Treatment.Length;

    /// <summary>True when some unit is treated and some is not: the contrast can be estimated at all.</summary>
    public bool HasBothArms => Treatment.Contains(0) && Treatment.Contains(1);

    private static DataTable Rows(DataTable table, int[] rows)
    {
        var subset = new DataTable(rows.Length);
        for (var c = 0; c < table.Variables.Count; c++)
        {
            var v = table.Variables[c];
            if (v.IsCategorical) subset.AddCategorical(v, Array.ConvertAll(rows, i => table.Codes(c)[i]));
            else subset.AddContinuous(v, Array.ConvertAll(rows, i => table.Values(c)[i]));
        }
        return subset;
    }

    /// <summary>Rows <paramref name="rows"/> of this dataset.</summary>
    public CausalData Subset(IReadOnlyList<int> rows) => new(
        Covariates.Select(c => rows.Select(i => c[i]).ToArray()).ToArray(), CovariateNames,
        rows.Select(i => Treatment[i]).ToArray(), rows.Select(i => Outcome[i]).ToArray(), BinaryOutcome);

    /// <summary>The units of this data followed by those of <paramref name="more"/> (same covariates, same outcome type).</summary>
    public CausalData Concat(CausalData more)
    {
        if (!more.CovariateNames.SequenceEqual(CovariateNames) || more.BinaryOutcome != BinaryOutcome)
            throw new ArgumentException("the data to append have other covariates or another outcome type", nameof(more));
        return new CausalData(Covariates.Select((c, j) => c.Concat(more.Covariates[j]).ToArray()).ToArray(), CovariateNames,
            Treatment.Concat(more.Treatment).ToArray(), Outcome.Concat(more.Outcome).ToArray(), BinaryOutcome);
    }

    /// <summary>
    /// From a typed table: the treatment must have two states (the second is "treated") or be numeric
    /// 0/1; a categorical outcome must have two states (the second is the event); a numeric outcome
    /// taking only 0 and 1 counts as binary.
    /// </summary>
    /// <param name="arms">The treated and control state codes of a categorical treatment (default: the second state
    /// is treated, the first control); rows in other states are left out.</param>
    /// <param name="scale">The outcome's numeric value (a categorical outcome's event indicator or state numbers); default: its code.</param>
    public static CausalData From(DataTable table, string treatment, string outcome, IReadOnlyList<string> covariates, (int Treated, int Control)? arms = null,
        Scm.Inference.OutcomeScale? scale = null)
    {
        int Column(string name) => table.Contains(name) ? table.IndexOf(name) : throw new ModelException($"the data have no column '{name}'");
        var a = Column(treatment);
        var va = table.Variables[a];
        int[] treat;
        if (va.IsCategorical && arms is { } arm && arm != (1, 0))
        {
            var codes = table.Codes(a);
            var kept = Enumerable.Range(0, codes.Length).Where(i => codes[i] == arm.Treated || codes[i] == arm.Control).ToArray();
            if (kept.Length < codes.Length) table = Rows(table, kept);
            treat = Array.ConvertAll(table.Codes(a), c => c == arm.Treated ? 1 : 0);
        }
        else if (va.IsCategorical)
        {
            if (va.Cardinality != 2) throw new ModelException($"the treatment '{treatment}' must have two states; it has {va.Cardinality}");
            treat = table.Codes(a);
        }
        else
        {
            var x = table.Values(a);
            if (x.Any(v => v is not (0 or 1))) throw new ModelException($"the treatment '{treatment}' must be 0/1");
            treat = Array.ConvertAll(x, v => (int)v);
        }
        var y = Column(outcome);
        var vy = table.Variables[y];
        double[] outcomes;
        bool binary;
        if (vy.IsCategorical && scale is { StateValues: not null })
        {
            outcomes = Array.ConvertAll(table.Codes(y), c => scale.StateValues[c]);
            binary = outcomes.All(v => v is 0 or 1);
        }
        else if (vy.IsCategorical)
        {
            if (vy.Cardinality != 2) throw new ModelException($"a categorical outcome must have two states; '{outcome}' has {vy.Cardinality}");
            outcomes = table.AsDoubles(y);
            binary = true;
        }
        else
        {
            outcomes = table.Values(y);
            binary = outcomes.All(v => v is 0 or 1);
        }
        var names = new List<string>();
        var columns = new List<double[]>();
        foreach (var w in covariates)
        {
            var c = Column(w);
            if (w == treatment || w == outcome) throw new ModelException($"'{w}' cannot be both a covariate and the treatment or outcome");
            var v = table.Variables[c];
            if (!v.IsCategorical)
            {
                names.Add(w);
                columns.Add(table.Values(c));
                continue;
            }
            var codes = table.Codes(c);
            var seen = codes.Distinct().OrderBy(k => k).ToList();
            foreach (var k in seen.Skip(1))
            {
                names.Add($"{w}={v.Categorical.States[k]}");
                columns.Add(Array.ConvertAll(codes, x => x == k ? 1.0 : 0.0));
            }
        }
        return new CausalData(columns.ToArray(), names, treat, outcomes, binary);
    }
}
