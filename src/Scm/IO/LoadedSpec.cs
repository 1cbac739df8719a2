using HybridSynth.Scm.Model;

namespace HybridSynth.Scm.IO;

/// <summary>A model together with where it came from: the path (or <c>builtin:NAME</c>, <c>bnlearn:NAME</c>), format and SHA-256 of the bytes read.</summary>
public sealed record LoadedSpec(CausalModel Model, string Path, string Format, string Sha256);
