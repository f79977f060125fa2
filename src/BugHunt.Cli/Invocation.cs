using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Runtime.InteropServices;
using BugHunt.Core.Packs;

namespace BugHunt.Cli;

/// <summary>
/// Runs the parsed command line with the exit codes scripts rely on: 0 success, 1 failed validation
/// or grading (and an invalid pack), 2 a usage error, 130 when stopped.
/// </summary>
internal static class Invocation
{
    public static async Task<int> RunAsync(RootCommand root, string[] args)
    {
        // Not disposed: ProcessExit can fire after RunAsync returns.
        var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
        // Supervisors stop us with SIGTERM. Left to the runtime it ends the process at once, before
        // serve stops its API process and removes its warm containers; handled, it unwinds like Ctrl+C.
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            stop.Cancel();
        });
        var parse = root.Parse(args is ["help"] ? ["--help"] : args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                Console.Error.WriteLine($"bughunt: {error.Message}");
            }
            return Usage(parse);
        }
        try
        {
            // Signals are handled above, and exceptions below: System.CommandLine's own handlers would
            // end the process after a timeout and turn every exception into exit code 1.
            var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            return await parse.InvokeAsync(invocation, stop.Token);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"bughunt: {e.Message}");
            return Usage(parse);
        }
        catch (PackFormatException e)
        {
            Console.Error.WriteLine($"bughunt: invalid pack: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 130;
        }
    }

    /// <summary>Runs <paramref name="run"/> as the command, with options bound from the environment when it starts.</summary>
    public static void SetRun(this Command command, Func<ParseResult, CommandContext, CancellationToken, Task<int>> run) =>
        command.SetAction((parse, ct) => run(parse, CommandContext.FromEnvironment(), ct));

    public static void SetRun(this Command command, Func<ParseResult, int> run) => command.SetAction(run);

    /// <summary>An option taking one word, such as a path or URL; the fallback is shown in --help.</summary>
    public static Option<string> Word(string name, string helpName, string description, string? fallback = null)
    {
        var option = new Option<string>(name) { Description = description, HelpName = helpName };
        if (fallback is not null)
        {
            option.DefaultValueFactory = _ => fallback;
        }
        return option;
    }

    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    public static Option<int> PositiveInt(string name, int fallback, string description) =>
        Bounded(name, fallback, int.MaxValue, description);

    /// <summary>A whole-number option between 1 and <paramref name="max"/>; the error names the option.</summary>
    public static Option<int> Bounded(string name, int fallback, int max, string description) => new(name)
    {
        Description = description,
        HelpName = "N",
        DefaultValueFactory = _ => fallback,
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return fallback;
            }
            var text = result.Tokens[0].Value;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1 && value <= max)
            {
                return value;
            }
            result.AddError(max == int.MaxValue
                ? $"{name} takes a positive whole number, got '{text}'"
                : $"{name} takes a whole number from 1 to {max}, got '{text}'");
            return fallback;
        },
    };

    /// <summary>A comma-separated list of whole numbers from 1 to <paramref name="max"/>, such as <c>1,2</c>; null if not given.</summary>
    public static Option<int[]> BoundedList(string name, int max, string description) => new(name)
    {
        Description = description,
        HelpName = "N,N...",
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
            var values = text.Split(',')
                .Select(t => int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
                .ToArray();
            if (values.Any(v => v < 1 || v > max))
            {
                result.AddError($"{name} takes a list of whole numbers from 1 to {max} such as 1,2, got '{text}'");
            }
            return values;
        },
    };

    private static int Usage(ParseResult parse)
    {
        var path = string.Join(' ', Path(parse.CommandResult).Skip(1));
        Console.Error.WriteLine($"run 'bughunt {(path.Length == 0 ? "" : path + " ")}--help' for usage");
        return 2;
    }

    private static IEnumerable<string> Path(CommandResult? command) =>
        command is null ? [] : Path(command.Parent as CommandResult).Append(command.Command.Name);
}

internal sealed class UsageException(string message) : Exception(message);
