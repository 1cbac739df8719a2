using NUnit.Framework;

namespace HybridSynth.Scm.Tests.Support;

/// <summary>Locates the repository and the shared material; tests that need ../shared skip when it is absent.</summary>
public static class Paths
{
    public static string RepoRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HybridSynth.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("HybridSynth.sln not found above the test directory");
    }

    /// <summary>A spec of the project's own, under benchmarks/dags.</summary>
    public static string Dag(string name) => Path.Combine(RepoRoot, "benchmarks", "dags", name);

    /// <summary>The shared folder (../shared from the repository root, or $HYBRIDSYNTH_SHARED), or null.</summary>
    public static string? SharedRoot
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("HYBRIDSYNTH_SHARED");
            var candidate = string.IsNullOrEmpty(env) ? Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared")) : env;
            return Directory.Exists(candidate) ? candidate : null;
        }
    }

    /// <summary>A file under ../shared; the calling test is skipped (Assert.Ignore) when it is absent.</summary>
    public static string Shared(string relative)
    {
        var root = SharedRoot;
        var path = root is null ? null : Path.Combine(root, relative);
        if (path is null || !File.Exists(path))
            Assert.Ignore($"needs ../shared/{relative} (the project's shared data folder), which is absent here");
        return path!;
    }

    public static string Bif(string network) => Shared(Path.Combine("data", "bif", network + ".bif"));

    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "hybridsynth-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
