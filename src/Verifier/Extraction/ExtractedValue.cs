namespace HybridSynth.Verifier.Extraction;

/// <summary>What extraction says of one variable: a value (a state code or a number), "missing" (no mention) or "conflict" (two different values).</summary>
public sealed record ExtractedValue(ExtractionStatus Status, double Value, string? Text)
{
    public static readonly ExtractedValue Missing = new(ExtractionStatus.Missing, double.NaN, null);
    public static ExtractedValue Conflict(string found) => new(ExtractionStatus.Conflict, double.NaN, found);
}

public enum ExtractionStatus { Value, Missing, Conflict }
