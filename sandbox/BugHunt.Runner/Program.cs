using System.Diagnostics;
using System.Text;
using System.Text.Json;
using BugHunt.Core.Sandbox;
using BugHunt.Runner;

// The in-container runner. Reads one SandboxJob from stdin, compiles, checks the policy, runs the
// probes, and reports on the protocol channel (the real stdout, each line prefixed with the job's
// nonce). Whatever submitted code prints goes to a capped buffer returned in the final event.
var protocol = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };

// In a warm pool the runner loads Roslyn and TorchSharp and compiles a warm-up before any job
// exists, then says so on a line of its own and waits for its one job on stdin.
if (args.Contains("--warm"))
{
    WarmUp.Run();
    protocol.WriteLine(RunnerEventTypes.WarmLine);
}
var clock = Stopwatch.StartNew();

// Benchmark mode (host only, trusted code): the physical limit of grading, i.e. compile + probes
// in this process with no isolation, after the same warm-up a pooled container does.
if (args is ["--bench", var count])
{
    return Bench.Run(int.Parse(count, System.Globalization.CultureInfo.InvariantCulture), protocol);
}

SandboxJob job;
using (var stdin = new StreamReader(Console.OpenStandardInput(), Encoding.UTF8))
{
    job = JsonSerializer.Deserialize<SandboxJob>(stdin.ReadToEnd(), ProtocolJson.Options)
        ?? throw new InvalidDataException("The job on stdin is empty.");
}

var console = new CappedWriter(job.MaxConsoleChars, job.MaxOutputChars);
var consoleWriter = TextWriter.Synchronized(console);
Console.SetOut(consoleWriter);
Console.SetError(consoleWriter);

var emitLock = new object();
void Emit(RunnerEvent e)
{
    lock (emitLock)
    {
        protocol.WriteLine(ProtocolJson.FormatLine(job.Nonce, e));
    }
}

Emit(new RunnerEvent { Type = RunnerEventTypes.Ready, ElapsedMs = clock.Elapsed.TotalMilliseconds });
var compileClock = Stopwatch.StartNew();
var outcome = SubmissionCompiler.Compile(job.Files);
if (outcome.Submission is null)
{
    Emit(new RunnerEvent
    {
        Type = outcome.PolicyViolated ? RunnerEventTypes.PolicyViolation : RunnerEventTypes.CompileError,
        Diagnostics = outcome.Errors,
        ElapsedMs = compileClock.Elapsed.TotalMilliseconds,
    });
}
else
{
    Emit(new RunnerEvent { Type = RunnerEventTypes.Compiled, ElapsedMs = compileClock.Elapsed.TotalMilliseconds });
    ProbeRunner.Run(outcome.Submission, job.Probes, job.Seed, () =>
    {
        consoleWriter.Flush();
        return console.TakeNew();
    }, Emit);
}
consoleWriter.Flush();
Emit(new RunnerEvent
{
    Type = RunnerEventTypes.Done,
    ElapsedMs = clock.Elapsed.TotalMilliseconds,
    Console = console.TakeNew(),
    ConsoleTruncated = console.Truncated,
    OutputLimitExceeded = console.LimitExceeded ? true : null,
});
return 0;
