using System.Diagnostics;
using System.Text;
using System.Text.Json;
using BugHunt.Core.Sandbox;
using BugHunt.Runner;

// The in-container runner. Reads one SandboxJob from stdin, compiles, checks the policy, runs the
// probes (or, for a probe build, compiles the probes against the reference; for a notebook, runs
// the candidate's cells), and reports on the protocol channel, each line prefixed with the job's nonce. The channel is a descriptor of its
// own: stdout is pointed at stderr first, so nothing else can write a protocol line. Whatever
// submitted code prints goes to a capped buffer returned per probe.
var protocol = ProtocolChannel.Open();

using var stdin = new StreamReader(Console.OpenStandardInput(), Encoding.UTF8);

// In a warm pool the runner loads Roslyn and TorchSharp and compiles a warm-up before any job
// exists, then says so on a line of its own. The host answers with a primer line (a job of the
// challenge the pool serves, on its starter, or an empty line), which runs with everything it
// reports thrown away; then the runner says so again and waits for its one job on stdin.
if (args.Contains("--warm"))
{
    WarmUp.Run();
    protocol.WriteLine(RunnerEventTypes.WarmLine);
    WarmUp.Prime(stdin.ReadLine());
    protocol.WriteLine(RunnerEventTypes.PrimedLine);
}
var clock = Stopwatch.StartNew();

// Benchmark mode (host only, trusted code): the physical limit of grading, i.e. compile + probes
// in this process with no isolation, after the same warm-up a pooled container does.
if (args is ["--bench", var count])
{
    return Bench.Run(int.Parse(count, System.Globalization.CultureInfo.InvariantCulture), protocol);
}

var job = JsonSerializer.Deserialize<SandboxJob>(stdin.ReadToEnd(), ProtocolJson.Options)
    ?? throw new InvalidDataException("The job on stdin is empty.");
// The job's time starts now: a pooled runner may have waited minutes for it.
clock.Restart();

if (job.Notebook is not null && (job.Probes.Count > 0 || job.CompileProbes is not null))
{
    // A notebook runs the candidate's own code only; the host never sends one with probes.
    throw new InvalidDataException("A notebook job carries probes.");
}

// A notebook keeps the console shown per cell; a submission per run (split between its probes).
var console = new CappedWriter(job.MaxConsoleChars, job.MaxOutputChars, keepPerTake: job.Notebook is not null);
var consoleWriter = TextWriter.Synchronized(console);
Console.SetOut(consoleWriter);
Console.SetError(consoleWriter);

var emitLock = new object();
var finished = false;
void Emit(RunnerEvent e)
{
    lock (emitLock)
    {
        // After "done" the channel is closed: a late writer (a finalizer, say) is not heard.
        if (!finished)
        {
            protocol.WriteLine(ProtocolJson.FormatLine(job.Nonce, e));
            finished = e.Type == RunnerEventTypes.Done;
        }
    }
}
ConsoleChunk TakeConsole()
{
    consoleWriter.Flush();
    return console.TakeNew();
}

Emit(new RunnerEvent { Type = RunnerEventTypes.Ready, ElapsedMs = clock.Elapsed.TotalMilliseconds });
var compileClock = Stopwatch.StartNew();
var outcome = SubmissionCompiler.Compile(job.Files, job.Rules, withSymbols: job.Notebook is not null);
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
    if (job.Notebook is { } notebook)
    {
        NotebookRunner.Run(outcome.Submission, notebook, job.Rules, TakeConsole, () => console.LimitExceeded, job.MaxOutputChars, Emit);
    }
    else
    {
        foreach (var source in job.CompileProbes ?? [])
        {
            var probeClock = Stopwatch.StartNew();
            var (compiled, error) = ProbeCompiler.Compile(outcome.Submission, source);
            Emit(new RunnerEvent
            {
                Type = RunnerEventTypes.ProbeCompiled,
                Probe = source.Id,
                Compiled = compiled,
                Failure = error is null ? null : new ProbeFailure("ProbeCompileError", error, null),
                ElapsedMs = probeClock.Elapsed.TotalMilliseconds,
            });
        }
        ProbeRunner.Run(outcome.Submission, job.Probes, TakeConsole, Emit);
    }
}
var rest = TakeConsole();
Emit(new RunnerEvent
{
    Type = RunnerEventTypes.Done,
    ElapsedMs = clock.Elapsed.TotalMilliseconds,
    Console = rest.Text,
    ConsoleTruncated = rest.Truncated ? true : null,
    OutputLimitExceeded = console.LimitExceeded ? true : null,
});
// Everything the host needs is on the channel: skip the runtime's and libtorch's teardown.
ProtocolChannel.Exit(0);
return 0;
