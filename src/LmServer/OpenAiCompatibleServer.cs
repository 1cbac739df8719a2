using System.Collections.Concurrent;
using System.Text;
using HybridSynth.Lm;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Http;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace HybridSynth.LmServer;

/// <summary>
/// The subset of the OpenAI completions API (and vLLM's tokenize endpoints) that HybridSynth's server
/// backend uses, served over any local <see cref="ILanguageModel"/> that can give prompt
/// log-probabilities: <c>GET /v1/models</c>; <c>POST /tokenize</c> and <c>/detokenize</c>;
/// <c>POST /v1/completions</c> with <c>echo</c> + <c>logprobs</c> (prompt log-probabilities of one or
/// several prompts, given as text or token ids; nothing is generated) or without (generation with
/// seed, temperature, <c>max_tokens</c> and an optional GBNF <c>grammar</c>). It is the in-process
/// server of the tests and the benchmark, and a way to put a GGUF model behind a port for several
/// HybridSynth processes. <see cref="Faults"/> injects failures for tests. Requests for one model are
/// answered one at a time (the model serialises its own use).
/// </summary>
public sealed class OpenAiCompatibleServer(ILanguageModel model, string name, string? apiKey = null)
{
    /// <summary>The model served.</summary>
    public ILanguageModel Model { get; } = model;
    /// <summary>The model name the server reports in /v1/models.</summary>
    public string Name { get; } = name;

    /// <summary>Planned failures, consumed one per request in order.</summary>
    public ConcurrentQueue<Fault> Faults { get; } = new();

    /// <summary>Requests answered, by path.</summary>
    public ConcurrentDictionary<string, int> Requests { get; } = new();

    /// <summary>The Authorization headers seen (for the test that keys are sent as headers only).</summary>
    public ConcurrentBag<string> AuthorizationHeaders { get; } = new();

    /// <summary>When set, every request fails as if the server were down (the connection is aborted).</summary>
    public volatile bool Down;

    /// <summary>The server goes down (as <see cref="Down"/>) once it has received this many requests.</summary>
    public long DownAfterRequests = long.MaxValue;

    private long _total;

