namespace HybridSynth.Scm.Mechanisms;

/// <summary>
/// Marks a mechanism whose evaluations are cheaper when the units that share all earlier values are
/// evaluated together and one such group is finished before the next begins (a language model with a
/// prefix cache: each group's shared text is decoded once). When a model has one, the sampler visits
/// each chunk depth first (see <see cref="Sampling.AncestralSampler"/>). Every mechanism is a pure
/// function of its parents and noise, so the order changes the cost, never the values.
/// </summary>
public interface IDepthFirstEvaluation;
