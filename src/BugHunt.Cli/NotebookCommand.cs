using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using BugHunt.Core.Database;
using BugHunt.Core.Grading;
using BugHunt.Core.Packs;
using BugHunt.Core.Sandbox;

namespace BugHunt.Cli;

/// <summary>`bughunt pack notebook`: run a challenge's starting notebook through the sandbox and show what each cell shows.</summary>
internal static class NotebookCommand
{
    public static Command Notebook()
    {
        var dir = new Argument<string>("dir") { Description = "the pack's directory" };
        var challenge = new Argument<string>("challenge") { Description = "the challenge's id" };
        var on = Invocation.Word("--on", "starter|reference", "the code the notebook runs on", "starter");
        var json = Invocation.Flag("--json", "print the run as JSON");
        var command = new Command("notebook", "run a challenge's starting notebook (notebook/*.csx) on its starter or reference and show each cell's output")
        {
            dir, challenge, on, json,
        };
        command.SetRun((parse, context, ct) => RunAsync(parse.GetRequiredValue(dir), parse.GetRequiredValue(challenge), parse.GetValue(on)!, parse.GetValue(json), context, ct));
        return command;
    }

    private static async Task<int> RunAsync(string dir, string id, string on, bool json, CommandContext context, CancellationToken ct)
    {
        var pack = PackLoader.Load(dir);
        var challenge = pack.Challenges.FirstOrDefault(c => c.Id == id)
            ?? throw new UsageException($"pack '{pack.Id}' has no challenge '{id}' (it has {string.Join(", ", pack.Challenges.Select(c => c.Id))})");
        var files = on switch
        {
            "starter" => challenge.StarterFiles,
            "reference" => challenge.ReferenceFiles,
            _ => throw new UsageException($"--on is starter or reference, got '{on}'"),
        };
        if (challenge.Notebook is not { } cells)
        {
            throw new UsageException($"{pack.Id}/{id} has no starting notebook (notebook/*.csx)");
        }
        using var sandbox = await context.SandboxAsync(ct);
        var run = await sandbox.RunNotebookAsync(files, cells, GradingPlan.PublicSeed, challenge.Rules, challenge.Limits, null, ct);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(run, new JsonSerializerOptions(BugHuntDatabase.Json) { WriteIndented = true }));
            return run.Outcome == NotebookOutcome.Completed ? 0 : 1;
        }
        Console.WriteLine($"{pack.Id}/{id} on the {on}: {run.Outcome}, files {run.Compile}, {run.WallMs / 1000:F1} s");
        foreach (var d in run.Diagnostics)
        {
            Console.WriteLine($"  {d.File}:{d.Line}:{d.Column} {d.Message}");
        }
        foreach (var cell in run.Cells)
        {
            Console.WriteLine($"cell {cell.Cell}: {cell.Status} ({cell.ElapsedMs:F0} ms)");
            foreach (var line in cell.Console.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                Console.WriteLine($"  | {line}");
            }
            if (cell.Value is { } value)
            {
                Console.WriteLine($"  = {value}");
            }
            if (cell.Failure is { } f)
            {
                Console.WriteLine($"  ! {f.Type}: {f.Message}{(f.Stack is { } s ? $"\n    {s.Replace("\n", "\n    ", StringComparison.Ordinal)}" : "")}");
            }
            foreach (var d in cell.Diagnostics)
            {
                Console.WriteLine($"  ! {d.File}:{d.Line}:{d.Column} {d.Message}");
            }
            foreach (var display in cell.Displays)
            {
                Console.WriteLine($"  {display.Kind} '{display.Label}': {Summary(display)}");
            }
        }
        return run.Outcome == NotebookOutcome.Completed ? 0 : 1;
    }

    private static string Summary(NotebookDisplay d)
    {
        static string N(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
        var values = d.Values.Length <= 12 ? string.Join(", ", d.Values.Select(N)) : $"{string.Join(", ", d.Values.Take(6).Select(N))} … {string.Join(", ", d.Values.TakeLast(3).Select(N))} ({d.Values.Length} values)";
        var shape = d.Shape is { } s ? $"shape [{string.Join(", ", s)}] " : "";
        return $"{shape}{values}{(d.Truncated ? " (truncated)" : "")}";
    }
}
