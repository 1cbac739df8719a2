using HybridSynth.Scm.Errors;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Scm.IO;

/// <summary>Turns Newtonsoft.Json line information into located errors.</summary>
public static class JsonLocations
{
    public static SourceLocation Locate(string file, JToken token)
    {
        var info = (IJsonLineInfo)token;
        return info.HasLineInfo()
            ? new SourceLocation(file, info.LineNumber, Math.Max(1, info.LinePosition))
            : new SourceLocation(file, 1, 1);
    }

    public static SpecException Error(string file, JToken token, string message) => new(Locate(file, token), message);

    /// <summary>Parses JSON text keeping line information; syntax errors become located <see cref="SpecException"/>s.</summary>
    public static JObject ParseObject(string text, string file)
    {
        try
        {
            using var reader = new JsonTextReader(new StringReader(text));
            var token = JToken.ReadFrom(reader, new JsonLoadSettings
            {
                LineInfoHandling = LineInfoHandling.Load,
                DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error,
                CommentHandling = CommentHandling.Ignore,
            });
            while (reader.Read())
            {
                if (reader.TokenType != JsonToken.Comment)
                    throw new SpecException(file, reader.LineNumber, Math.Max(1, reader.LinePosition), "unexpected content after the top-level JSON object");
            }
            if (token is not JObject obj) throw Error(file, token, "expected a JSON object at the top level");
            return obj;
        }
        catch (JsonReaderException e)
        {
            var message = e.Message;
            var cut = message.IndexOf(" Path '", StringComparison.Ordinal);
            if (cut < 0) cut = message.IndexOf(", line ", StringComparison.Ordinal);
            if (cut > 0) message = message[..cut].TrimEnd('.', ',');
            throw new SpecException(file, Math.Max(1, e.LineNumber), Math.Max(1, e.LinePosition), "invalid JSON: " + message);
        }
    }
}
