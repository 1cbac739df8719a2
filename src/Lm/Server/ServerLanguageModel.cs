using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using HybridSynth.Lm.Scoring;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Lm.Server;

/// <summary>How to reach an OpenAI-compatible inference server.</summary>
public sealed record ServerOptions
{
    /// <summary>The server's base address (for example http://gpu-node:8000); the API paths are /v1/… beneath it.</summary>
    public required Uri BaseUrl { get; init; }

    /// <summary>The model name the server serves (vLLM: the --served-model-name, or the model path).</summary>
    public required string Model { get; init; }

    /// <summary>The API key (sent only as an Authorization header; never written anywhere).</summary>
    public string? ApiKey { get; init; }

    /// <summary>The name of the environment variable the key came from (the only trace of it in a manifest).</summary>
    public string? ApiKeyVariable { get; init; }

    /// <summary>Requests in flight at once (1..256).</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>Limit for one request, retries not included.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Retries after a 429, a 5xx, a timeout, a dropped connection or an unreadable answer.</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>The first back-off (doubled each retry, at most 30 s) unless the server says Retry-After.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>A local tokenizer for a server without a tokenize endpoint (see <see cref="LocalTokenizer"/>).</summary>
    public string? TokenizerPath { get; init; }

    /// <summary>The context length to assume when the server does not report max_model_len.</summary>
    public int ContextSize { get; init; } = 4096;
}

/// <summary>
/// A language model behind an OpenAI-compatible completions server (vLLM; any server that returns
/// prompt log-probabilities). Chain-rule scores come from <c>POST /v1/completions</c> with the prompt
/// given as token ids, <c>echo: true</c>, <c>logprobs: 1</c> and <c>max_tokens: 1</c>: the echoed
/// <c>token_logprobs</c> are log p(token_i | tokens before i), and a candidate's score is the sum over
/// its own tokens. All candidates of a domain go in one request (a list of prompts). Token boundaries
/// come from the server's <c>POST /tokenize</c> (vLLM and llama.cpp's server have one) or from a local
/// tokenizer. Reference scoring (the published code's score) needs the whole next-token distribution,
/// which these servers do not return, and is refused. Generation uses <c>/v1/completions</c> with the
/// seed, temperature and, for a constraint, a GBNF <c>grammar</c> (llama.cpp's server) and
/// <c>guided_grammar</c>. Every request is retried with exponential back-off on 429 (honouring
/// Retry-After) and 5xx, and fails with one clear line after the last retry.
/// </summary>
public sealed class ServerLanguageModel : ILanguageModel
{
    private readonly ServerOptions _options;
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _inFlight;
    private readonly LocalTokenizer? _tokenizer;
    private readonly Dictionary<(string, bool), int[]> _tokens = new();
    private readonly object _gate = new();
    private long _requests, _retries, _decoded, _prompts;
    private bool _useServerTokenizer = true;

