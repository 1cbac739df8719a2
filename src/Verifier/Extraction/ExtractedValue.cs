namespace HybridSynth.Verifier.Extraction;

/// <summary>What extraction says of one variable: a value (a state code or a number), "missing" (no mention) or "conflict" (two different values).</summary>
public sealed record ExtractedValue(ExtractionStatus Status, double Value, string? Text)
{
    /// <summary>No mention of the variable.</summary>
    public static readonly ExtractedValue Missing = new(ExtractionStatus.Missing, double.NaN, null);
    /// <summary>Two different values were found; <paramref name="found"/> quotes them.</summary>
    public static ExtractedValue Conflict(string found) => new(ExtractionStatus.Conflict, double.NaN, found);
}

/// <summary>What extraction found for one variable.</summary>
public enum ExtractionStatus
{
    /// <summary>One value.</summary>
    Value,
    /// <summary>No mention.</summary>
    Missing,
    /// <summary>Two different values.</summary>
    Conflict,
}
