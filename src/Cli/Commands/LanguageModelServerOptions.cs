using System.CommandLine;
using HybridSynth.Lm.Server;

namespace HybridSynth.Cli.Commands;

/// <summary>The server-backend half of the language-model options (the rest is in LanguageModelOptions.cs).</summary>
public sealed partial class LanguageModelCliOptions
{
    /// <summary>The server backend's settings from --lm-server, --lm-model, --lm-concurrency, --lm-timeout, --lm-retries, --api-key-env, --lm-tokenizer and --context, checked.</summary>
    private ServerOptions ServerOptionsFrom(ParseResult r, string server)
    {
        var name = r.GetValue(ServerModel) ?? throw new UsageException("--lm-server needs --lm-model NAME (the model name the server serves)");
        if (!Uri.TryCreate(server, UriKind.Absolute, out var url) || (url.Scheme != "http" && url.Scheme != "https"))
            throw new UsageException($"--lm-server must be an http:// or https:// URL; found '{server}'");
        var concurrency = r.GetValue(Concurrency);
        if (concurrency is < 1 or > 256) throw new UsageException($"--lm-concurrency must be in 1..256; found {concurrency}");
        var timeout = r.GetValue(Timeout);
        if (!(timeout > 0) || timeout > 86400) throw new UsageException($"--lm-timeout must be in (0, 86400] seconds; found {timeout}");
        var retries = r.GetValue(Retries);
        if (retries is < 0 or > 20) throw new UsageException($"--lm-retries must be in 0..20; found {retries}");
        string? key = null;
        var variable = r.GetValue(ApiKeyVariable);
        if (variable is not null)
        {
            key = Environment.GetEnvironmentVariable(variable);
            if (string.IsNullOrEmpty(key)) throw new UsageException($"--api-key-env {variable}: that environment variable is not set");
        }
        return new ServerOptions
        {
            BaseUrl = url,
            Model = name,
            ApiKey = key,
            ApiKeyVariable = variable,
            Concurrency = concurrency,
            Timeout = TimeSpan.FromSeconds(timeout),
            MaxRetries = retries,
            TokenizerPath = r.GetValue(Tokenizer),
            ContextSize = r.GetValue(Context),
        };
    }
}
