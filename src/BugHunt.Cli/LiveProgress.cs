using System.Diagnostics;
using Spectre.Console;

namespace BugHunt.Cli;

/// <summary>
/// Progress of a long command on stderr, so stdout keeps only its result: each step as a line with
/// the time taken so far and, on a terminal, a spinner naming the step under way. The spinner is off
/// when stderr is redirected or the command prints JSON; the lines stay, as a log wants them.
/// </summary>
internal static class LiveProgress
{
    public static Task<T> RunAsync<T>(string title, bool json, Func<Action<string>, Task<T>> work) =>
        RunAsync(title, json, output => work(output.Step));

    /// <summary>For commands that print results while they run (bench, load): they write them through <see cref="LiveOutput"/>.</summary>
    public static async Task<T> RunAsync<T>(string title, bool json, Func<LiveOutput, Task<T>> work)
    {
        var elapsed = Stopwatch.StartNew();
        string Stamp() => $"[{elapsed.Elapsed:mm\\:ss}]";
        if (json || Console.IsErrorRedirected)
        {
            return await work(new LiveOutput(line => Console.Error.WriteLine($"  {Stamp()} {line}"), Console.Out.WriteLine));
        }
        // Whether stderr is a terminal is decided above; Spectre's own guess also looks at stdin.
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Error),
            Interactive = InteractionSupport.Yes,
        });
        // Steps of parallel challenges report from several threads; the console takes one at a time.
        var gate = new Lock();
        return await console.Status().Spinner(Spinner.Known.Dots).StartAsync(Markup.Escape(title), status => work(new LiveOutput(
            line =>
            {
                lock (gate)
                {
                    console.MarkupLine($"  [grey]{Markup.Escape(Stamp())}[/] {Markup.Escape(line)}");
                    status.Status($"{Markup.Escape(title)} [grey]{Markup.Escape(Stamp())}[/] {Markup.Escape(line)}");
                }
            },
            line =>
            {
                lock (gate)
                {
                    // A result written past the spinner to the same terminal would be torn by its
                    // redraw, so it goes through the spinner's console; redirected stdout gets it as is.
                    if (Console.IsOutputRedirected)
                    {
                        Console.Out.WriteLine(line);
                    }
                    else
                    {
                        console.WriteLine(line);
                    }
                }
            })));
    }
}

/// <summary>Where a command under <see cref="LiveProgress"/> reports: steps under way, and lines of its result.</summary>
internal sealed class LiveOutput(Action<string> step, Action<string> writeLine)
{
    /// <summary>A step under way: a stamped line on stderr, and the spinner's text on a terminal.</summary>
    public void Step(string line) => step(line);

    /// <summary>A line of the command's result, for stdout.</summary>
    public void WriteLine(string line) => writeLine(line);
}
