using System.Diagnostics;
using BugHunt.Core.Grading;
using BugHunt.Core.Packs;
using BugHunt.Core.Sandbox;

namespace BugHunt.Grader.Sandboxes;

public sealed partial class DockerSandbox
{
    /// <summary>
    /// The job of a notebook run: the candidate's files and cells, the challenge's rules, a fresh
    /// nonce, and nothing else. No probe, no hidden input, no reference value: a notebook runs only
    /// the candidate's own code. <paramref name="seed"/> must be the public seed or the candidate's
    /// choice, never a hidden one.
    /// </summary>
    public SandboxJob NotebookJobFor(IReadOnlyDictionary<string, string> files, IReadOnlyList<string> cells, long seed, SubmissionRules rules) =>
        new(NewNonce(), files, [], Options.MaxConsoleChars) { Rules = rules, Notebook = new NotebookSpec(cells, seed) };

    /// <summary>
    /// Runs a candidate's notebook in a fresh single-use container (warm from the pool when one
    /// fits), with the hardening and limits of a submission; the time limit is the whole run's.
    /// <paramref name="onCell"/> hears each cell as it starts (<see cref="CellStatus.Running"/>)
    /// and as it finishes, from the reading thread, once the event has passed the protocol's
    /// checks. The returned result supersedes what was streamed: after a protocol violation it
    /// counts nothing the run said.
    /// </summary>
    public Task<NotebookResult> RunNotebookAsync(
        IReadOnlyDictionary<string, string> files,
        IReadOnlyList<string> cells,
        long seed,
        SubmissionRules rules,
        SandboxLimits limits,
        Action<CellResult>? onCell,
        CancellationToken ct) =>
        RunNotebookAsync(NotebookJobFor(files, cells, seed, rules), limits, onCell, ct);

    /// <summary>Runs a job made by <see cref="NotebookJobFor"/>; a job that carries a probe is refused, never sent.</summary>
    public async Task<NotebookResult> RunNotebookAsync(SandboxJob job, SandboxLimits limits, Action<CellResult>? onCell, CancellationToken ct)
    {
        if (job.Notebook is not { } notebook || job.Probes.Count > 0 || job.CompileProbes is not null)
        {
            throw new ArgumentException("A notebook job carries a notebook and no probe.", nameof(job));
        }
        var transcript = new NotebookTranscript(notebook.Cells.Count, job.MaxConsoleChars);
        var wall = Stopwatch.StartNew();
        try
        {
            var execution = await ExecuteAsync(job, limits, e =>
            {
                if (transcript.Accept(e) is { } cell)
                {
                    onCell?.Invoke(cell);
                }
            }, ct);
            return Classify(transcript, execution, limits);
        }
        catch (Exception e) when (SandboxContainers.IsEngineFailure(e) && !ct.IsCancellationRequested)
        {
            return transcript.Failed(NotebookOutcome.InfrastructureFailure, "the sandbox could not run the notebook; run it again", wall.Elapsed.TotalMilliseconds)
                with { Detail = $"{e.GetType().Name}: {e.Message}" };
        }
    }

    /// <summary>
    /// The notebook's result from how the container ended and what the runner said. The reason is
    /// the candidate's to read; the runner's stderr and what broke the protocol go to the detail.
    /// </summary>
    private static NotebookResult Classify(NotebookTranscript transcript, Execution x, SandboxLimits limits)
    {
        var end = End(x, limits);
        var stderr = x.Reader.Stderr();
        if (end.Exit == SandboxExit.InfrastructureFailure)
        {
            return end.ProtocolViolated
                ? transcript.Failed(NotebookOutcome.ProtocolViolation, "the notebook run could not be read", x.WallMs) with { Detail = end.Reason + stderr, Warm = x.Warm }
                : transcript.Failed(NotebookOutcome.InfrastructureFailure, "the sandbox was stopped from outside; run the notebook again", x.WallMs) with { Detail = end.Reason };
        }
        var code = x.State.ExitCode;
        var (outcome, reason) = end.Exit switch
        {
            SandboxExit.TimedOut => (NotebookOutcome.TimedOut, $"stopped at the {limits.TimeSeconds} s time limit"),
            SandboxExit.OutOfMemory => (NotebookOutcome.OutOfMemory, end.Reason),
            SandboxExit.OutputLimit => (NotebookOutcome.OutputLimit, "the notebook wrote more than the sandbox passes on"),
            _ when code != 0 && !transcript.Done => (NotebookOutcome.Crashed, $"the notebook crashed the sandbox process{Signal(code)}"),
            _ => (NotebookOutcome.Completed, null),
        };
        var result = transcript.Result(outcome, reason, x.WallMs);
        var detail = result.Detail ?? (outcome == NotebookOutcome.Completed && code == 0 ? null : end.Reason);
        return result with
        {
            Detail = detail + stderr is { Length: > 0 } text ? text.Trim() : null,
            Warm = x.Warm,
            ExitCode = code != 0 && end.Exit == SandboxExit.Completed ? code : null,
        };
    }
}
