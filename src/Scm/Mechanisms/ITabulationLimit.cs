namespace HybridSynth.Scm.Mechanisms;

/// <summary>
/// A categorical mechanism whose probability rows are expensive (a language model: one scoring per
/// parent configuration). Exact inference tabulates it only when the number of parent
/// configurations is at most <see cref="MaxConfigurations"/>; otherwise it refuses and Monte Carlo is used.
/// </summary>
public interface ITabulationLimit
{
    /// <summary>The most parent configurations that exact inference may tabulate.</summary>
    long MaxConfigurations { get; }
}
