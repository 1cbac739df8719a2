using HybridSynth.Scm.IO;
using HybridSynth.Scm.Sampling;
using HybridSynth.Scm.Tables;
using NUnit.Framework;

namespace HybridSynth.Scm.Tests.Support;

/// <summary>The checks of a job that recycles its columns (<see cref="SamplingOptions.RecycleColumns"/>).</summary>
public static class Recycling
{
    /// <summary>
    /// <paramref name="job"/>(options) written as <paramref name="format"/> without reuse on one thread and with reuse over
    /// 1–3 threads and four chunkings gives one file; then its blocks of 500 units, each released once read, hold at most
    /// three chunks' worth of distinct arrays (not one set a block), and without the option no block can be released.
    /// </summary>
    public static void GivesTheSameBytes_AndReusesItsArrays(string format, Func<SamplingOptions, long, TableJob> job, string label)
    {
        var dir = Paths.TempDir();
        var hashes = new List<string>();
        foreach (var (threads, chunk, recycle) in new[] { (1, 65536, false), (1, 1000, true), (2, 777, true), (3, 4096, true) })
        {
            var options = new SamplingOptions { Threads = threads, ChunkSize = chunk, RecycleColumns = recycle };
            hashes.Add(TableFormats.WriteJob(format, Path.Combine(dir, $"{label}{threads}-{chunk}-{recycle}.{format}"), job(options, 10_001)).Sha256);
        }
        Assert.That(hashes.Distinct().Count(), Is.EqualTo(1), $"{label}: the same bytes whatever the chunks and their reuse");
        var seen = new HashSet<double[]>(ReferenceEqualityComparer.Instance);
        int blocks = 0, width = 0;
        foreach (var block in job(new SamplingOptions { ChunkSize = 500, RecycleColumns = true }, 10_000).Blocks)
        {
            foreach (var c in block.Columns) seen.Add(c);
            width = block.Columns.Count;
            Assert.That(block.Release is not null, $"{label}: a block without Release");
            block.Release!();
            blocks++;
        }
        Assert.That(blocks, Is.EqualTo(20));
        Assert.That(seen.Count, Is.LessThanOrEqualTo(3 * width), $"{label}: {seen.Count} arrays for {blocks} blocks of {width} columns");
        Assert.That(job(new SamplingOptions { ChunkSize = 500 }, 1_000).Blocks.All(b => b.Release is null), $"{label}: released without the option");
    }
}
