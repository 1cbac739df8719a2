using System.Text;
using HybridSynth.Lm.Gguf;
using HybridSynth.Scm.Errors;
using Microsoft.ML.Tokenizers;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Lm.Server;

/// <summary>
/// A model's own tokenizer, loaded locally with Microsoft.ML.Tokenizers, for servers that have no
/// tokenize endpoint. Accepted: a GPT-2-style byte-level BPE as <c>vocab.json</c> (with
/// <c>merges.txt</c> beside it) or a folder holding both; a SentencePiece <c>.model</c> (Llama family);
/// a <c>.tiktoken</c> file; or a GGUF file whose tokenizer is GPT-2 BPE (its tokens and merges are read
/// from the metadata). The BOS rule: SentencePiece models prepend BOS; others only when told (the
/// <c>bos</c> argument of <see cref="Load"/>), as llama.cpp does from the GGUF's <c>add_bos_token</c>.
/// </summary>
public sealed class LocalTokenizer
{
    private readonly Tokenizer _tokenizer;
    private readonly int? _bos;

    private LocalTokenizer(Tokenizer tokenizer, int? bos, string description)
    {
        _tokenizer = tokenizer;
        _bos = bos;
        Description = description;
    }

    /// <summary>What was loaded (for the manifest).</summary>
    public string Description { get; }

    /// <summary>Loads a tokenizer from vocab.json + merges.txt (or their folder), a SentencePiece .model, a .tiktoken file or a GGUF with a GPT-2 tokenizer; <paramref name="bos"/> overrides the beginning-of-sequence token.</summary>
    public static LocalTokenizer Load(string path, int? bos = null)
    {
        try
        {
            if (Directory.Exists(path)) return Bpe(Path.Combine(path, "vocab.json"), Path.Combine(path, "merges.txt"), bos);
            InputFileException.RequireFile(path, "no such tokenizer file");
            var name = Path.GetFileName(path).ToLowerInvariant();
            if (name.EndsWith(".json", StringComparison.Ordinal)) return Bpe(path, Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "merges.txt"), bos);
            if (name.EndsWith(".model", StringComparison.Ordinal))
            {
                using var s = File.OpenRead(path);
                return new LocalTokenizer(LlamaTokenizer.Create(s, addBeginOfSentence: false, addEndOfSentence: false), bos ?? 1, $"SentencePiece {Path.GetFileName(path)}");
            }
            if (name.EndsWith(".tiktoken", StringComparison.Ordinal))
                return new LocalTokenizer(TiktokenTokenizer.Create(path, null, null), bos, $"tiktoken {Path.GetFileName(path)}");
            if (name.EndsWith(".gguf", StringComparison.Ordinal)) return FromGguf(path);
            throw new SpecException(null, $"{path}: unknown tokenizer format; expected vocab.json (+ merges.txt), a folder with both, a SentencePiece .model, a .tiktoken file or a GGUF with a GPT-2 tokenizer");
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or ArgumentException or Newtonsoft.Json.JsonException or InvalidOperationException)
        {
            throw new SpecException(path, 1, 1, $"cannot read this tokenizer: {e.Message}");
        }
    }

    /// <summary>GPT-2's pre-tokenisation (contractions, letters, digits, other, whitespace not followed by a non-space), as llama.cpp applies it.</summary>
    private static readonly System.Text.RegularExpressions.Regex Gpt2Split = new(
        @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+", System.Text.RegularExpressions.RegexOptions.Compiled);

    private static LocalTokenizer Bpe(string vocab, string merges, int? bos)
    {
        InputFileException.RequireFile(vocab, "no such file (a BPE tokenizer needs vocab.json and merges.txt)");
        InputFileException.RequireFile(merges, "no such file (a BPE tokenizer needs vocab.json and merges.txt)");
        var v = JObject.Parse(File.ReadAllText(vocab)).Properties().Select(p => new KeyValuePair<string, int>(p.Name, p.Value.Value<int>()));
        var m = File.ReadAllLines(merges).Where(l => l.Length > 0 && !l.StartsWith("#version", StringComparison.Ordinal));
        return ByteLevel(v, m, bos, $"byte-level BPE {Path.GetFileName(vocab)}");
    }

    /// <summary>
    /// A byte-level BPE with GPT-2's pre-tokeniser. (Microsoft.ML.Tokenizers' CodeGen tokenizer merges a
    /// run of spaces before a word into one token, where GPT-2 and llama.cpp keep the last space with the
    /// word; the test over 3,000 strings caught it, so the regex pre-tokeniser is given explicitly.)
    /// </summary>
    private static LocalTokenizer ByteLevel(IEnumerable<KeyValuePair<string, int>> vocabulary, IEnumerable<string> merges, int? bos, string description)
    {
        var options = new BpeOptions(vocabulary)
        {
            Merges = merges.ToList(),
            ByteLevel = true,
            PreTokenizer = new RegexPreTokenizer(Gpt2Split, null),
        };
        return new LocalTokenizer(BpeTokenizer.Create(options), bos, description);
    }

    /// <summary>The GPT-2 BPE tokenizer stored in a GGUF file's metadata (tokens in GPT-2's byte-to-unicode spelling, and merges).</summary>
    public static LocalTokenizer FromGguf(string path)
    {
        var meta = GgufReader.ReadMetadata(path);
        var kind = meta.TryGetValue("tokenizer.ggml.model", out var k) ? k as string : null;
        if (kind != "gpt2") throw new SpecException(path, 1, 1, $"the GGUF tokenizer is '{kind ?? "missing"}'; only GPT-2 byte-level BPE can be read from a GGUF (give a SentencePiece .model for Llama-family tokenizers)");
        var tokens = ((object[])meta["tokenizer.ggml.tokens"]).Cast<string>().ToArray();
        var merges = meta.TryGetValue("tokenizer.ggml.merges", out var mm) ? ((object[])mm).Cast<string>().ToArray() : Array.Empty<string>();
        int? bos = null;
        if (meta.TryGetValue("tokenizer.ggml.add_bos_token", out var add) && add is true && meta.TryGetValue("tokenizer.ggml.bos_token_id", out var b)) bos = (int)(long)b;
        return ByteLevel(tokens.Select((t, i) => new KeyValuePair<string, int>(t, i)), merges, bos, $"byte-level BPE from {Path.GetFileName(path)}");
    }

    /// <summary>Token ids of <paramref name="text"/>, with BOS first when <paramref name="addSpecial"/> and the tokenizer has one.</summary>
    public int[] Tokenize(string text, bool addSpecial)
    {
        var ids = _tokenizer.EncodeToIds(text);
        if (addSpecial && _bos is { } b) return ids.Prepend(b).ToArray();
        return ids.ToArray();
    }

    /// <summary>The text of one token.</summary>
    public string Piece(int token) => _tokenizer.Decode(new[] { token }) ?? "";
}