    /// <summary>Adds the endpoints to an application.</summary>
    public void Map(IApplicationBuilder app)
    {
        app.Run(async context =>
        {
            var path = context.Request.Path.Value ?? "";
            Requests.AddOrUpdate(path, 1, (_, n) => n + 1);
            if (context.Request.Headers.Authorization.Count > 0) AuthorizationHeaders.Add(context.Request.Headers.Authorization.ToString());
            if (Interlocked.Increment(ref _total) > Interlocked.Read(ref DownAfterRequests)) Down = true;
            if (Down) { context.Abort(); return; }
            if (Faults.TryDequeue(out var fault))
            {
                switch (fault.Kind)
                {
                    case FaultKind.ServerError:
                        context.Response.StatusCode = 500;
                        await context.Response.WriteAsync("internal error");
                        return;
                    case FaultKind.TooManyRequests:
                        context.Response.StatusCode = 429;
                        context.Response.Headers.RetryAfter = fault.Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                        return;
                    case FaultKind.Delay:
                        await Task.Delay(TimeSpan.FromSeconds(fault.Seconds), context.RequestAborted).ContinueWith(_ => { });
                        break;
                    case FaultKind.MalformedJson:
                        context.Response.ContentType = "application/json";
                        await context.Response.WriteAsync("{\"choices\": [");
                        return;
                    case FaultKind.Abort:
                        context.Abort();
                        return;
                }
            }
            if (apiKey is not null && context.Request.Headers.Authorization.ToString() != "Bearer " + apiKey)
            {
                context.Response.StatusCode = 401;
                await context.Response.WriteAsync("{\"error\": \"invalid API key\"}");
                return;
            }
            string body;
            using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8)) body = await reader.ReadToEndAsync();
            JObject answer;
            try
            {
                var request = body.Length == 0 ? new JObject() : JObject.Parse(body);
                answer = path switch
                {
                    "/v1/models" => Models(),
                    "/tokenize" => new JObject { ["tokens"] = new JArray(Model.Tokenize(request.Value<string>("prompt") ?? "", request.Value<bool?>("add_special_tokens") ?? true)) },
                    "/detokenize" => new JObject { ["prompt"] = string.Concat((request["tokens"] as JArray ?? new JArray()).Select(t => Model.Piece(t.Value<int>()))) },
                    "/v1/completions" => Completions(request),
                    "/v1/chat/completions" => ChatCompletions(request),
                    _ => throw new KeyNotFoundException(path),
                };
            }
            catch (KeyNotFoundException)
            {
                context.Response.StatusCode = 404;
                await context.Response.WriteAsync("{\"error\": \"not found\"}");
                return;
            }
            catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or NotSupportedException or FormatException)
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsync(new JObject { ["error"] = e.Message }.ToString(Formatting.None));
                return;
            }
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.ToString(Formatting.None));
        });
    }

    private JObject Models() => new()
    {
        ["object"] = "list",
        ["data"] = new JArray(new JObject
        {
            ["id"] = Name,
            ["object"] = "model",
            ["root"] = Model.Identity.Digest,
            ["max_model_len"] = Model.ContextSize,
        }),
    };

    private JObject Completions(JObject request)
    {
        if (request.Value<string>("model") != Name) throw new ArgumentException($"unknown model '{request.Value<string>("model")}'");
        var prompts = Prompts(request["prompt"]);
        var choices = new JArray();
        if (request.Value<bool?>("echo") == true && request["logprobs"] is { Type: not JTokenType.Null })
        {
            if (Model is not IPromptLogProbabilities lp) throw new NotSupportedException("this model gives no prompt log-probabilities");
            for (var i = 0; i < prompts.Count; i++)
            {
                var values = lp.PromptLogProbabilities(prompts[i]);
                choices.Add(new JObject
                {
                    ["index"] = i,
                    ["text"] = string.Concat(prompts[i].Select(Model.Piece)),
                    ["logprobs"] = new JObject { ["token_logprobs"] = new JArray(values.Select(v => double.IsNaN(v) ? JValue.CreateNull() : new JValue(v))) },
                    ["finish_reason"] = "length",
                });
            }
        }
        else
        {
            var prompt = request["prompt"]?.Type == JTokenType.String ? request.Value<string>("prompt")! : string.Concat(prompts[0].Select(Model.Piece));
            var text = Model.Generate(prompt, Generation(request));
            choices.Add(new JObject { ["index"] = 0, ["text"] = text, ["finish_reason"] = "stop" });
        }
        return new JObject { ["object"] = "text_completion", ["model"] = Name, ["choices"] = choices };
    }

    /// <summary>A chat completion: the messages through the model's chat template (<see cref="ILanguageModel.Chat"/>).</summary>
    private JObject ChatCompletions(JObject request)
    {
        if (request.Value<string>("model") != Name) throw new ArgumentException($"unknown model '{request.Value<string>("model")}'");
        if (request["messages"] is not JArray { Count: > 0 } list) throw new ArgumentException("the request has no messages");
        var messages = list.Select(m => new ChatMessage(m.Value<string>("role") ?? throw new ArgumentException("a message has no role"),
            m.Value<string>("content") ?? throw new ArgumentException("a message has no content"))).ToList();
        var text = Model.Chat(messages, Generation(request));
        var message = new JObject { ["role"] = "assistant", ["content"] = text };
        return new JObject { ["object"] = "chat.completion", ["model"] = Name, ["choices"] = new JArray(new JObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = "stop" }) };
    }

    /// <summary>A request's generation settings: max_tokens (default 16), seed, temperature (default 1) and a GBNF grammar.</summary>
    private static GenerationRequest Generation(JObject request) => new(request.Value<int?>("max_tokens") ?? 16, (uint)(request.Value<long?>("seed") ?? 0),
        request.Value<double?>("temperature") ?? 1.0, Grammar: request.Value<string>("grammar"));

    /// <summary>A prompt as text, token ids, or a list of either.</summary>
    private List<int[]> Prompts(JToken? prompt) => prompt switch
    {
        { Type: JTokenType.String } => new List<int[]> { Model.Tokenize(prompt.Value<string>()!, true) },
        JArray a when a.Count > 0 && a.All(x => x.Type == JTokenType.Integer) => new List<int[]> { a.Select(x => x.Value<int>()).ToArray() },
        JArray a => a.Select(x => x.Type == JTokenType.String ? Model.Tokenize(x.Value<string>()!, true)
            : x is JArray ids ? ids.Select(i => i.Value<int>()).ToArray() : throw new ArgumentException("a prompt must be text or token ids")).ToList(),
        _ => throw new ArgumentException("the request has no prompt"),
    };

    /// <summary>Starts it with Kestrel (on loopback unless another host is given); returns the running application and its base URL.</summary>
    public (WebApplication App, Uri Url) StartOnLoopback(int port = 0, string host = "127.0.0.1")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://{host}:{port}");
        var app = builder.Build();
        Map(app);
        app.StartAsync().GetAwaiter().GetResult();
        var address = app.Urls.First();
        return (app, new Uri(address));
    }
}

/// <summary>The kinds of failure the test server can inject.</summary>
public enum FaultKind
{
    /// <summary>HTTP 500.</summary>
    ServerError,
    /// <summary>HTTP 429 with Retry-After.</summary>
    TooManyRequests,
    /// <summary>A delay before answering.</summary>
    Delay,
    /// <summary>A truncated JSON answer.</summary>
    MalformedJson,
    /// <summary>An aborted connection.</summary>
    Abort,
}

/// <summary>One injected failure: a 500, a 429 with Retry-After, a delay (seconds) before answering, a truncated JSON answer, or an aborted connection.</summary>
public sealed record Fault(FaultKind Kind, double Seconds = 0);
