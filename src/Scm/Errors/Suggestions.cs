namespace HybridSynth.Scm.Errors;

/// <summary>"Did you mean" hints for unknown names: candidates equal ignoring case, starting with the name, or within an edit distance of about a third of its length (at most 3).</summary>
public static class Suggestions
{
    /// <summary>" (did you mean A or B?)", or "" when nothing is close.</summary>
    public static string DidYouMean(string name, IEnumerable<string> candidates)
    {
        var limit = Math.Clamp(name.Length / 3, 1, 3);
        var close = candidates
            .Select(c => (c, d: string.Equals(c, name, StringComparison.OrdinalIgnoreCase) ? 0
                : c.StartsWith(name, StringComparison.OrdinalIgnoreCase) && name.Length >= 2 ? 1
                : Distance(name.ToLowerInvariant(), c.ToLowerInvariant())))
            .Where(x => x.d <= limit && x.c != name)
            .OrderBy(x => x.d).ThenBy(x => x.c, StringComparer.Ordinal)
            .Take(3).Select(x => x.c).ToList();
        return close.Count == 0 ? "" : $" (did you mean {string.Join(" or ", close)}?)";
    }

    /// <summary>Edit distance with adjacent transpositions counted as one edit (optimal string alignment).</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
