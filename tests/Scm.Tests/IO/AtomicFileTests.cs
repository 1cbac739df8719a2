using System.Security.Cryptography;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.Scm.Tests.IO;

public class AtomicFileTests
{
    /// <summary>Seeded bytes written in writes of seeded sizes (1 byte to 3 MiB, under and over the 64 KiB buffer).</summary>
    private static byte[] WriteRandomly(Stream stream, long total, int seed)
    {
        var rng = new Random(seed);
        var all = new byte[total];
        rng.NextBytes(all);
        long at = 0;
        while (at < total)
        {
            var size = (int)Math.Min(total - at, rng.Next(4) switch { 0 => rng.Next(1, 100), 1 => rng.Next(100, 70_000), 2 => 65_536, _ => rng.Next(70_000, 3 << 20) });
            stream.Write(all.AsSpan((int)at, size));
            at += size;
        }
        return all;
    }

    [Test]
    public void AFileOverSeveralWritebacks_HasExactlyItsBytes_AndItsHash([Values(0, 1, 65_536, 3 * 1024 * 1024 + 7)] long extra)
    {
        // Past two background flushes (32 MiB each) plus a tail; the tails exercise an empty file and the buffer's edges.
        var dir = Paths.TempDir();
        var path = Path.Combine(dir, "t.bin");
        var total = extra == 0 ? 0 : 2 * AtomicFile.WritebackBytes + extra;
        byte[] expected;
        using (var file = new AtomicFile(path))
        {
            expected = WriteRandomly(file.Stream, total, seed: (int)extra);
            Assert.That(file.Stream.Position, Is.EqualTo(total));
            file.Seal();
            Assert.That(file.Length, Is.EqualTo(total));
            Assert.That(file.Sha256, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(expected))));
            Assert.That(File.Exists(path), Is.False, "a sealed file is not in place yet");
            file.Commit();
        }
        var written = File.ReadAllBytes(path);
        Assert.That(written.Length, Is.EqualTo(expected.Length));
        Assert.That(written.AsSpan().SequenceEqual(expected), Is.True);
        Assert.That(Directory.GetFiles(dir), Has.Length.EqualTo(1), "no temporary file is left");
        Directory.Delete(dir, true);
    }

    [Test]
    public void NothingCanBeWrittenAfterTheSeal_AndPublishNeedsThePrepare()
    {
        var dir = Paths.TempDir();
        var path = Path.Combine(dir, "t.csv");
        using (var file = new AtomicFile(path))
        {
            file.Stream.Write("a,b\n"u8);
            file.Seal();
            Assert.Throws<InvalidOperationException>(() => file.Stream.Write("c\n"u8));
            Assert.Throws<InvalidOperationException>(() => file.Publish());
            file.Prepare();
            file.Publish();
            Assert.Throws<InvalidOperationException>(() => file.Seal());
        }
        Assert.That(File.ReadAllText(path), Is.EqualTo("a,b\n"));
        Directory.Delete(dir, true);
    }

    [Test]
    public void AnAbandonedFile_LeavesNothing_EvenWithAFlushInFlight()
    {
        var dir = Paths.TempDir();
        var path = Path.Combine(dir, "t.bin");
        using (var file = new AtomicFile(path))
        {
            WriteRandomly(file.Stream, AtomicFile.WritebackBytes + 1, seed: 3); // starts a background flush
            file.Seal(); // and the last one
        }
        Assert.That(Directory.GetFiles(dir), Is.Empty);
        Directory.Delete(dir, true);
    }
}
