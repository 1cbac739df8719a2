using HybridSynth.Scm.Graph;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Tables;
using HybridSynth.Verifier.CiTests;

namespace HybridSynth.Verifier.Audit;

/// <summary>
/// Tests, on a dataset, every conditional independence the model's DAG implies among the observed
/// variables, and checks power on the edges: for each edge P → C with both observed, P ⟂ C | the other
/// observed parents of C should be rejected. "What the graph implies" comes from the causal core;
/// "what a test says" from the chosen <see cref="IConditionalIndependenceTest"/>. The steps are separate:
/// map the model's observed variables to data columns, list the implied statements, test them (in parallel,
/// results in statement order), correct for multiple testing, and test the edges for power.
/// </summary>
public static class IndependenceAudit
{
    /// <summary>Runs the audit.</summary>
    /// <param name="model">The model whose graph implies the statements.</param>
    /// <param name="data">The data, with a column per observed variable (hidden ones and absent ones are unobserved).</param>
    /// <param name="options">Statement set, test, α, permutations, seed, threads and the statement limit.</param>
    /// <param name="progress">Called with (tests done, tests in all) as statements and edges are tested, from any thread.</param>
    public static AuditReport Run(CausalModel model, DataTable data, AuditOptions options, Action<long, long>? progress = null)
    {
        var g = model.Graph;
        var columns = ObservedColumns.Of(model, data);
        ImpliedIndependences.EnsureCountAtMost(g, options.Set == StatementSet.Local, options.MaxStatements, "raise the limit (--max-statements) to test them all");
        var statements = ImpliedStatements.Enumerate(g, columns.Observed, options.Set, out var duplicates);
        var testable = statements.Where(s => s.Untestable is null).ToList();
        var untestable = statements.Where(s => s.Untestable is not null).ToList();
        var edges = g.Edges().Where(e => columns.Observed.Contains(e.Parent) && columns.Observed.Contains(e.Child)).ToList();

        var tester = new Tester(CiTestRegistry.Create(options.Test, options.Permutations, options.Seed), data, columns, testable.Count + edges.Count, progress);
        var results = tester.All(testable.Count, i => (testable[i].X, testable[i].Y, testable[i].Z), options.Threads);
        var statementResults = Corrected(testable, results, untestable);
        var edgeResults = EdgePower(g, edges, columns.Observed, tester, options);
        var testedEdges = edgeResults.Where(e => e.Result.IsTestable).ToList();
        return new AuditReport(options, data.RowCount, columns.Unobserved, statementResults, untestable,
            BinomialInterval.Of(statementResults.Count(s => s.Result.RejectsAt(options.Alpha)), statementResults.Count),
            statementResults.Count(s => s.HolmP < options.Alpha),
            statementResults.Count(s => s.BenjaminiHochbergP < options.Alpha),
            edgeResults,
            BinomialInterval.Of(testedEdges.Count(e => e.Detected), testedEdges.Count),
            duplicates);
    }

    /// <summary>The statements that a test could judge, with their Holm and Benjamini–Hochberg adjusted p-values; the others join <paramref name="untestable"/>.</summary>
    private static List<StatementResult> Corrected(List<ObservedStatement> testable, CiTestResult[] results, List<ObservedStatement> untestable)
    {
        var tested = Enumerable.Range(0, testable.Count).Where(i => results[i].IsTestable).ToList();
        foreach (var i in Enumerable.Range(0, testable.Count).Where(i => !results[i].IsTestable))
            untestable.Add(testable[i] with { Untestable = results[i].Untestable });
        var p = tested.Select(i => results[i].PValue).ToList();
        var holm = MultipleTesting.Holm(p);
        var bh = MultipleTesting.BenjaminiHochberg(p);
        return tested.Select((i, k) => new StatementResult(testable[i], results[i], holm[k], bh[k])).ToList();
    }

    /// <summary>Power on the edges: P ⟂ C | the other observed parents of C, which a test with power rejects.</summary>
    private static EdgeResult[] EdgePower(CausalGraph g, List<(int Parent, int Child)> edges, ISet<int> observed, Tester tester, AuditOptions options)
    {
        var given = edges.Select(e => g.Parents(e.Child).Where(q => q != e.Parent && observed.Contains(q)).ToList()).ToList();
        var results = tester.All(edges.Count, i => (edges[i].Parent, edges[i].Child, given[i]), options.Threads);
        return edges.Select((e, i) => new EdgeResult(g.Name(e.Parent), g.Name(e.Child), given[i].Select(g.Name).ToList(), results[i], results[i].RejectsAt(options.Alpha))).ToArray();
    }

    /// <summary>Model index → data column for the observed variables (not hidden, present in the data), and the names of the others.</summary>
    private sealed record ObservedColumns(Dictionary<int, int> Column, HashSet<int> Observed, List<string> Unobserved)
    {
        public static ObservedColumns Of(CausalModel model, DataTable data)
        {
            var column = new Dictionary<int, int>();
            var unobserved = new List<string>();
            for (var v = 0; v < model.Count; v++)
            {
                if (!model[v].Hidden && data.Contains(model[v].Name)) column[v] = data.IndexOf(model[v].Name);
                else unobserved.Add(model[v].Name);
            }
            return new ObservedColumns(column, new HashSet<int>(column.Keys), unobserved);
        }
    }

    /// <summary>One CI test applied to model-indexed statements, in parallel, with a shared progress count.</summary>
    private sealed class Tester(IConditionalIndependenceTest test, DataTable data, ObservedColumns columns, long total, Action<long, long>? progress)
    {
        private long _done;

        public CiTestResult Test(int x, int y, IReadOnlyList<int> z)
        {
            var zc = z.Select(v => columns.Column[v]).ToList();
            return test.Supports(data, columns.Column[x], columns.Column[y], zc)
                ? test.Test(data, columns.Column[x], columns.Column[y], zc)
                : CiTestResult.NotTestable(test.Name, data.RowCount, $"the {test.Name} test does not apply to these variable types");
        }

        /// <summary>Tests <paramref name="count"/> statements; result i belongs to statement i whatever the thread count.</summary>
        public CiTestResult[] All(int count, Func<int, (int X, int Y, IReadOnlyList<int> Z)> statement, int threads)
        {
            var results = new CiTestResult[count];
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
            {
                var (x, y, z) = statement(i);
                results[i] = Test(x, y, z);
                progress?.Invoke(Interlocked.Increment(ref _done), total);
            });
            return results;
        }
    }
}
