using System.Globalization;
using System.Text;
using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Graph;
using HybridSynth.Scm.Mechanisms;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Variables;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Scm.IO;

/// <summary>
/// Writes a discrete model in the Bayesian Interchange Format that <see cref="BifReader"/> reads (bnlearn's dialect):
/// every variable categorical, every mechanism a table over categorical parents (a CPT, or any categorical mechanism,
/// tabulated). Probabilities are written in round-trip form, so reading the file gives the same tables to the bit.
/// </summary>
public static class BifWriter
{
    /// <summary>The BIF text of <paramref name="model"/>; a <see cref="ModelException"/> naming the first variable BIF cannot hold.</summary>
    public static string Write(CausalModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var sb = new StringBuilder();
        sb.Append("network ").Append(Word(model.Name, "the network's name")).Append(" {\n}\n");
        foreach (var v in model.Variables)
        {
            if (!v.IsCategorical) throw new ModelException($"'{v.Name}' is continuous; BIF holds discrete networks only (write a .json spec instead)");
            sb.Append("variable ").Append(Word(v.Name, "a variable name")).Append(" {\n  type discrete [ ").Append(v.Cardinality.ToString(CultureInfo.InvariantCulture))
                .Append(" ] { ").Append(string.Join(", ", v.Categorical.States.Select(s => Word(s, $"a state of '{v.Name}'")))).Append(" };\n}\n");
        }
        for (var i = 0; i < model.Count; i++)
        {
            var (parents, cards, table) = ModelTables.Of(model, i);
            var k = model[i].Cardinality;
            sb.Append("probability ( ").Append(model[i].Name);
            if (parents.Count > 0) sb.Append(" | ").Append(string.Join(", ", parents.Select(p => model[p].Name)));
            sb.Append(" ) {\n");
            if (parents.Count == 0)
                sb.Append("  table ").Append(Row(table, 0, k)).Append(";\n");
            else
            {
                var rows = table.Length / k;
                var codes = new int[parents.Count];
                for (var r = 0; r < rows; r++)
                {
                    var rem = r;
                    for (var j = parents.Count - 1; j >= 0; j--) { codes[j] = rem % cards[j]; rem /= cards[j]; }
                    sb.Append("  (").Append(string.Join(", ", codes.Select((c, j) => model[parents[j]].Categorical.States[c]))).Append(") ").Append(Row(table, r * k, k)).Append(";\n");
                }
            }
            sb.Append("}\n");
        }
        return sb.ToString();
    }

    private static string Row(double[] table, int start, int k) =>
        string.Join(", ", Enumerable.Range(start, k).Select(j => table[j].ToString("R", CultureInfo.InvariantCulture)));

    private static string Word(string s, string what) =>
        s.Length > 0 && s.All(c => !char.IsWhiteSpace(c) && ",;(){}[]|".IndexOf(c) < 0) ? s
            : throw new ModelException($"{what} '{s}' cannot be written in BIF (it has a space or one of , ; ( ) {{ }} [ ] |)");
}

/// <summary>The conditional tables of a discrete model's variables, as BIF and the JSON spec store them.</summary>
public static class ModelTables
{
    /// <summary>Free parameters of a discrete model: Σ (K − 1) · Π parent cardinalities; null when a variable or a parent is continuous.</summary>
    public static long? FreeParameters(CausalModel m)
    {
        ArgumentNullException.ThrowIfNull(m);
        long total = 0;
        for (var v = 0; v < m.Count; v++)
        {
            if (!m[v].IsCategorical || m.Graph.Parents(v).Any(p => !m[p].IsCategorical)) return null;
            total += (m[v].Cardinality - 1) * m.Graph.Parents(v).Aggregate(1L, (a, p) => a * m[p].Cardinality);
        }
        return total;
    }

    /// <summary>
    /// Variable <paramref name="v"/>'s parents (in its mechanism's order), their cardinalities and its table: one row of K
    /// probabilities per parent configuration, the last parent fastest. A CPT gives its own table; any other categorical
    /// mechanism over categorical parents is tabulated.
    /// </summary>
    public static (IReadOnlyList<int> Parents, int[] Cardinalities, double[] Table) Of(CausalModel model, int v)
    {
        var mechanism = model.Mechanisms[v] as ICategoricalMechanism;
        if (mechanism is null || mechanism.Cardinality == 0)
            throw new ModelException($"'{model[v].Name}' has a {model.Mechanisms[v].Kind} mechanism with no probability table; only discrete tables can be written here");
        var parents = mechanism.Parents;
        var cards = parents.Select(p => model[p].IsCategorical ? model[p].Cardinality
            : throw new ModelException($"'{model[v].Name}' has the continuous parent '{model[p].Name}'; its table cannot be written")).ToArray();
        var rows = cards.Aggregate(1L, (a, b) => a * b);
        if (rows * mechanism.Cardinality > 50_000_000) throw new ModelException($"the table of '{model[v].Name}' would have {rows * mechanism.Cardinality:N0} entries");
        var table = new double[rows * mechanism.Cardinality];
        mechanism.Tabulate(cards, table);
        return (parents, cards, table);
    }
}

