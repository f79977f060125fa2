using BugHunt.Core.Sandbox;

namespace BugHunt.Core.Grading;

/// <summary>How the sandbox process ended, as seen from the host.</summary>
public enum SandboxExit
{
    /// <summary>The runner reported "done".</summary>
    Completed,
    /// <summary>The host killed it at the wall-clock limit.</summary>
    TimedOut,
    /// <summary>The kernel killed it at the memory limit.</summary>
    OutOfMemory,
    /// <summary>It ended without reporting "done" (crash, exit from submitted code).</summary>
    Crashed,
    /// <summary>Its output exceeded the protocol cap and it was stopped.</summary>
    OutputLimit,
    /// <summary>The infrastructure failed, or the protocol was broken; never data for a verdict.</summary>
    InfrastructureFailure,
}

/// <summary>What one probe did inside the sandbox.</summary>
public sealed record ProbeReport(string Id, bool Finished, ProbeFailure? Failure, double ElapsedMs, IReadOnlyDictionary<string, Observation> Observations, string Console = "")
{
    /// <summary>Submitted code printed more during this probe than was kept.</summary>
    public bool ConsoleTruncated { get; init; }
}

/// <summary>Everything the host learned from one sandbox run: the runner's events folded together.</summary>
public sealed record SandboxRun(
    SandboxExit Exit,
    string? Reason,
    bool Compiled,
    bool PolicyViolated,
    IReadOnlyList<SourceDiagnostic> Diagnostics,
    IReadOnlyDictionary<string, ProbeReport> Probes,
    string Console,
    bool ConsoleTruncated,
    double CompileMs,
    double RunnerMs,
    double WallMs)
{
    /// <summary>The host's steps of the run in milliseconds (see <see cref="Timings.HostMs"/>); null when not measured.</summary>
    public IReadOnlyDictionary<string, double>? HostMs { get; init; }

    /// <summary>Whether the job ran in a pre-started warm container.</summary>
    public bool Warm { get; init; }

    /// <summary>The process's exit code when it ended by itself with a non-zero code (a signal is 128 + n).</summary>
    public long? ExitCode { get; init; }

    /// <summary>The probe that had started and not finished when the process ended, if any.</summary>
    public string? InterruptedProbe { get; init; }

    /// <summary>Probes a probe build compiled, by id, and the compile errors of those that did not.</summary>
    public IReadOnlyDictionary<string, CompiledProbe> CompiledProbes { get; init; } = new Dictionary<string, CompiledProbe>();

    public IReadOnlyDictionary<string, string> ProbeCompileErrors { get; init; } = new Dictionary<string, string>();

    public static SandboxRun Infrastructure(string reason, double wallMs = 0) =>
        new(SandboxExit.InfrastructureFailure, reason, false, false, [], new Dictionary<string, ProbeReport>(), "", false, 0, 0, wallMs);

    /// <summary>
    /// Folds the runner's protocol events into a run, whatever point it reached. The events must
    /// come in the protocol's order (ready; one compile outcome; probe builds; probes, each started,
    /// observed and finished once; done last). Anything else is a protocol violation: the run
    /// becomes an infrastructure failure, never data a verdict could count.
    /// </summary>
    public static SandboxRun FromEvents(IEnumerable<RunnerEvent> events, SandboxExit exit, string? reason, double wallMs)
    {
        var compiled = false;
        var policy = false;
        var diagnostics = new List<SourceDiagnostic>();
        var probes = new Dictionary<string, ProbeReport>(StringComparer.Ordinal);
        var builds = new Dictionary<string, CompiledProbe>(StringComparer.Ordinal);
        var buildErrors = new Dictionary<string, string>(StringComparer.Ordinal);
        Dictionary<string, Observation>? observations = null;
        string? current = null;
        string console = "";
        bool truncated = false, ready = false, outcome = false, done = false, outputLimit = false;
        double compileMs = 0, runnerMs = 0;
        var index = 0;
        foreach (var e in events)
        {
            index++;
            string? violation = e.Type switch
            {
                _ when done => "an event after done",
                RunnerEventTypes.Ready => ready ? "a second ready" : null,
                _ when !ready => $"{e.Type} before ready",
                RunnerEventTypes.Compiled or RunnerEventTypes.CompileError or RunnerEventTypes.PolicyViolation => outcome ? "a second compile outcome" : null,
                RunnerEventTypes.Done => current is not null ? $"done while probe '{current}' was running" : null,
                _ when !outcome => $"{e.Type} before the compile outcome",
                _ when !compiled => $"{e.Type} after a failed compile",
                RunnerEventTypes.ProbeCompiled => e.Probe is null || probes.Count > 0 || builds.ContainsKey(e.Probe) || buildErrors.ContainsKey(e.Probe) || (e.Compiled is null) == (e.Failure is null)
                    || (e.Compiled is not null && e.Compiled.Id != e.Probe) ? "a malformed or repeated probe build" : null,
                RunnerEventTypes.ProbeStarted => e.Probe is null || current is not null || probes.ContainsKey(e.Probe) ? "a probe started twice or inside another" : null,
                RunnerEventTypes.ObservationMade => e.Probe is null || e.Probe != current || e.Observation is null || observations!.ContainsKey(e.Observation.Name)
                    ? "an observation outside its probe, or a duplicate observation name" : null,
                RunnerEventTypes.ProbeFinished => e.Probe is null || e.Probe != current ? "a probe finished that had not started" : null,
                _ => $"an unknown event '{e.Type}'",
            };
            if (violation is not null)
            {
                return Infrastructure($"protocol violation at event {index}: {violation}", wallMs);
            }
            switch (e.Type)
            {
                case RunnerEventTypes.Ready:
                    ready = true;
                    break;
                case RunnerEventTypes.Compiled:
                    outcome = compiled = true;
                    compileMs = e.ElapsedMs ?? 0;
                    break;
                case RunnerEventTypes.CompileError or RunnerEventTypes.PolicyViolation:
                    outcome = true;
                    policy = e.Type == RunnerEventTypes.PolicyViolation;
                    diagnostics.AddRange(e.Diagnostics ?? []);
                    compileMs = e.ElapsedMs ?? 0;
                    break;
                case RunnerEventTypes.ProbeCompiled when e.Compiled is not null:
                    builds[e.Probe!] = e.Compiled;
                    break;
                case RunnerEventTypes.ProbeCompiled:
                    buildErrors[e.Probe!] = e.Failure!.Message;
                    break;
                case RunnerEventTypes.ProbeStarted:
                    current = e.Probe;
                    observations = new Dictionary<string, Observation>(StringComparer.Ordinal);
                    break;
                case RunnerEventTypes.ObservationMade:
                    observations![e.Observation!.Name] = e.Observation;
                    break;
                case RunnerEventTypes.ProbeFinished:
                    probes[current!] = new ProbeReport(current!, true, e.Failure, e.ElapsedMs ?? 0, observations!, e.Console ?? "") { ConsoleTruncated = e.ConsoleTruncated ?? false };
                    current = null;
                    break;
                case RunnerEventTypes.Done:
                    done = true;
                    console = e.Console ?? "";
                    truncated = e.ConsoleTruncated ?? false;
                    outputLimit = e.OutputLimitExceeded ?? false;
                    runnerMs = e.ElapsedMs ?? 0;
                    break;
            }
        }
        if (current is not null)
        {
            probes[current] = new ProbeReport(current, false, null, 0, observations!, "");
        }
        if (exit == SandboxExit.Completed && outputLimit)
        {
            exit = SandboxExit.OutputLimit;
            reason = "submitted code printed more than the output limit";
        }
        if (exit == SandboxExit.Completed && !done)
        {
            exit = SandboxExit.Crashed;
            reason ??= "the sandbox process ended before reporting its results";
        }
        return new SandboxRun(exit, reason, compiled, policy, diagnostics, probes, console, truncated, compileMs, runnerMs, wallMs)
        {
            InterruptedProbe = current,
            CompiledProbes = builds,
            ProbeCompileErrors = buildErrors,
        };
    }

    /// <summary>Why this run cannot serve as reference observations, or null when it can: it must have compiled and run every probe cleanly.</summary>
    public string? ProblemAsReference(IEnumerable<string> probeIds)
    {
        if (Exit != SandboxExit.Completed)
        {
            return $"{Exit}: {Reason}";
        }
        if (!Compiled)
        {
            var d = Diagnostics.FirstOrDefault();
            return d is null ? "did not compile" : $"{d.File}:{d.Line}: {d.Message}";
        }
        foreach (var id in probeIds)
        {
            if (!Probes.TryGetValue(id, out var report) || !report.Finished)
            {
                return $"probe '{id}' did not run";
            }
            if (report.Failure is { } f)
            {
                return $"probe '{id}' threw {f.Type}: {f.Message}";
            }
        }
        return null;
    }
}
