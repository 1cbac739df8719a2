namespace HybridSynth.Realizer.Realizers;

/// <summary>A targeted correction fed back to a realizer: the note must state <see cref="Expected"/> for a variable; it currently says <see cref="Found"/>.</summary>
public sealed record Correction(int Variable, string Name, string Expected, string Found)
{
    /// <summary>The expected value as a clause ("the chest X-ray is normal"), from a realization file; null: "NAME is EXPECTED".</summary>
    public string? Fact { get; init; }

    /// <summary>The sentence a correction prompt uses for this fact.</summary>
    public string Instruction => $"The note must state that {Fact ?? Name + " is " + Expected}; it currently says {Found}.";
}

/// <summary>
/// Turns one skeleton row (values by model variable index) into text; the round counts attempts from 1.
/// Without corrections a call is a fresh attempt; with corrections it is a revision that must state the corrected facts.
/// </summary>
public interface IRealizer
{
    /// <summary>The realizer's name, as reports print it.</summary>
    string Name { get; }
    /// <summary>The note for one unit: <paramref name="values"/> by model variable index; <paramref name="corrections"/> empty for a fresh attempt, otherwise the facts the revision must state; <paramref name="round"/> counts attempts from 1.</summary>
    string Realize(long unit, IReadOnlyList<double> values, IReadOnlyList<Correction> corrections, int round);
}

/// <summary>
/// A realizer that revises its own note: given the previous note and only the facts it contradicts or leaves out, it
/// returns the whole note with those facts put right (a chat with an instruct model). The loop uses it from the second
/// round on; rejection sampling still calls <see cref="IRealizer.Realize"/> for fresh attempts.
/// </summary>
public interface IRevisingRealizer : IRealizer
{
    /// <summary>The revised note of one unit: <paramref name="previous"/> with <paramref name="contradicted"/> (this round's violations only) put right.</summary>
    string Revise(long unit, IReadOnlyList<double> values, string previous, IReadOnlyList<Correction> contradicted, int round);
}
