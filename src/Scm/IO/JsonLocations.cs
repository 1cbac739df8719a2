using HybridSynth.Scm.Errors;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Scm.IO;

/// <summary>Turns Newtonsoft.Json line information into located errors.</summary>
public static class JsonLocations
{
    /// <summary>
    /// The position of the first character of <paramref name="token"/>. Newtonsoft.Json records the
    /// position just after a primitive value and after the colon of a property; those are moved back
    /// by the token's JSON length (exact for strings and plain numbers, and for names written without
    /// space before the colon).
    /// </summary>
    public static SourceLocation Locate(string file, JToken token)
    {
        var info = (IJsonLineInfo)token;
        if (!info.HasLineInfo()) return new SourceLocation(file, 1, 1);
        var col = info.LinePosition;
        col = token switch
        {
            JProperty p => col - JsonConvert.ToString(p.Name).Length,
            JValue v => col - v.ToString(Formatting.None).Length + 1,
            _ => col,
        };
        return new SourceLocation(file, info.LineNumber, Math.Max(1, col));
    }

    /// <summary>A <see cref="SpecException"/> at the line and column of <paramref name="token"/> in <paramref name="file"/>.</summary>
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
