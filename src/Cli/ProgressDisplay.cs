using HybridSynth.Scm.Tables;
using Spectre.Console;

namespace HybridSynth.Cli;

/// <summary>
/// Progress of long work on stderr (a Spectre.Console bar with the share done, the rate and the time
/// left), only when stderr is a terminal and <c>--quiet</c> was not given; otherwise the work runs
/// silently. Nothing is ever written to stdout, so machine-readable output is unaffected.
/// </summary>
public static class ProgressDisplay
{
    /// <summary>Whether a progress bar would be shown for this context.</summary>
    public static bool Enabled(CliContext ctx) =>
        !ctx.Quiet && ReferenceEquals(ctx.Error, Console.Error) && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("CI") != "true";

    /// <summary>Runs <paramref name="work"/>, which reports how many of <paramref name="total"/> units are done.</summary>
    public static T Run<T>(CliContext ctx, string description, long total, Func<Action<long>, T> work) =>
        total <= 0 ? work(_ => { }) : Run(ctx, description, report => work(done => report(done, total)));

    /// <summary>Runs <paramref name="work"/>, which reports how many units are done and of how many (the total may be learnt as it goes).</summary>
    public static T Run<T>(CliContext ctx, string description, Func<Action<long, long>, T> work)
    {
        if (!Enabled(ctx)) return work((_, _) => { });
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(progress =>
            {
                var task = progress.AddTask(Markup.Escape(description), maxValue: 1);
                var gate = new object();
                return work((done, total) =>
                {
                    lock (gate)
                    {
                        if (total > 0 && task.MaxValue != total) task.MaxValue = total;
                        task.Value = Math.Min(done, task.MaxValue);
                    }
                });
            });
    }

    /// <summary>
    /// Runs <paramref name="work"/>, which reports how many of <paramref name="total"/> items are done and how many
    /// <paramref name="unit"/> (rows) they hold so far; the bar shows the items, the rate of units per second and the time left.
    /// </summary>
    public static T RunWithRate<T>(CliContext ctx, string description, long total, string unit, Func<Action<long, long>, T> work)
    {
        if (!Enabled(ctx) || total <= 0) return work((_, _) => { });
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        long units = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string Rate()
        {
            var seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-3);
            var rate = Interlocked.Read(ref units) / seconds;
            return rate >= 1e6 ? $"{rate / 1e6:0.0}M {unit}/s" : rate >= 1e3 ? $"{rate / 1e3:0.0}k {unit}/s" : $"{rate:0} {unit}/s";
        }
        return console.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new CountColumn(), new TextColumn(Rate), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(progress =>
            {
                var task = progress.AddTask(Markup.Escape(description), maxValue: total);
                var gate = new object();
                return work((done, u) =>
                {
                    Interlocked.Exchange(ref units, u);
                    lock (gate) task.Value = Math.Min(done, task.MaxValue);
                });
            });
    }

    /// <summary>done/total of a task.</summary>
    private sealed class CountColumn : ProgressColumn
    {
        public override Spectre.Console.Rendering.IRenderable Render(Spectre.Console.Rendering.RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text($"{task.Value:0}/{task.MaxValue:0}");
    }

    /// <summary>A column whose text is computed at each refresh.</summary>
    private sealed class TextColumn(Func<string> text) : ProgressColumn
    {
        public override Spectre.Console.Rendering.IRenderable Render(Spectre.Console.Rendering.RenderOptions options, ProgressTask task, TimeSpan deltaTime) => new Text(text());
    }

    /// <summary>Runs work of unknown length with a spinner and its description (for example fitting nuisance models).</summary>
    public static T Status<T>(CliContext ctx, string description, Func<T> work)
    {
        if (!Enabled(ctx)) return work();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Status().Start(Markup.Escape(description), _ => work());
    }

    /// <summary>The job's blocks, reporting the rows handed on so far.</summary>
    public static TableJob Track(TableJob job, Action<long> report) => job with { Blocks = Count(job.Blocks, report) };

    private static IEnumerable<RowBlock> Count(IEnumerable<RowBlock> blocks, Action<long> report)
    {
        long rows = 0;
        foreach (var b in blocks)
        {
            yield return b;
            rows += b.Count;
            report(rows);
        }
    }
}
