using System.CommandLine;
using HybridSynth.Scm.Graph;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Variables;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace HybridSynth.Cli.Commands;

/// <summary><c>hybridsynth describe</c>: check a spec and show its variables, graph and the independences it implies.</summary>
public static class DescribeCommand
{
    public static Command Build(CliContext ctx)
    {
        var spec = CommonOptions.Spec();
        var set = new Option<string?>("--independences") { Description = "Also list the implied independences: local or pairwise." };
        set.AcceptOnlyFromAmong("local", "pairwise");
        var max = new Option<long>("--max-statements") { Description = "The most independences to list (counted first; the default 1,000,000).", DefaultValueFactory = _ => ImpliedIndependences.DefaultMaxStatements };
        var json = CommonOptions.Json();
        var command = new Command("describe", "Validate a spec and describe its variables, graph and implied independences.") { spec, set, max, json };
        command.SetAction(r => CliApp.Guard(ctx.Error, () =>
        {
            var loaded = SpecLoader.Load(r.GetValue(spec)!, Lm.Mechanisms.LanguageModelSession.StructureReaders, Lm.Published.PublishedSdScmConfig.Translator(0));
            var model = loaded.Model;
            var g = model.Graph;
            var which = r.GetValue(set);
            if (r.GetValue(max) is < 1 or > 100_000_000) throw new UsageException($"--max-statements must be in 1..100000000, got {r.GetValue(max)}");
            // Counted before any is built: a 100,000-node chain implies about 5·10⁹ local statements.
            var count = which is null ? 0 : ImpliedIndependences.EnsureCountAtMost(g, which == "local", r.GetValue(max), "raise --max-statements to list them all");
            var statements = which switch
            {
                "local" => ImpliedIndependences.EnumerateLocalMarkov(g),
                "pairwise" => ImpliedIndependences.PairwiseMinimal(g),
                _ => null,
            };
            if (r.GetValue(json))
            {
                var o = new JObject
                {
                    ["model"] = model.Name,
                    ["spec"] = loaded.Path,
                    ["sha256"] = loaded.Sha256,
                    ["variables"] = new JArray(Enumerable.Range(0, model.Count).Select(i => new JObject
                    {
                        ["name"] = model[i].Name,
                        ["type"] = model[i].IsCategorical ? "categorical" : "continuous",
                        ["states"] = model[i].Domain is CategoricalDomain d ? new JArray(d.States) : null,
                        ["parents"] = new JArray(g.Parents(i).Select(g.Name)),
                        ["mechanism"] = model.Mechanisms[i].Kind,
                        ["hidden"] = model[i].Hidden,
                        ["role"] = model[i].Role.ToString().ToLowerInvariant(),
                    })),
                    ["edges"] = g.Edges().Count(),
                };
                if (statements is not null) o["independences"] = new JArray(statements.Select(s => s.Format(g)));
                ctx.Out.WriteLine(o.ToString(Formatting.None));
                return ExitCodes.Success;
            }
            ctx.Out.WriteLine($"model {model.Name}: {model.Count} variables, {g.Edges().Count()} edges ({loaded.Format}, sha256 {loaded.Sha256[..16]}…)");
            foreach (var i in g.TopologicalOrder)
            {
                var v = model[i];
                var domain = v.Domain is CategoricalDomain d ? "{" + string.Join(", ", d.States) + "}" : "continuous";
                var flags = (v.Hidden ? " hidden" : "") + (v.Role == VariableRole.None ? "" : " " + v.Role.ToString().ToLowerInvariant());
                var parents = g.Parents(i).Count == 0 ? "" : " <- " + string.Join(", ", g.Parents(i).Select(g.Name));
                ctx.Out.WriteLine($"  {v.Name} {domain} [{model.Mechanisms[i].Kind}{flags}]{parents}");
            }
            if (statements is not null)
            {
                ctx.Out.WriteLine($"{count} implied independences ({which}):");
                foreach (var s in statements) ctx.Out.WriteLine("  " + s.Format(g));
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
