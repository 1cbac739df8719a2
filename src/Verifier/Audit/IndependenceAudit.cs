using HybridSynth.Scm.Graph;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Tables;
using HybridSynth.Verifier.CiTests;

namespace HybridSynth.Verifier.Audit;

/// <summary>
/// Tests, on a dataset, every conditional independence the model's DAG implies among the observed
/// variables, and checks power on the edges: for each edge P → C with both observed, P ⟂ C | the other
/// observed parents of C should be rejected. "What the graph implies" comes from the causal core;
/// "what a test says" from the chosen <see cref="IConditionalIndependenceTest"/>.
/// </summary>
public static class IndependenceAudit
{
    /// <param name="progress">Called with (tests done, tests in all) as statements and edges are tested, from any thread.</param>
    public static AuditReport Run(CausalModel model, DataTable data, AuditOptions options, Action<long, long>? progress = null)
    {
        var g = model.Graph;
        // Model index → data column, for observed variables (not hidden, present in the data).
        var column = new Dictionary<int, int>();
        var unobserved = new List<string>();
        for (var v = 0; v < model.Count; v++)
        {
            if (!model[v].Hidden && data.Contains(model[v].Name)) column[v] = data.IndexOf(model[v].Name);
            else unobserved.Add(model[v].Name);
        }
        var observed = new HashSet<int>(column.Keys);
        ImpliedIndependences.EnsureCountAtMost(g, options.Set == StatementSet.Local, options.MaxStatements, "raise the limit (--max-statements) to test them all");
        var statements = ImpliedStatements.Enumerate(g, observed, options.Set);
        var testable = statements.Where(s => s.Untestable is null).ToList();
        var untestable = statements.Where(s => s.Untestable is not null).ToList();

        var test = CiTestRegistry.Create(options.Test, options.Permutations, options.Seed);
        CiTestResult Run(int x, int y, IReadOnlyList<int> z) =>
            test.Supports(data, column[x], column[y], z.Select(v => column[v]).ToList())
                ? test.Test(data, column[x], column[y], z.Select(v => column[v]).ToList())
                : CiTestResult.NotTestable(test.Name, data.RowCount, $"the {test.Name} test does not apply to these variable types");

        var edges = g.Edges().Where(e => observed.Contains(e.Parent) && observed.Contains(e.Child)).ToList();
        long done = 0;
        void Done() => progress?.Invoke(Interlocked.Increment(ref done), testable.Count + edges.Count);
        var results = new CiTestResult[testable.Count];
        Parallel.For(0, testable.Count, new ParallelOptions { MaxDegreeOfParallelism = options.Threads }, i =>
        {
            results[i] = Run(testable[i].X, testable[i].Y, testable[i].Z);
            Done();
        });

        var tested = Enumerable.Range(0, testable.Count).Where(i => results[i].IsTestable).ToList();
        foreach (var i in Enumerable.Range(0, testable.Count).Where(i => !results[i].IsTestable))
            untestable.Add(testable[i] with { Untestable = results[i].Untestable });
        var p = tested.Select(i => results[i].PValue).ToList();
        var holm = MultipleTesting.Holm(p);
        var bh = MultipleTesting.BenjaminiHochberg(p);
        var statementResults = tested.Select((i, k) => new StatementResult(testable[i], results[i], holm[k], bh[k])).ToList();
        var rejections = statementResults.Count(s => s.Result.RejectsAt(options.Alpha));

        var edgeResults = new EdgeResult[edges.Count];
        Parallel.For(0, edges.Count, new ParallelOptions { MaxDegreeOfParallelism = options.Threads }, i =>
        {
            var (parent, child) = edges[i];
            var given = g.Parents(child).Where(q => q != parent && observed.Contains(q)).ToList();
            var r = Run(parent, child, given);
            edgeResults[i] = new EdgeResult(g.Name(parent), g.Name(child), given.Select(g.Name).ToList(), r, r.RejectsAt(options.Alpha));
            Done();
        });
        var testedEdges = edgeResults.Where(e => e.Result.IsTestable).ToList();

        return new AuditReport(options, data.RowCount, unobserved, statementResults, untestable,
            BinomialInterval.Of(rejections, statementResults.Count),
            statementResults.Count(s => s.HolmP < options.Alpha),
            statementResults.Count(s => s.BenjaminiHochbergP < options.Alpha),
            edgeResults,
            BinomialInterval.Of(testedEdges.Count(e => e.Detected), testedEdges.Count));
    }
}
