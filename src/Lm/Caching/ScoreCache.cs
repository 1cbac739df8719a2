using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Lm.Caching;

/// <summary>
/// A persistent cache of domain scores on disk, shared between runs and processes: one small file per
/// (model identity, scoring mode, prompt, domain), named by the SHA-256 of that key, under
/// <c>DIR/&lt;model key hash&gt;/&lt;2 hex&gt;/</c>. Each file is written to a temporary name and renamed
/// into place, so a reader sees a whole entry or none, and an interrupted run leaves nothing partial;
/// a later run finds what was already scored and asks the model only for the rest. Entries store the
/// full key and the scores in round-trip form, and an entry whose key does not match (a hash
/// collision, a damaged file) is ignored and rewritten.
/// </summary>
public sealed class ScoreCache
{
    private long _hits, _misses, _writes, _damaged;

    /// <summary>A cache rooted at <paramref name="directory"/> (its folders are created on the first write); one file per model, mode, prompt and candidate list.</summary>
    public ScoreCache(string directory)
    {
        if (string.IsNullOrWhiteSpace(directory)) throw new ArgumentException("the score cache needs a directory", nameof(directory));
        Directory = Path.GetFullPath(directory);
    }

    /// <summary>The cache's folder.</summary>
    public string Directory { get; }

    /// <summary>Lookups answered from the cache.</summary>
    public long Hits => Interlocked.Read(ref _hits);
    /// <summary>Lookups not in the cache.</summary>
    public long Misses => Interlocked.Read(ref _misses);
    /// <summary>Entries written.</summary>
    public long Writes => Interlocked.Read(ref _writes);
    /// <summary>Entries found damaged (unreadable or not matching their key) and ignored.</summary>
    public long Damaged => Interlocked.Read(ref _damaged);

    private static string Hash(string s) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s)));

    private static string Key(string model, ScoringMode mode, string prompt, IReadOnlyList<string> candidates) =>
        $"{model}\u0001{mode}\u0001{prompt}\u0001{string.Join("\u0002", candidates)}";

    private string PathOf(string model, string key)
    {
        var h = Hash(key);
        return Path.Combine(Directory, Hash(model)[..16], h[..2], h + ".json");
    }

    /// <summary>The cached scores of <paramref name="candidates"/> after <paramref name="prompt"/> for that model and mode, if present and intact.</summary>
    public bool TryGet(string model, ScoringMode mode, string prompt, IReadOnlyList<string> candidates, out double[] scores)
    {
        var key = Key(model, mode, prompt, candidates);
        var path = PathOf(model, key);
        scores = Array.Empty<double>();
        if (!File.Exists(path)) { Interlocked.Increment(ref _misses); return false; }
        try
        {
            var o = JObject.Parse(File.ReadAllText(path));
            if (o.Value<string>("key") != key || o["scores"] is not JArray a || a.Count != candidates.Count)
            {
                Interlocked.Increment(ref _damaged);
                Interlocked.Increment(ref _misses);
                return false;
            }
            scores = a.Select(x => double.Parse(x.Value<string>()!, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
            Interlocked.Increment(ref _hits);
            return true;
        }
        catch (Exception e) when (e is IOException or Newtonsoft.Json.JsonException or FormatException or UnauthorizedAccessException or ArgumentNullException)
        {
            Interlocked.Increment(ref _damaged);
            Interlocked.Increment(ref _misses);
            return false;
        }
    }

    /// <summary>Stores the scores atomically (a temporary file renamed into place), so a reader never sees a half-written entry.</summary>
    public void Put(string model, ScoringMode mode, string prompt, IReadOnlyList<string> candidates, IReadOnlyList<double> scores)
    {
        var key = Key(model, mode, prompt, candidates);
        var path = PathOf(model, key);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var o = new JObject { ["key"] = key, ["scores"] = new JArray(scores.Select(s => s.ToString("R", CultureInfo.InvariantCulture))) };
        var temp = path + $".tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            File.WriteAllText(temp, o.ToString(Newtonsoft.Json.Formatting.None));
            File.Move(temp, path, overwrite: true);
            Interlocked.Increment(ref _writes);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}

/// <summary>Any <see cref="ILanguageModel"/> with a <see cref="ScoreCache"/> in front of its scores (generation is passed through).</summary>
public sealed class CachedLanguageModel(ILanguageModel inner, ScoreCache cache) : ILanguageModel
{
    /// <summary>The model whose scores are cached.</summary>
    public ILanguageModel Inner { get; } = inner;
    /// <summary>The cache in front of it.</summary>
    public ScoreCache Cache { get; } = cache;
    /// <inheritdoc />
    public ModelIdentity Identity => Inner.Identity;
    /// <inheritdoc />
    public int ContextSize => Inner.ContextSize;
    /// <inheritdoc />
    public LanguageModelStatistics Statistics => Inner.Statistics;
    /// <inheritdoc />
    public int[] Tokenize(string text, bool addSpecial) => Inner.Tokenize(text, addSpecial);
    /// <inheritdoc />
    public string Piece(int token) => Inner.Piece(token);
    /// <inheritdoc />
    public string Generate(string prompt, GenerationRequest request) => Inner.Generate(prompt, request);
    /// <inheritdoc />
    public string ChatPrompt(IReadOnlyList<ChatMessage> messages) => Inner.ChatPrompt(messages);
    /// <inheritdoc />
    public string Chat(IReadOnlyList<ChatMessage> messages, GenerationRequest request) => Inner.Chat(messages, request);

    /// <inheritdoc />
    public double[] Score(string prompt, IReadOnlyList<string> candidates, ScoringMode mode, IReadOnlyList<int>? segments = null)
    {
        if (Cache.TryGet(Identity.CacheKey, mode, prompt, candidates, out var cached)) return cached;
        var scores = Inner.Score(prompt, candidates, mode, segments);
        Cache.Put(Identity.CacheKey, mode, prompt, candidates, scores);
        return scores;
    }

    /// <inheritdoc />
    public double[][] ScoreMany(IReadOnlyList<ScoreRequest> requests)
    {
        var results = new double[requests.Count][];
        var missing = new List<int>();
        for (var i = 0; i < requests.Count; i++)
        {
            if (Cache.TryGet(Identity.CacheKey, requests[i].Mode, requests[i].Prompt, requests[i].Candidates, out var cached)) results[i] = cached;
            else missing.Add(i);
        }
        if (missing.Count == 0) return results;
        var scored = Inner.ScoreMany(missing.Select(i => requests[i]).ToList());
        for (var j = 0; j < missing.Count; j++)
        {
            var r = requests[missing[j]];
            Cache.Put(Identity.CacheKey, r.Mode, r.Prompt, r.Candidates, scored[j]);
            results[missing[j]] = scored[j];
        }
        return results;
    }

    /// <inheritdoc />
    public void Dispose() => Inner.Dispose();
}
