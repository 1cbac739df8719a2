// The README's "Use from C#" example, compiled and run by ReadmeCSharpExampleTests: the README shows the body of Body, a top-level program.
using HybridSynth.Scm.Inference;
using HybridSynth.Scm.Interventions;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Sampling;
using HybridSynth.Scm.Tables;
using HybridSynth.Verifier.Audit;

namespace HybridSynth.Verifier.Tests;

public static class ReadmeCSharpExample
{
    public static (double[] Dysp, double Ate, double FalsePositiveRate) Run(TextWriter output)
    {
        var console = Console.Out;
        Console.SetOut(output);
        try { return Body(); }
        finally { Console.SetOut(console); }
    }

    private static (double[] Dysp, double Ate, double FalsePositiveRate) Body()
    {
        // README:BEGIN
        var model = SpecLoader.Load("builtin:asia").Model;

        // Exact P(dysp | do(smoke = yes)) by variable elimination.
        var smoke = model.IndexOf("smoke");
        var smokeYes = new HardIntervention(smoke, model[smoke].Categorical.States.ToList().IndexOf("yes"));
        var dysp = new VariableElimination(model.Intervene(smokeYes)).Query(model.IndexOf("dysp"));
        Console.WriteLine($"P(dysp = yes | do(smoke = yes)) = {dysp[0]:0.000000}");

        // The exact ATE of smoking on dyspnoea, naming the contrast.
        var contrast = TreatmentContrast.Resolve(model, "smoke", "dysp", treated: "yes", control: "no", eventState: "yes");
        var ate = ExactEffects.AverageTreatmentEffect(model, contrast);
        Console.WriteLine($"ATE ({contrast.Describe(model)}) = {ate.Effect:0.000000}");

        // 20,000 seeded units, then the audit of the independences the DAG implies.
        var units = new AncestralSampler(model, seed: 7).SampleRange(0, 20_000);
        var table = DataTable.FromColumns(model.Variables, units.Columns);
        var audit = IndependenceAudit.Run(model, table, new AuditOptions { Alpha = 0.05 });
        Console.WriteLine($"{audit.Statements.Count} statements tested, false-positive rate {audit.FalsePositiveRate.Rate:0.000}");
        // README:END
        return (dysp, ate.Effect, audit.FalsePositiveRate.Rate);
    }
}
