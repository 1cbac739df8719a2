using System.CommandLine;
using HybridSynth.LmServer;
using Microsoft.Extensions.Hosting;

namespace HybridSynth.Cli.Commands;

/// <summary>
/// <c>hybridsynth serve</c>: a GGUF model behind the subset of the OpenAI completions API that the
/// server backend uses (prompt log-probabilities, tokenize, generation), on a loopback port by default,
/// so that several HybridSynth processes share one loaded model (and llama.cpp's own server, which
/// returns no prompt log-probabilities, is not needed). Runs until interrupted.
/// </summary>
public static class ServeCommand
{
    public static Command Build(CliContext ctx)
    {
        var lm = new LanguageModelCliOptions();
        var name = new Option<string?>("--name") { Description = "The model name clients ask for (default: the GGUF file name)." };
        var host = new Option<string>("--host") { Description = "The address to listen on.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "The port (0: any free one; the address is printed).", DefaultValueFactory = _ => 8000 };
        var pidFile = new Option<string?>("--pid-file") { Description = "Write the server's process id to FILE once it is serving (removed when it stops), so a script can wait for it and stop it." };
        var command = new Command("serve", "Serve a GGUF model over an OpenAI-compatible API with prompt log-probabilities (for --lm-server).");
        lm.AddTo(command);
        foreach (var o in new Option[] { name, host, port, pidFile }) command.Options.Add(o);
        command.SetAction(r => CliApp.Guard(ctx.Error, () =>
        {
            if (r.GetValue(port) is < 0 or > 65535) throw new UsageException("--port must be in 0..65535");
            if (r.GetValue(lm.Server) is not null) throw new UsageException("serve takes --model FILE.gguf, not --lm-server");
            var session = lm.Open(r, 0, required: true)!;
            using var model = session.Model;
            string? key = null;
            if (r.GetValue(lm.ApiKeyVariable) is { } variable)
                key = Environment.GetEnvironmentVariable(variable) is { Length: > 0 } k ? k : throw new UsageException($"--api-key-env {variable}: that environment variable is not set");
            var served = r.GetValue(name) ?? Path.GetFileNameWithoutExtension(r.GetValue(lm.Model)!);
            var server = new OpenAiCompatibleServer(model, served, key);
            var (app, url) = server.StartOnLoopback(r.GetValue(port), r.GetValue(host)!);
            ctx.Out.WriteLine($"serving '{served}' at {url} (use --lm-server {url} --lm-model {served}); Ctrl-C stops");
            ctx.Out.Flush();
            var pid = r.GetValue(pidFile);
            if (pid is not null)
            {
                if (Path.GetDirectoryName(Path.GetFullPath(pid)) is { } folder) Directory.CreateDirectory(folder);
                var temp = pid + ".tmp-" + Environment.ProcessId;
                File.WriteAllText(temp, Environment.ProcessId + "\n");
                File.Move(temp, pid, overwrite: true); // appears whole, and only once the server listens
            }
            try
            {
                app.WaitForShutdownAsync().GetAwaiter().GetResult();
            }
            finally
            {
                if (pid is not null) File.Delete(pid);
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
