using System.Globalization;
using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.Interventions;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Randomness;
using HybridSynth.Verifier.Extraction;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Realizer.Questions;

/// <summary>One question with its exact answer.</summary>
/// <param name="Id">Its position in the set.</param>
/// <param name="Rung">1 association, 2 intervention, 3 counterfactual.</param>
/// <param name="Kind">conditional, association, do, ate, effect, ett, counterfactual, counterfactual-yes-no.</param>
/// <param name="Form">numeric or yes-no.</param>
/// <param name="Question">The question in words.</param>
/// <param name="Answer">A probability (or difference), or 1 for yes and 0 for no.</param>
/// <param name="Estimand">The quantity, in notation: P(Y=y | X=x), P(Y=y | do(X=x)), P(Y_{X=x}=y | X=x', Y=y').</param>
/// <param name="Treatment">X.</param>
/// <param name="Outcome">Y.</param>
/// <param name="Supporting">The quantities the answer is computed from.</param>
public sealed record CausalQuestion(int Id, int Rung, string Kind, string Form, string Question, double Answer, string Estimand, string Treatment, string Outcome, JObject Supporting)
{
    /// <summary>The rung's name.</summary>
    public string RungName => Rung switch { 1 => "association", 2 => "intervention", _ => "counterfactual" };

    /// <summary>A language model's rewording of <see cref="Question"/> (<see cref="QuestionParaphraser"/>), kept beside it; null when none was asked for.</summary>
    public string? Paraphrase { get; init; }

    /// <summary>The question as a JSON Lines record (numeric answers also rounded to 4 decimals as <c>answer</c>; the full value is <c>exact</c>).</summary>
    public JObject ToJson()
    {
        var o = new JObject
        {
            ["id"] = Id, ["rung"] = Rung, ["rung_name"] = RungName, ["kind"] = Kind, ["form"] = Form, ["question"] = Question,
            ["answer"] = Form == "yes-no" ? (Answer == 1 ? "yes" : "no") : Math.Round(Answer, 4),
            ["exact"] = Answer, ["estimand"] = Estimand, ["treatment"] = Treatment, ["outcome"] = Outcome, ["supporting"] = Supporting,
        };
        if (Paraphrase is not null) o.Property("question")!.AddAfterSelf(new JProperty("paraphrase", Paraphrase));
        return o;
    }
}

/// <summary>
/// Causal questions with exact answers on all three rungs of the ladder, from any discrete model: P(Y | X) by variable
/// elimination, P(Y | do(X)) and effects on the mutilated model, and counterfactuals P(Y_x | X = x', Y = y') from the twin
/// network of the model's own structural equations (<see cref="ExactCounterfactuals"/>). Variables and states are drawn
/// from the seed; half the outcomes are drawn among the treatment's descendants, so that both zero and non-zero effects
/// occur; yes/no questions alternate their answer (yes, no, …) by redrawing up to 200 times, so the set is balanced.
/// Worded with the realization file's fact clauses when there is one.
/// </summary>
public sealed class CausalQuestions
{
    private static readonly string[] Kinds = ["conditional", "association", "do", "ate", "effect", "ett", "counterfactual", "counterfactual-yes-no"];
    private readonly CausalModel _model;
    private readonly TextLexicon _lexicon;
    private readonly VariableElimination _exact;
    private readonly int[] _candidates;

    /// <summary>Questions about <paramref name="lexicon"/>'s model.</summary>
    /// <exception cref="ModelException">The model has fewer than two visible categorical variables.</exception>
    public CausalQuestions(TextLexicon lexicon)
    {
        _lexicon = lexicon;
        _model = lexicon.Model;
        _exact = new VariableElimination(_model);
        _candidates = Enumerable.Range(0, _model.Count).Where(v => !_model[v].Hidden && _model[v].IsCategorical).ToArray();
        if (_candidates.Length < 2) throw new ModelException($"questions need at least two visible categorical variables; '{_model.Name}' has {_candidates.Length}");
    }

    /// <summary>The kinds of question, in the order they cycle.</summary>
    public static IReadOnlyList<string> KindNames => Kinds;