/// <summary>
/// Writes a model as a JSON spec (<c>hybridsynth-scm/1</c>) that <see cref="JsonSpecReader"/> reads back to the same model:
/// names, descriptions, roles, hidden flags, event states and phrasings of the variables, and their mechanisms — CPTs (any
/// categorical mechanism over categorical parents, tabulated), linear-Gaussian and logistic. A formula or language-model
/// mechanism over continuous parents cannot be written and is refused with its name.
/// </summary>
public static class JsonSpecWriter
{
    /// <summary>The JSON spec text of <paramref name="model"/> (indented, a final newline).</summary>
    public static string Write(CausalModel model, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var variables = new JArray();
        for (var i = 0; i < model.Count; i++)
        {
            var v = model[i];
            var o = new JObject { ["name"] = v.Name };
            if (v.Description is not null) o["description"] = v.Description;
            if (v.IsCategorical) o["states"] = new JArray(v.Categorical.States);
            else o["type"] = "continuous";
            if (v.Role != VariableRole.None) o["role"] = v.Role == VariableRole.Treatment ? "treatment" : "outcome";
            if (v.Hidden) o["hidden"] = true;
            if (v.EventState is not null) o["event"] = v.EventState;
            if (v.Phrasings.Count > 0) o["phrasings"] = new JArray(v.Phrasings.Select(p => new JObject { ["prefix"] = p.Prefix, ["suffix"] = p.Suffix }));
            var mechanism = model.Mechanisms[i];
            o["parents"] = new JArray(mechanism.Parents.Select(p => model[p].Name));
            o["mechanism"] = Mechanism(model, i, mechanism);
            variables.Add(o);
        }
        var spec = new JObject { ["format"] = "hybridsynth-scm/1", ["name"] = model.Name };
        if (description is not null) spec["description"] = description;
        spec["variables"] = variables;
        // Indented, with every flat array (a table row, a state list, parents) on one line.
        var text = System.Text.RegularExpressions.Regex.Replace(spec.ToString(Formatting.Indented), @"\[\s*([^\[\]{}]*?)\s*\]",
            m => "[" + System.Text.RegularExpressions.Regex.Replace(m.Groups[1].Value, @",\s+", ", ") + "]");
        return text + "\n";
    }

    private static JObject Mechanism(CausalModel model, int v, IMechanism mechanism)
    {
        string Parent(int p) => model[p].Name;
        switch (mechanism)
        {
            case LinearGaussianMechanism g:
                return new JObject
                {
                    ["type"] = "linear_gaussian", ["intercept"] = g.Intercept,
                    ["weights"] = new JObject(g.Parents.Select((p, j) => new JProperty(Parent(p), g.Weights[j]))), ["sd"] = g.Sigma,
                };
            case LogisticMechanism l:
                return new JObject
                {
                    ["type"] = "logistic", ["intercept"] = l.Intercept,
                    ["weights"] = new JObject(l.Parents.Select((p, j) => new JProperty(Parent(p), l.Weights[j]))),
                };
            case ICategoricalMechanism { Cardinality: > 0 }:
                var (_, _, table) = ModelTables.Of(model, v);
                var k = model[v].Cardinality;
                return new JObject
                {
                    ["type"] = "cpt",
                    ["table"] = new JArray(Enumerable.Range(0, table.Length / k).Select(r => new JArray(table.Skip(r * k).Take(k).Cast<object>().ToArray()))),
                };
            default:
                throw new ModelException($"'{model[v].Name}' has a {mechanism.Kind} mechanism, which this writer cannot express (it writes CPTs, linear-Gaussian and logistic mechanisms)");
        }
    }
}

/// <summary>Graph exports: Graphviz DOT, GML, and an adjacency matrix as CSV (row = parent, column = child).</summary>
public static class GraphFormats
{
    /// <summary>The export formats by file extension.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".dot", ".gml", ".csv"];

    /// <summary>A Graphviz digraph named <paramref name="name"/>, nodes in index order, edges parent → child.</summary>
    public static string Dot(CausalGraph g, string name)
    {
        var sb = new StringBuilder("digraph ").Append(Quote(name)).Append(" {\n");
        foreach (var n in g.Names) sb.Append("  ").Append(Quote(n)).Append(";\n");
        foreach (var (p, c) in g.Edges()) sb.Append("  ").Append(Quote(g.Name(p))).Append(" -> ").Append(Quote(g.Name(c))).Append(";\n");
        return sb.Append("}\n").ToString();
    }

    /// <summary>A directed GML graph: node ids are the indices, labels the names.</summary>
    public static string Gml(CausalGraph g, string name)
    {
        var sb = new StringBuilder("graph [\n  directed 1\n  label ").Append(Quote(name)).Append('\n');
        for (var i = 0; i < g.Count; i++) sb.Append("  node [ id ").Append(i.ToString(CultureInfo.InvariantCulture)).Append(" label ").Append(Quote(g.Name(i))).Append(" ]\n");
        foreach (var (p, c) in g.Edges())
            sb.Append("  edge [ source ").Append(p.ToString(CultureInfo.InvariantCulture)).Append(" target ").Append(c.ToString(CultureInfo.InvariantCulture)).Append(" ]\n");
        return sb.Append("]\n").ToString();
    }

    /// <summary>The adjacency matrix as CSV with a header: cell (row P, column C) is 1 when P → C.</summary>
    public static string AdjacencyCsv(CausalGraph g)
    {
        var sb = new StringBuilder();
        sb.Append(string.Join(",", new[] { "" }.Concat(g.Names).Select(CsvTableWriter.Quote))).Append('\n');
        for (var p = 0; p < g.Count; p++)
            sb.Append(CsvTableWriter.Quote(g.Name(p))).Append(',').Append(string.Join(",", Enumerable.Range(0, g.Count).Select(c => g.HasEdge(p, c) ? "1" : "0"))).Append('\n');
        return sb.ToString();
    }

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
