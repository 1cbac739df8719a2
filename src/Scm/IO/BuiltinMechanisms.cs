using HybridSynth.Scm.Mechanisms;

namespace HybridSynth.Scm.IO;

/// <summary>Builds a mechanism from its JSON spec; throws <see cref="Errors.SpecException"/> on bad input.</summary>
public delegate IMechanism MechanismReader(MechanismReadContext context);

/// <summary>
/// The built-in mechanism kinds a JSON spec may name in <c>"mechanism": {"type": …}</c>, keyed by name.
/// Immutable: other kinds (the language-model mechanism bound to a loaded model) are passed to the
/// reader per call (<see cref="JsonSpecReader.Read"/>'s <c>readers</c>), so there is no global state.
/// </summary>
public static class BuiltinMechanisms
{
    /// <summary>The readers of the built-in mechanism kinds of the JSON spec, by kind (cpt, linear_gaussian, logistic, formula).</summary>
    public static IReadOnlyDictionary<string, MechanismReader> Readers { get; } = new Dictionary<string, MechanismReader>(StringComparer.Ordinal)
    {
        ["cpt"] = StandardMechanismReaders.Cpt,
        ["linear_gaussian"] = StandardMechanismReaders.LinearGaussian,
        ["logistic"] = StandardMechanismReaders.Logistic,
        ["formula"] = FormulaMechanismReader.Read,
    }.AsReadOnly();

    /// <summary>The built-in kinds, sorted.</summary>
    public static IReadOnlyList<string> Kinds { get; } = Readers.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
}