    /// <summary><paramref name="count"/> questions from <paramref name="seed"/>; kinds cycle through <see cref="KindNames"/>; <paramref name="progress"/> hears the count done.</summary>
    public IReadOnlyList<CausalQuestion> Generate(int count, ulong seed, Action<long>? progress = null)
    {
        var key = Seeds.Questions(seed);
        var list = new List<CausalQuestion>();
        var draw = new long[1];
        var yesNo = 0;
        for (var id = 0; id < count; id++)
        {
            var kind = Kinds[id % Kinds.Length];
            var wantYes = kind is "association" or "effect" or "counterfactual-yes-no" ? yesNo++ % 2 == 0 : (bool?)null;
            CausalQuestion? chosen = null;
            for (var attempt = 0; attempt < 200; attempt++)
            {
                var q = Draw(id, kind, key, draw);
                if (q is null) continue;
                chosen ??= q;
                if (wantYes is null || (q.Answer == 1) == wantYes) { chosen = q; break; }
            }
            if (chosen is null) throw new ModelException($"no answerable {kind} question found in '{_model.Name}' after 200 draws");
            list.Add(chosen);
            progress?.Invoke(id + 1);
        }
        return list;
    }

    private CausalQuestion? Draw(int id, string kind, ulong key, long[] draw)
    {
        double U() => CounterNoise.Uniform(key, draw[0]++);
        int Pick(int n) => Math.Min(n - 1, (int)(U() * n));
        var x = _candidates[Pick(_candidates.Length)];
        var descendants = _model.Graph.Descendants(x).Where(v => _candidates.Contains(v)).ToArray();
        var others = _candidates.Where(v => v != x).ToArray();
        var y = descendants.Length > 0 && U() < 0.5 ? descendants[Pick(descendants.Length)] : others[Pick(others.Length)];
        int kx = _model[x].Cardinality, ky = _model[y].Cardinality;
        var x1 = Pick(kx);
        var x0 = (x1 + 1 + Pick(kx - 1)) % kx;
        var yv = Pick(ky);
        var y0 = Pick(ky);
        string X(int s) => $"{_model[x].Name}={_model[x].Format(s)}";
        string Y(int s) => $"{_model[y].Name}={_model[y].Format(s)}";
        try
        {
            switch (kind)
            {
                case "conditional":
                {
                    var p = _exact.Query(y, new Dictionary<int, int> { [x] = x1 })[yv];
                    return Make(1, "numeric", $"Among {Subject} for whom {Fact(x, x1)}, what is the probability that {Fact(y, yv)}?", p,
                        $"P({Y(yv)} | {X(x1)})", new JObject { [$"P({Y(yv)} | {X(x1)})"] = p });
                }
                case "association":
                {
                    var p1 = _exact.Query(y, new Dictionary<int, int> { [x] = x1 })[yv];
                    var p0 = _exact.Query(y, new Dictionary<int, int> { [x] = x0 })[yv];
                    return Make(1, "yes-no", $"Is it more likely that {Fact(y, yv)} among {Subject} for whom {Fact(x, x1)} than among those for whom {Fact(x, x0)}?",
                        p1 > p0 + 1e-12 ? 1 : 0, $"P({Y(yv)} | {X(x1)}) > P({Y(yv)} | {X(x0)})", new JObject { [$"P({Y(yv)} | {X(x1)})"] = p1, [$"P({Y(yv)} | {X(x0)})"] = p0 });
                }
                case "do":
                {
                    var p = Do(y, x, x1)[yv];
                    return Make(2, "numeric", $"If we intervened so that {Fact(x, x1)} for every one of the {Subject}, what would be the probability that {Fact(y, yv)}?", p,
                        $"P({Y(yv)} | do({X(x1)}))", new JObject { [$"P({Y(yv)} | do({X(x1)}))"] = p });
                }
                case "ate" or "effect":
                {
                    var p1 = Do(y, x, x1)[yv];
                    var p0 = Do(y, x, x0)[yv];
                    var support = new JObject { [$"P({Y(yv)} | do({X(x1)}))"] = p1, [$"P({Y(yv)} | do({X(x0)}))"] = p0, ["causal_path"] = descendants.Contains(y) };
                    return kind == "ate"
                        ? Make(2, "numeric", $"By how much would the probability that {Fact(y, yv)} change if we made it so that {Fact(x, x1)} rather than {Fact(x, x0)}? (a difference of probabilities)",
                            p1 - p0, $"P({Y(yv)} | do({X(x1)})) − P({Y(yv)} | do({X(x0)}))", support)
                        : Make(2, "yes-no", $"Would making it so that {Fact(x, x1)} rather than {Fact(x, x0)} make it more likely that {Fact(y, yv)}?",
                            p1 > p0 + 1e-12 ? 1 : 0, $"P({Y(yv)} | do({X(x1)})) > P({Y(yv)} | do({X(x0)}))", support);
                }
                case "ett":
                {
                    var p = ExactCounterfactuals.Query(_model, y, x, x1, new Dictionary<int, int> { [x] = x0 })[yv];
                    return Make(3, "numeric", $"Among {Subject} for whom {Fact(x, x0)}, what would the probability be that {Fact(y, yv)}, had it instead been that {Fact(x, x1)}?", p,
                        $"P({_model[y].Name}_{{{X(x1)}}}={_model[y].Format(yv)} | {X(x0)})", new JObject { ["factual"] = _exact.Query(y, new Dictionary<int, int> { [x] = x0 })[yv] });
                }
                default:
                {
                    var evidence = new Dictionary<int, int> { [x] = x0, [y] = y0 };
                    var p = ExactCounterfactuals.Query(_model, y, x, x1, evidence)[yv];
                    var estimand = $"P({_model[y].Name}_{{{X(x1)}}}={_model[y].Format(yv)} | {X(x0)}, {Y(y0)})";
                    var text = $"Consider one of the {Subject} for whom {Fact(x, x0)} and {Fact(y, y0)}.";
                    return kind == "counterfactual"
                        ? Make(3, "numeric", $"{text} Had it instead been that {Fact(x, x1)}, what is the probability that {Fact(y, yv)}?", p, estimand, new JObject { [estimand] = p })
                        : Make(3, "yes-no", $"{text} Had it instead been that {Fact(x, x1)}, is it more likely than not that {Fact(y, yv)}?", p > 0.5 ? 1 : 0, estimand + " > 0.5", new JObject { [estimand] = p });
                }
            }
        }
        catch (ModelException)
        {
            return null; // evidence of probability zero: draw again
        }

        CausalQuestion Make(int rung, string form, string question, double answer, string estimand, JObject support) =>
            new(id, rung, kind, form, question, answer, estimand, _model[x].Name, _model[y].Name, support);
    }

