using System.CommandLine;
using System.Runtime.InteropServices;
using HybridSynth.Cli.Commands;
using HybridSynth.Scm.Errors;

namespace HybridSynth.Cli;

/// <summary>
/// The <c>hybridsynth</c> command: verbs are nouns of the domain. Every error is one line on
/// stderr (<c>file:line:col: message</c> where a file position exists) with exit code 2 for bad
/// input or usage and 1 for run-time failures; never a stack trace (set HYBRIDSYNTH_DEBUG=1 to get one).
/// </summary>
public static class CliApp
{
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("HybridSynth: causal benchmark data with known ground truth (sampling, interventions, counterfactuals, exact queries).");
        root.Subcommands.Add(SampleCommand.Build(context));
        root.Subcommands.Add(CounterfactualCommand.Build(context));
        root.Subcommands.Add(QueryCommand.Build(context));
        root.Subcommands.Add(DescribeCommand.Build(context));
        root.Subcommands.Add(VerifyCommand.Build(context));
        root.Subcommands.Add(SdScmCommand.Build(context));
        root.Subcommands.Add(AteCommand.Build(context));
        root.Subcommands.Add(CateCommand.Build(context));
        root.Subcommands.Add(SimulateCommand.Build(context));
        root.Subcommands.Add(HybridCommand.Build(context));
        root.Subcommands.Add(RealizeCommand.Build(context));
        root.Subcommands.Add(ExtractCommand.Build(context));
        root.Subcommands.Add(QuestionsCommand.Build(context));
        root.Subcommands.Add(ServeCommand.Build(context));
        root.Subcommands.Add(NetworksCommand.Build(context));
        root.Subcommands.Add(ConvertCommand.Build(context));
        root.Subcommands.Add(SuiteCommand.Build(context));
        root.Subcommands.Add(ReportCommand.Build(context));
        root.Options.Add(QuietOption);
        return root;
    }

    /// <summary>--quiet, accepted by every verb: no progress display on stderr.</summary>
    public static readonly Option<bool> QuietOption = new("--quiet", "-q") { Description = "Show no progress on stderr (progress is only ever shown when stderr is a terminal).", Recursive = true };

    private static int _signalsRegistered;
    private static readonly List<PosixSignalRegistration> Signals = new();

    /// <summary>
    /// On SIGINT and SIGTERM, delete every temporary output file of this process before it ends (the
    /// signal then ends the process as usual). After a SIGKILL, the next write to the same target removes
    /// the dead process's temporary files (see <see cref="Scm.IO.AtomicFile.RemoveStaleTemporaries"/>).
    /// </summary>
    private static void RegisterCleanup()
    {
        if (Interlocked.Exchange(ref _signalsRegistered, 1) == 1) return;
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            try { Signals.Add(PosixSignalRegistration.Create(signal, _ => Scm.IO.AtomicFile.DeleteAllPending())); }
            catch (PlatformNotSupportedException) { }
        }
    }

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        RegisterCleanup();
        Scm.IO.OutputSafety.IsRegularFile ??= UnixFileType.IsRegular;
        var context = new CliContext(stdout, stderr);
        var root = Build(context);
        var parse = root.Parse(args);
        var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        if (parse.Errors.Count > 0)
        {
            var verb = parse.CommandResult.Command == root ? "" : " " + parse.CommandResult.Command.Name;
            stderr.WriteLine($"hybridsynth{verb}: {Friendly(parse.Errors[0].Message)} (see 'hybridsynth{verb} --help')".ReplaceLineEndings(" ").Replace(" \t", " ").Replace('\t', ' '));
            return ExitCodes.BadInput;
        }
        context.Quiet = parse.GetValue(QuietOption);
        return Guard(stderr, () => parse.Invoke(config));
    }

    /// <summary>A parser message without .NET type names ("as expected type 'System.UInt64'" becomes what the option takes).</summary>
    private static string Friendly(string message) => System.Text.RegularExpressions.Regex.Replace(message, @"as expected type '([^']+)'", m => m.Groups[1].Value switch
    {
        "System.UInt64" => "as an unsigned integer (0 to 18446744073709551615)",
        "System.Int32" => "as an integer",
        "System.Int64" => "as an integer",
        "System.Double" => "as a number",
        "System.Boolean" => "as true or false",
        var t when t.StartsWith("System.Nullable`1[", StringComparison.Ordinal) => Friendly($"as expected type '{t["System.Nullable`1[".Length..^1]}'"),
        var t => "as " + t[(t.LastIndexOf('.') + 1)..],
    });

    /// <summary>Runs an action, turning every exception into one line on stderr and an exit code.</summary>
    /// <param name="memoryHint">What to lower when memory runs out, for a verb that has such options (none otherwise).</param>
    public static int Guard(TextWriter stderr, Func<int> action, string? memoryHint = null)
    {
        try
        {
            return action();
        }
        catch (Exception caught) when (Environment.GetEnvironmentVariable("HYBRIDSYNTH_DEBUG") != "1")
        {
            // Work run in parallel reports its failure wrapped: the first inner exception is the one to report.
            var e = caught is AggregateException { InnerExceptions.Count: > 0 } agg ? agg.Flatten().InnerExceptions[0] : caught;
            var (line, code) = e switch
            {
                InputFileException f => ("hybridsynth: " + f.Message, ExitCodes.BadInput),
                SpecException s => (s.Location is null ? "hybridsynth: " + s.Message : s.ToOneLine(), ExitCodes.BadInput),
                ModelException m => ("hybridsynth: " + m.Message, ExitCodes.BadInput),
                UsageException u => ("hybridsynth: " + u.Message, ExitCodes.BadInput),
                OutputPathException o => ("hybridsynth: " + o.Message, ExitCodes.BadInput),
                Lm.ContextOverflowException c => ("hybridsynth: " + c.Message, ExitCodes.BadInput),
                Lm.LanguageModelUnavailableException l => ("hybridsynth: the language model is unavailable: " + l.Message, ExitCodes.Failure),
                IOException or UnauthorizedAccessException => ("hybridsynth: cannot write the output: " + e.Message, ExitCodes.Failure),
                OutOfMemoryException => ("hybridsynth: out of memory" + (memoryHint is null ? "" : "; " + memoryHint), ExitCodes.Failure),
                _ => ($"hybridsynth: internal error ({e.GetType().Name}): {e.Message}", ExitCodes.Failure),
            };
            stderr.WriteLine(line.ReplaceLineEndings(" "));
            return code;
        }
    }
}
