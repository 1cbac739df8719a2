using NUnit.Framework;

namespace HybridSynth.Cli.Tests;

/// <summary>Runs the CLI in-process and captures its output.</summary>
public static class CliRunner
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    public static string RepoRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HybridSynth.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("HybridSynth.sln not found");
    }

    public static string Dag(string name) => Path.Combine(RepoRoot, "benchmarks", "dags", name);

    /// <summary>The shared folder (../shared from the repository root, or $HYBRIDSYNTH_SHARED), or null when absent.</summary>
    public static string? SharedRoot
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("HYBRIDSYNTH_SHARED");
            var candidate = string.IsNullOrEmpty(env) ? Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared")) : env;
            return Directory.Exists(candidate) ? candidate : null;
        }
    }

    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "hybridsynth-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
