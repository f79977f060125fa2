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
    public static async Task<T> RunAsync<T>(string title, bool json, Func<Action<string>, Task<T>> work)
    {
        var elapsed = Stopwatch.StartNew();
        string Stamp() => $"[{elapsed.Elapsed:mm\\:ss}]";
        if (json || Console.IsErrorRedirected)
        {
            return await work(line => Console.Error.WriteLine($"  {Stamp()} {line}"));
        }
        // Whether stderr is a terminal is decided above; Spectre's own guess also looks at stdin.
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Error),
            Interactive = InteractionSupport.Yes,
        });
        // Steps of parallel challenges report from several threads; the console takes one at a time.
        var gate = new Lock();
        return await console.Status().Spinner(Spinner.Known.Dots).StartAsync(Markup.Escape(title), status => work(line =>
        {
            lock (gate)
            {
                console.MarkupLine($"  [grey]{Markup.Escape(Stamp())}[/] {Markup.Escape(line)}");
                status.Status($"{Markup.Escape(title)} [grey]{Markup.Escape(Stamp())}[/] {Markup.Escape(line)}");
            }
        }));
    }
}
