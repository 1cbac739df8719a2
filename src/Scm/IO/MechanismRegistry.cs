using System.Collections.Concurrent;
using HybridSynth.Scm.Mechanisms;

namespace HybridSynth.Scm.IO;

/// <summary>Builds a mechanism from its JSON spec; throws <see cref="Errors.SpecException"/> on bad input.</summary>
public delegate IMechanism MechanismReader(MechanismReadContext context);

/// <summary>
/// The mechanism kinds a JSON spec may name in <c>"mechanism": {"type": …}</c>, keyed by name. The
/// built-in kinds are registered here; other assemblies (the language-model runtime) add theirs
/// with <see cref="Register"/> before reading specs.
/// </summary>
public static class MechanismRegistry
{
    private static readonly ConcurrentDictionary<string, MechanismReader> Readers = new(StringComparer.Ordinal)
    {
        ["cpt"] = StandardMechanismReaders.Cpt,
        ["linear_gaussian"] = StandardMechanismReaders.LinearGaussian,
        ["logistic"] = StandardMechanismReaders.Logistic,
        ["formula"] = FormulaMechanismReader.Read,
    };

    public static void Register(string type, MechanismReader reader)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        Readers[type] = reader ?? throw new ArgumentNullException(nameof(reader));
    }

    public static bool TryGet(string type, out MechanismReader reader) => Readers.TryGetValue(type, out reader!);

    public static IReadOnlyList<string> Kinds => Readers.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
}