    private string Subject => _lexicon.Phrasebook?.Subject ?? "units";

    private double[] Do(int y, int x, int state) => ExactEffects.Interventional(_model, y, new Dictionary<int, int>(), [new HardIntervention(x, state)]);

    private string Fact(int v, int state)
    {
        var e = _lexicon.Entries[v];
        return e.Phrasing is { } p ? p.Facts[state] : $"{e.Aliases[0]} is {_model[v].Format(state)}";
    }

    /// <summary>Counts by rung and by yes/no answer, for the manifest.</summary>
    public static JObject Summary(IReadOnlyList<CausalQuestion> questions) => new()
    {
        ["by_rung"] = new JObject(questions.GroupBy(q => q.RungName).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new JProperty(g.Key, g.Count()))),
        ["yes"] = questions.Count(q => q.Form == "yes-no" && q.Answer == 1),
        ["no"] = questions.Count(q => q.Form == "yes-no" && q.Answer == 0),
        ["numeric"] = questions.Count(q => q.Form == "numeric"),
    };

    /// <summary>An answer as text (for printing).</summary>
    public static string Format(CausalQuestion q) => q.Form == "yes-no" ? (q.Answer == 1 ? "yes" : "no") : q.Answer.ToString("0.####", CultureInfo.InvariantCulture);
}
