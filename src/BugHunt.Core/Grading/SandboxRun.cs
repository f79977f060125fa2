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
    /// <summary>The infrastructure failed; never the candidate's fault.</summary>
    InfrastructureFailure,
}

/// <summary>What one probe did inside the sandbox.</summary>
public sealed record ProbeReport(string Id, bool Finished, ProbeFailure? Failure, double ElapsedMs, IReadOnlyDictionary<string, Observation> Observations, string Console = "");

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
    /// <summary>Whether the job ran in a pre-started warm container.</summary>
    public bool Warm { get; init; }

    public static SandboxRun Infrastructure(string reason, double wallMs = 0) =>
        new(SandboxExit.InfrastructureFailure, reason, false, false, [], new Dictionary<string, ProbeReport>(), "", false, 0, 0, wallMs);

    /// <summary>Folds the runner's protocol events into a run, whatever point it reached.</summary>
    public static SandboxRun FromEvents(IEnumerable<RunnerEvent> events, SandboxExit exit, string? reason, double wallMs)
    {
        var compiled = false;
        var policy = false;
        var diagnostics = new List<SourceDiagnostic>();
        var probes = new Dictionary<string, (bool Finished, ProbeFailure? Failure, double Ms, Dictionary<string, Observation> Obs, string Console)>(StringComparer.Ordinal);
        string console = "";
        bool truncated = false, done = false, outputLimit = false;
        double compileMs = 0, runnerMs = 0;
        foreach (var e in events)
        {
            switch (e.Type)
            {
                case RunnerEventTypes.Compiled:
                    compiled = true;
                    compileMs = e.ElapsedMs ?? 0;
                    break;
                case RunnerEventTypes.CompileError or RunnerEventTypes.PolicyViolation:
                    policy = e.Type == RunnerEventTypes.PolicyViolation;
                    diagnostics.AddRange(e.Diagnostics ?? []);
                    compileMs = e.ElapsedMs ?? 0;
                    break;
                case RunnerEventTypes.ProbeStarted when e.Probe is not null:
                    probes[e.Probe] = (false, null, 0, new Dictionary<string, Observation>(StringComparer.Ordinal), "");
                    break;
                case RunnerEventTypes.ObservationMade when e.Probe is not null && e.Observation is not null && probes.ContainsKey(e.Probe):
                    probes[e.Probe].Obs[e.Observation.Name] = e.Observation;
                    break;
                case RunnerEventTypes.ProbeFinished when e.Probe is not null && probes.TryGetValue(e.Probe, out var p):
                    probes[e.Probe] = (true, e.Failure, e.ElapsedMs ?? 0, p.Obs, e.Console ?? "");
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
        if (exit == SandboxExit.Completed && outputLimit)
        {
            exit = SandboxExit.OutputLimit;
            reason = $"submitted code printed more than the output limit";
        }
        if (exit == SandboxExit.Completed && !done)
        {
            exit = SandboxExit.Crashed;
            reason ??= "the sandbox process ended before reporting its results";
        }
        var reports = probes.ToDictionary(p => p.Key, p => new ProbeReport(p.Key, p.Value.Finished, p.Value.Failure, p.Value.Ms, p.Value.Obs, p.Value.Console), StringComparer.Ordinal);
        return new SandboxRun(exit, reason, compiled, policy, diagnostics, reports, console, truncated, compileMs, runnerMs, wallMs);
    }

    /// <summary>Why this run cannot serve as reference observations, or null when it can: it must have compiled and run every probe cleanly.</summary>
    public string? ProblemAsReference(IEnumerable<ProbeSource> probes)
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
        foreach (var probe in probes)
        {
            if (!Probes.TryGetValue(probe.Id, out var report) || !report.Finished)
            {
                return $"probe '{probe.Id}' did not run";
            }
            if (report.Failure is { } f)
            {
                return $"probe '{probe.Id}' threw {f.Type}: {f.Message}";
            }
        }
        return null;
    }
}
