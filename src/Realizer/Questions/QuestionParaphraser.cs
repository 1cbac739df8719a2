using HybridSynth.Lm;
using HybridSynth.Scm.Randomness;

namespace HybridSynth.Realizer.Questions;

/// <summary>
/// Optional verbalization of causal questions by a language model: each question is reworded in a chat (the model's
/// chat template; a system prompt asking to keep every condition, intervention, state and number), seeded by
/// (seed, question id). The paraphrase is written beside the exact wording, never instead of it: the answer belongs to
/// the exact wording, and a paraphrase that changed the question's meaning would otherwise go unnoticed. A reply that is
/// empty or runs past one line is cut to its first line; an empty one is kept as the empty string (the model declined).
/// </summary>
public sealed class QuestionParaphraser(ILanguageModel model, ulong seed, double temperature = 0.7, int maxTokens = 96)
{
    /// <summary>The system message of every rewording.</summary>
    public const string SystemPrompt =
        "Reword the user's question the way a clinician would ask it. Keep every condition, intervention, hypothetical, " +
        "variable, state and number exactly; do not answer it. Reply with the reworded question only, on one line.";

    /// <summary>The questions, each with its <see cref="CausalQuestion.Paraphrase"/>.</summary>
    public IReadOnlyList<CausalQuestion> Paraphrase(IReadOnlyList<CausalQuestion> questions, Action<long>? progress = null)
    {
        var result = new List<CausalQuestion>(questions.Count);
        foreach (var q in questions)
        {
            var messages = new[] { ChatMessage.System(SystemPrompt), ChatMessage.User(q.Question) };
            var prompt = model.Tokenize(model.ChatPrompt(messages), true).Length;
            var budget = Math.Min(maxTokens, model.ContextSize - prompt);
            if (budget < 1) throw new ContextOverflowException($"question {q.Id} does not fit the model's context of {model.ContextSize} tokens ({prompt} in its prompt)");
            var s = (uint)(CounterNoise.Mix(Seeds.Realizer(seed, "paraphrase", 0) + (ulong)q.Id) & 0xFFFFFFFF);
            var reply = model.Chat(messages, new GenerationRequest(budget, s, temperature)).Trim();
            var line = reply.Split('\n', 2)[0].Trim();
            result.Add(q with { Paraphrase = line });
            progress?.Invoke(result.Count);
        }
        return result;
    }
}
