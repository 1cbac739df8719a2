using HybridSynth.HybridBridge.Data;
using HybridSynth.HybridBridge.Simulation;
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Tests.Support;

namespace HybridSynth.HybridBridge.Tests.Support;

/// <summary>Datasets drawn from Xu's data-generating processes (benchmarks/dags/xu_dgp*.json), the tests' common data.</summary>
public static class XuData
{
    /// <summary>n units of the spec (randomised by default), seeded.</summary>
    public static CausalData Dataset(int n, ulong seed, string spec = "xu_dgp_randomised.json")
    {
        var m = SpecLoader.Load(Paths.Dag(spec)).Model;
        return SimulationEngine.Dataset(m, TreatmentContrast.Resolve(m, null, null), n, 0, seed);
    }
}
