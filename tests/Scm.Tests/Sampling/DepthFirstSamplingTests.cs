using HybridSynth.Scm.Inference;
using HybridSynth.Scm.Interventions;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Mechanisms;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Sampling;
using HybridSynth.Scm.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.Scm.Tests.Sampling;

/// <summary>Depth-first and joint (several worlds at once) sampling give exactly the column-wise values.</summary>
public class DepthFirstSamplingTests
{
    /// <summary>A CPT that asks for depth-first evaluation and records the batch sizes it was given.</summary>
    private sealed class DepthFirstCpt(ICategoricalMechanism inner) : ICategoricalMechanism, IDepthFirstEvaluation
    {
        public List<int> Batches { get; } = new();
        public string Kind => inner.Kind;
        public IReadOnlyList<int> Parents => inner.Parents;
        public int NoiseDimension => inner.NoiseDimension;
        public NoiseKind NoiseKind => inner.NoiseKind;
        public int Cardinality => inner.Cardinality;
        public void Probabilities(ReadOnlySpan<double> parentValues, Span<double> probabilities) => inner.Probabilities(parentValues, probabilities);
        public double Evaluate(ReadOnlySpan<double> parentValues, ReadOnlySpan<double> noise) => inner.Evaluate(parentValues, noise);
        public void EvaluateBatch(MechanismBatch batch, Span<double> output)
        {
            lock (Batches) Batches.Add(batch.Count);
            inner.EvaluateBatch(batch, output);
        }
    }

    private static (CausalModel Plain, CausalModel DepthFirst, DepthFirstCpt Wrapped) Asia()
    {
        var m = SpecLoader.Load(SpecLoader.DefaultSpec).Model;
        var v = m.IndexOf("either");
        var wrapped = new DepthFirstCpt((ICategoricalMechanism)m.Mechanisms[v]);
        return (m, m.Intervene(new SoftIntervention(v, wrapped, "test")), wrapped);
    }

    [Test]
    public void DepthFirst_EqualsColumnWise_ValueForValue()
    {
        var (plain, df, wrapped) = Asia();
        var a = new AncestralSampler(plain, 17);
        var b = new AncestralSampler(df, 17);
        Assert.That(a.DepthFirst, Is.False);
        Assert.That(b.DepthFirst, Is.True);
        var x = a.SampleRange(123, 5000, keepNoise: true);
        var y = b.SampleRange(123, 5000, keepNoise: true);
        for (var v = 0; v < plain.Count; v++)
        {
            Assert.That(y.Columns[v], Is.EqualTo(x.Columns[v]), plain[v].Name);
            Assert.That(y.Noise![v], Is.EqualTo(x.Noise![v]), plain[v].Name);
        }
        // Evaluated group by group: many small batches instead of one of 5,000.
        Assert.That(wrapped.Batches.Count, Is.GreaterThan(1));
        Assert.That(wrapped.Batches.Sum(), Is.EqualTo(5000));
    }

    [Test]
    public void JointWorlds_EqualEachWorldAlone()
    {
        var (plain, df, _) = Asia();
        var smoke = df.IndexOf("smoke");
        var worlds = new[] { df, df.Intervene(new HardIntervention(smoke, 0)), df.Intervene(new HardIntervention(smoke, 1)) };
        var alone = worlds.Select(w => new AncestralSampler(w, 4).SampleRange(0, 3000)).ToArray();
        var together = AncestralSampler.SampleJointly(worlds.Select(w => new AncestralSampler(w, 4)).ToArray(), 0, 3000);
        for (var s = 0; s < worlds.Length; s++)
            for (var v = 0; v < plain.Count; v++)
                Assert.That(together[s].Columns[v], Is.EqualTo(alone[s].Columns[v]), $"world {s}, {plain[v].Name}");
        // And the column-wise plain model agrees with world 0.
        var reference = new AncestralSampler(plain, 4).SampleRange(0, 3000);
        for (var v = 0; v < plain.Count; v++) Assert.That(together[0].Columns[v], Is.EqualTo(reference.Columns[v]));
    }

    [Test]
    public void SampleJobs_AndCounterfactuals_AreUnchangedByDepthFirstEvaluation()
    {
        var (plain, df, _) = Asia();
        var contrast = TreatmentContrast.Resolve(plain, "smoke", "dysp");
        string Csv(CausalModel m) => TableTestWriter.Csv(SampleJobs.Sample(m, 2000, 3, new SamplingOptions { ChunkSize = 700, Threads = 2 }, contrast));
        Assert.That(Csv(df), Is.EqualTo(Csv(plain)));
        var smoke = plain.IndexOf("smoke");
        string Cf(CausalModel m) => TableTestWriter.Csv(HybridSynth.Scm.Counterfactuals.CounterfactualJobs.Pairs(m, new Intervention[] { new HardIntervention(smoke, 1) }, 1500, 8, new SamplingOptions { ChunkSize = 500 }));
        Assert.That(Cf(df), Is.EqualTo(Cf(plain)));
    }
}

/// <summary>Writes a table job to a CSV string (test helper).</summary>
internal static class TableTestWriter
{
    public static string Csv(Tables.TableJob job)
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine(string.Join(",", job.Schema.Select(c => c.Name)));
        foreach (var block in job.Blocks)
            for (var i = 0; i < block.Count; i++)
                sb.AppendLine(string.Join(",", block.Columns.Select(c => c[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture))));
        return sb.ToString();
    }
}
