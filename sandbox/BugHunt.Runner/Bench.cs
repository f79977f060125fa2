using System.Diagnostics;
using System.Text.Json;
using BugHunt.Core.Sandbox;

namespace BugHunt.Runner;

/// <summary>
/// Runs one job's compile + probes N times in-process and prints "bench &lt;ms&gt;" per run. Stdin
/// holds a primer line (as a warm pool sends it; empty for none) and then the job, so the first run
/// is what a primed pooled container does and the later ones the steady state of a warm process.
/// </summary>
internal static class Bench
{
    public static int Run(int count, TextWriter output)
    {
        var primer = Console.In.ReadLine();
        var job = JsonSerializer.Deserialize<SandboxJob>(Console.In.ReadToEnd(), ProtocolJson.Options)
            ?? throw new InvalidDataException("The job on stdin is empty.");
        WarmUp.Run();
        WarmUp.Prime(primer);
        var console = new CappedWriter(job.MaxConsoleChars, job.MaxOutputChars);
        Console.SetOut(console);
        for (var i = 0; i < count; i++)
        {
            var clock = Stopwatch.StartNew();
            var outcome = SubmissionCompiler.Compile(job.Files, job.Rules);
            var failed = outcome.Submission is null;
            if (outcome.Submission is not null)
            {
                ProbeRunner.Run(outcome.Submission, job.Probes, console.TakeNew, e => failed |= e.Failure is not null);
            }
            output.WriteLine($"bench {clock.Elapsed.TotalMilliseconds:F1}{(failed ? " failed" : "")}");
        }
        return 0;
    }
}
