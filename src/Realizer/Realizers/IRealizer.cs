namespace HybridSynth.Realizer.Realizers;

/// <summary>A targeted correction fed back to a realizer: the note must state <see cref="Expected"/> for a variable; it currently says <see cref="Found"/>.</summary>
public sealed record Correction(int Variable, string Name, string Expected, string Found)
{
    public string Instruction => $"The note must state that {Name} is {Expected}; it currently says {Found}.";
}

/// <summary>
/// Turns one skeleton row (values by model variable index) into text; the round counts attempts from 1.
/// Without corrections a call is a fresh attempt; with corrections it is a revision that must state the corrected facts.
/// </summary>
public interface IRealizer
{
    string Name { get; }
    string Realize(long unit, IReadOnlyList<double> values, IReadOnlyList<Correction> corrections, int round);
}