    /// <summary>A model behind an OpenAI-compatible server (<paramref name="options"/>: address, model name, tokenizer, concurrency, retries); <paramref name="handler"/> replaces the HTTP stack (tests).</summary>
    public ServerLanguageModel(ServerOptions options, HttpMessageHandler? handler = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        if (options.Concurrency is < 1 or > 256) throw new ArgumentOutOfRangeException(nameof(options), "the concurrency must be in 1..256");
        if (options.MaxRetries is < 0 or > 20) throw new ArgumentOutOfRangeException(nameof(options), "the retry count must be in 0..20");
        if (options.Timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), "the timeout must be positive");
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
        _inFlight = new SemaphoreSlim(options.Concurrency);
        if (options.TokenizerPath is not null) _tokenizer = LocalTokenizer.Load(options.TokenizerPath);
        var models = Send(HttpMethod.Get, "v1/models", null);
        var entry = (models["data"] as JArray)?.OfType<JObject>().FirstOrDefault(m => m.Value<string>("id") == options.Model);
        if (entry is null)
        {
            var served = (models["data"] as JArray)?.OfType<JObject>().Select(m => m.Value<string>("id")).ToList() ?? new List<string?>();
            throw new LanguageModelUnavailableException($"the server at {SafeUrl} does not serve a model named '{options.Model}' (it serves: {string.Join(", ", served)})");
        }
        ContextSize = entry.Value<int?>("max_model_len") ?? options.ContextSize;
        var revision = entry.Value<string>("revision") ?? entry.Value<string>("root") ?? entry.Value<string>("owned_by") ?? "";
        Identity = new ModelIdentity("server", options.Model, $"{options.Model}@{revision}", new SortedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["url"] = SafeUrl,
            ["model"] = options.Model,
            ["server_model"] = entry.ToString(Formatting.None),
            ["concurrency"] = options.Concurrency,
            ["timeout_seconds"] = options.Timeout.TotalSeconds,
            ["max_retries"] = options.MaxRetries,
            ["api_key_variable"] = options.ApiKeyVariable,
            ["tokenizer"] = _tokenizer?.Description ?? "the server's /tokenize",
            ["context"] = ContextSize,
        });
    }

    /// <summary>The base URL without user information, query or fragment (what may be written down).</summary>
    public string SafeUrl => new UriBuilder(_options.BaseUrl) { UserName = "", Password = "", Query = "", Fragment = "" }.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/');

    /// <inheritdoc />
    public ModelIdentity Identity { get; }
    /// <inheritdoc />
    public int ContextSize { get; }

    /// <summary>HTTP requests sent and retried.</summary>
    public (long Requests, long Retries) Traffic { get { lock (_gate) return (_requests, _retries); } }

    /// <inheritdoc />
    public LanguageModelStatistics Statistics
    {
        get { lock (_gate) return new LanguageModelStatistics { TokensDecoded = _decoded, PromptsScored = _prompts, Decodes = _requests }; }
    }

    /// <inheritdoc />
    public int[] Tokenize(string text, bool addSpecial)
    {
        if (_tokenizer is not null) return _tokenizer.Tokenize(text, addSpecial);
        lock (_gate)
            if (_tokens.TryGetValue((text, addSpecial), out var cached)) return cached;
        if (!_useServerTokenizer) throw new LanguageModelUnavailableException($"the server at {SafeUrl} has no /tokenize endpoint; give a local tokenizer (--lm-tokenizer PATH)");
        JObject answer;
        try
        {
            answer = Send(HttpMethod.Post, "tokenize", new JObject { ["model"] = _options.Model, ["prompt"] = text, ["add_special_tokens"] = addSpecial });
        }
        catch (ServerRefusedException e) when (e.Status == HttpStatusCode.NotFound)
        {
            _useServerTokenizer = false;
            throw new LanguageModelUnavailableException($"the server at {SafeUrl} has no /tokenize endpoint; give a local tokenizer (--lm-tokenizer PATH)");
        }
        var tokens = (answer["tokens"] as JArray)?.Select(t => t.Value<int>()).ToArray()
                     ?? throw new LanguageModelUnavailableException($"the server at {SafeUrl} answered /tokenize without a 'tokens' list");
        lock (_gate) _tokens[(text, addSpecial)] = tokens;
        return tokens;
    }

    /// <inheritdoc />
    public string Piece(int token)
    {
        if (_tokenizer is not null) return _tokenizer.Piece(token);
        var answer = Send(HttpMethod.Post, "detokenize", new JObject { ["model"] = _options.Model, ["tokens"] = new JArray(token) });
        return answer.Value<string>("prompt") ?? "";
    }

    /// <inheritdoc />
    public double[] Score(string prompt, IReadOnlyList<string> candidates, ScoringMode mode, IReadOnlyList<int>? segments = null)
    {
        if (mode != ScoringMode.ChainRule)
            throw new LanguageModelUnavailableException("reference scoring needs the whole next-token distribution after each value, which an OpenAI-compatible server does not return; use --scoring chain_rule with --lm-server");
        if (_tokenizer is null)
        {
            // The 1 + K tokenisations a domain needs, sent concurrently (they are cached for ContinuationTokens).
            var texts = candidates.Select(c => prompt + c).Prepend(prompt).ToArray();
            try
            {
                Parallel.ForEach(texts, new ParallelOptions { MaxDegreeOfParallelism = _options.Concurrency }, t => Tokenize(t, addSpecial: true));
            }
            catch (AggregateException e)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
        }
        var tokens = ContinuationTokens.Of(this, prompt, candidates, mode);
        var sequences = tokens.Candidates.Select(c => tokens.Context.Concat(c).ToArray()).ToArray();
        var longest = sequences.Max(s => s.Length);
        if (longest + 1 > ContextSize) throw new InvalidOperationException($"the prompt and a candidate ({longest} tokens) do not fit the server's context of {ContextSize}");
        var body = new JObject
        {
            ["model"] = _options.Model,
            ["prompt"] = new JArray(sequences.Select(s => new JArray(s))),
            ["echo"] = true,
            ["logprobs"] = 1,
            ["max_tokens"] = 1,
            ["temperature"] = 0,
        };
        var answer = Send(HttpMethod.Post, "v1/completions", body);
        var choices = answer["choices"] as JArray ?? throw Malformed("no 'choices'");
        if (choices.Count != sequences.Length) throw Malformed($"{choices.Count} choices for {sequences.Length} prompts");
        var scores = new double[sequences.Length];
        foreach (var choice in choices.OfType<JObject>())
        {
            var index = choice.Value<int?>("index") ?? throw Malformed("a choice without an index");
            if (index < 0 || index >= sequences.Length) throw Malformed($"a choice index {index} out of range");
            var logprobs = choice["logprobs"]?["token_logprobs"] as JArray;
            if (logprobs is null || logprobs.Count < sequences[index].Length)
                throw new LanguageModelUnavailableException($"the server at {SafeUrl} returned no prompt log-probabilities (scoring needs /v1/completions with echo and logprobs, as vLLM serves them; llama.cpp's server does not return them)");
            var sum = 0.0;
            for (var i = tokens.Context.Length; i < sequences[index].Length; i++)
            {
                var lp = logprobs[i];
                if (lp.Type is not (JTokenType.Float or JTokenType.Integer)) throw Malformed($"a prompt log-probability at position {i} is {lp.Type}");
                sum += lp.Value<double>();
            }
            scores[index] = sum;
        }
        lock (_gate) { _prompts++; _decoded += sequences.Sum(s => s.Length); }
        return scores;
    }

    /// <summary>Several domains at once: up to <see cref="ServerOptions.Concurrency"/> requests in flight; results in request order.</summary>
    public double[][] ScoreMany(IReadOnlyList<ScoreRequest> requests)
    {
        var results = new double[requests.Count][];
        var errors = new Exception?[requests.Count];
        Parallel.For(0, requests.Count, new ParallelOptions { MaxDegreeOfParallelism = _options.Concurrency }, i =>
        {
            try { results[i] = Score(requests[i].Prompt, requests[i].Candidates, requests[i].Mode, requests[i].Segments); }
            catch (Exception e) { errors[i] = e; }
        });
        var first = errors.FirstOrDefault(e => e is not null);
        if (first is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
        return results;
    }

    /// <inheritdoc />
    public string Generate(string prompt, GenerationRequest request)
    {
        var answer = Send(HttpMethod.Post, "v1/completions", GenerationBody("prompt", prompt, request));
        var text = (answer["choices"] as JArray)?.FirstOrDefault()?["text"];
        return text?.Type == JTokenType.String ? text.Value<string>()! : throw Malformed("no generated text");
    }

    /// <inheritdoc />
    /// <remarks>
    /// Sent to the server's <c>v1/chat/completions</c>, which applies the served model's own chat template; a grammar
    /// travels as <c>grammar</c> (llama.cpp's server) and <c>guided_grammar</c> (vLLM).
    /// </remarks>
    public string Chat(IReadOnlyList<ChatMessage> messages, GenerationRequest request)
    {
        var input = new JArray(messages.Select(m => new JObject { ["role"] = m.Role, ["content"] = m.Content }));
        var answer = Send(HttpMethod.Post, "v1/chat/completions", GenerationBody("messages", input, request));
        var text = (answer["choices"] as JArray)?.FirstOrDefault()?["message"]?["content"];
        return text?.Type == JTokenType.String ? text.Value<string>()! : throw Malformed("no message content");
    }

    /// <summary>A generation request's body: the model, its input under <paramref name="key"/>, the budget, temperature and seed, and the grammar (as <c>grammar</c> and <c>guided_grammar</c>).</summary>
    private JObject GenerationBody(string key, JToken input, GenerationRequest request)
    {
        if (request.MaxTokens < 1) throw new ArgumentOutOfRangeException(nameof(request), "the token budget must be ≥ 1");
        var body = new JObject
        {
            ["model"] = _options.Model,
            [key] = input,
            ["max_tokens"] = request.MaxTokens,
            ["temperature"] = Math.Max(0, request.Temperature),
            ["seed"] = request.Seed,
        };
        if (request.Gbnf is { } gbnf)
        {
            body["grammar"] = gbnf;
            body["guided_grammar"] = gbnf;
        }
        return body;
    }

    private LanguageModelUnavailableException Malformed(string what) => new($"the server at {SafeUrl} gave an answer that cannot be used: {what}");

    /// <summary>One API call with retries; the parsed JSON object of a 2xx answer.</summary>
    private JObject Send(HttpMethod method, string path, JObject? body)
    {
        var uri = new Uri(_options.BaseUrl.ToString().TrimEnd('/') + "/" + path);
        var payload = body?.ToString(Formatting.None);
        string? last = null;
        var backoff = _options.InitialBackoff;
        for (var attempt = 0; attempt <= _options.MaxRetries; attempt++)
        {
            if (attempt > 0) lock (_gate) _retries++;
            TimeSpan? wait = null;
            _inFlight.Wait();
            try
            {
                lock (_gate) _requests++;
                using var message = new HttpRequestMessage(method, uri);
                if (payload is not null) message.Content = new StringContent(payload, Encoding.UTF8, "application/json");
                if (!string.IsNullOrEmpty(_options.ApiKey)) message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
                using var cts = new CancellationTokenSource(_options.Timeout);
                // The async path blocked on: HttpClient's synchronous Send is not supported by every handler (TestHost's).
                using var response = _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cts.Token).GetAwaiter().GetResult();
                var text = response.Content.ReadAsStringAsync(cts.Token).GetAwaiter().GetResult();
                var status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    try
                    {
                        if (JToken.Parse(text) is JObject o) return o;
                        last = $"{path} answered JSON that is not an object";
                    }
                    catch (JsonException)
                    {
                        last = $"{path} answered malformed JSON";
                    }
                }
                else if (status == 429 || status >= 500)
                {
                    last = $"{path} answered {status} {response.ReasonPhrase}";
                    wait = RetryAfter(response);
                }
                else
                {
                    throw new ServerRefusedException(response.StatusCode, $"the server at {SafeUrl} refused {path}: {status} {response.ReasonPhrase}{Detail(text)}");
                }
            }
            catch (OperationCanceledException)
            {
                last = $"{path} did not answer within {_options.Timeout.TotalSeconds:0.#} s";
            }
            catch (IOException)
            {
                last = $"{path}: the connection was dropped";
            }
            catch (HttpRequestException e)
            {
                last = $"{path} could not be reached ({e.HttpRequestError})";
            }
            finally
            {
                _inFlight.Release();
            }
            if (attempt < _options.MaxRetries)
            {
                Thread.Sleep(wait ?? backoff);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
        throw new LanguageModelUnavailableException($"the server at {SafeUrl} failed after {_options.MaxRetries + 1} tries: {last}");
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var r = response.Headers.RetryAfter;
        if (r?.Delta is { } d) return d < TimeSpan.FromMinutes(5) ? d : TimeSpan.FromMinutes(5);
        if (r?.Date is { } when)
        {
            var delta = when - DateTimeOffset.UtcNow;
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta < TimeSpan.FromMinutes(5) ? delta : TimeSpan.FromMinutes(5);
        }
        return null;
    }

    /// <summary>The first line of an error body, short, with nothing that looks like a credential.</summary>
    private string Detail(string body)
    {
        var line = body.Split('\n', 2)[0].Trim();
        if (line.Length == 0) return "";
        if (!string.IsNullOrEmpty(_options.ApiKey)) line = line.Replace(_options.ApiKey, "***", StringComparison.Ordinal);
        return " (" + (line.Length > 200 ? line[..200] + "…" : line) + ")";
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _http.Dispose();
        _inFlight.Dispose();
    }

    /// <summary>A 4xx other than 429: the request itself is wrong, so it is not retried.</summary>
    private sealed class ServerRefusedException(HttpStatusCode status, string message) : LanguageModelUnavailableException(message)
    {
        public HttpStatusCode Status { get; } = status;
    }
}
