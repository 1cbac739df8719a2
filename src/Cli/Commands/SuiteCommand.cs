using System.CommandLine;
using System.Globalization;
using HybridSynth.Suites;

namespace HybridSynth.Cli.Commands;

/// <summary>
/// <c>hybridsynth suite SUITE.yaml [-o DIR] [--jobs J] [--shard i/k]</c> builds a benchmark suite (see <see cref="SuiteBuilder"/>);
/// <c>hybridsynth suite index DIR</c> rebuilds <c>suite.json</c> and <c>index.csv</c> from the dataset folders (after sharded builds).
/// </summary>
public static class SuiteCommand
{
    public static Command Build(CliContext ctx)
    {
        var file = new Argument<string>("suite") { Description = "The suite file (YAML or JSON; see benchmarks/suites/example.yaml)." };
        var output = new Option<string?>("--out", "-o") { Description = "The suite's folder (default out/SUITE-NAME)." };
        var jobs = new Option<int>("--jobs", "-j") { Description = "Datasets built at once; the output does not depend on it.", DefaultValueFactory = _ => 1 };
        var shard = new Option<string?>("--shard") { Description = "Build only shard i of k (i/k, 1-based; datasets are assigned by a hash of their key), then run 'suite index DIR'." };
        var command = new Command("suite", "Build a benchmark suite from one file: datasets across models (files, bnlearn networks, random models, SD-SCM families), sizes, replicates, do() and soft regimes and counterfactual pairs, each with its truths, graph, model and optional audit, estimates and text; then 'hybridsynth report DIR'.")
        {
            file, output, jobs, shard,
        };
        var dir = new Argument<string>("dir") { Description = "A suite folder." };
        var index = new Command("index", "Rebuild suite.json and index.csv from the dataset folders (after building shards).") { dir };
        index.SetAction(r => CliApp.Guard(ctx.Error, () =>
        {
            var count = SuiteBuilder.Index(r.GetValue(dir)!);
            ctx.Out.WriteLine($"indexed {count} datasets in {r.GetValue(dir)} (suite.json, index.csv)");
            return ExitCodes.Success;
        }));
        command.Subcommands.Add(index);
        command.SetAction(r => CliApp.Guard(ctx.Error, () =>
        {
            var suite = SuiteFile.ReadFile(r.GetValue(file)!);
            var j = r.GetValue(jobs);
            if (j is < 1 or > 256) throw new UsageException($"--jobs must be in 1..256, got {j}");
            var (i, k) = (1, 1);
            if (r.GetValue(shard) is { } s)
            {
                var parts = s.Split('/');
                if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out i) || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out k) || k < 1 || i < 1 || i > k)
                    throw new UsageException($"--shard must be i/k with 1 ≤ i ≤ k, got '{s}'");
            }
            var outDir = r.GetValue(output) ?? Path.Combine("out", suite.Name);
            var plan = SuiteBuilder.Plan(suite);
            var result = ProgressDisplay.RunWithRate(ctx, $"suite {suite.Name}: datasets", plan.Count(d => d.Shard(k) == i), "rows", report =>
                SuiteBuilder.Build(suite, outDir, j, i, k, (done, _, rows) => report(done, rows)));
            ctx.Out.WriteLine($"suite {suite.Name}: {result.Built} datasets built, {result.Skipped} already complete ({result.Rows:N0} rows) in {outDir}" + (k > 1 ? $" (shard {i}/{k})" : ""));
            if (k == 1)
            {
                var count = SuiteBuilder.Index(outDir);
                ctx.Out.WriteLine($"  indexed {count} datasets: {Path.Combine(outDir, "suite.json")}, {Path.Combine(outDir, "index.csv")}");
            }
            else ctx.Out.WriteLine($"  when every shard is built: hybridsynth suite index {outDir}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
