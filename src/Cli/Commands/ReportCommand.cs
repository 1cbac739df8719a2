using System.CommandLine;
using HybridSynth.Suites;

namespace HybridSynth.Cli.Commands;

/// <summary><c>hybridsynth report DIR [-o FILE]</c>: the self-contained HTML report of a built suite (see <see cref="SuiteReport"/>).</summary>
public static class ReportCommand
{
    public static Command Build(CliContext ctx)
    {
        var dir = new Argument<string>("dir") { Description = "A built suite's folder (with suite.json)." };
        var output = new Option<string?>("--out", "-o") { Description = "The HTML file (default DIR/report.html); a manifest is written beside it." };
        var command = new Command("report", "Write one self-contained HTML report of a suite: models and DAGs, datasets, audits across replicates, QQ plots, estimator curves, text realization.")
        {
            dir, output,
        };
        command.SetAction(r => CliApp.Guard(ctx.Error, () =>
        {
            var path = SuiteReport.Write(r.GetValue(dir)!, r.GetValue(output));
            ctx.Out.WriteLine($"report: {path} (manifest: {Scm.IO.RunManifest.PathFor(path)})");
            return ExitCodes.Success;
        }));
        return command;
    }
}
