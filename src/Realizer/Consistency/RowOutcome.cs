using HybridSynth.Realizer.Realizers;
using HybridSynth.Verifier.Extraction;

namespace HybridSynth.Realizer.Consistency;

/// <summary>One skeleton row after realization: the final text, what was extracted from it, the attempts used, and whether it agrees with the skeleton.</summary>
public sealed record RowOutcome(long Unit, IReadOnlyList<double> Skeleton, string Text, IReadOnlyList<ExtractedValue> Extracted, int Rounds, bool Consistent, IReadOnlyList<Correction> Corrections);
