using BugHunt.Core.Grading;
using BugHunt.Core.Sandbox;
using Xunit;

namespace BugHunt.Core.Tests;

/// <summary>
/// The host's reading of the protocol: events out of order, repeated or after done are a
/// violation that makes the run an infrastructure failure, never data a verdict could count.
/// </summary>
public sealed class SandboxRunProtocolTests
{
    private static RunnerEvent E(string type, string? probe = null, string? observation = null) => new()
    {
        Type = type,
        Probe = probe,
        Observation = observation is null ? null : new Observation(observation, "scalar", "float64", [], [1]),
    };

    private static readonly RunnerEvent[] Clean =
    [
        E(RunnerEventTypes.Ready), E(RunnerEventTypes.Compiled),
        E(RunnerEventTypes.ProbeStarted, "p"), E(RunnerEventTypes.ObservationMade, "p", "y"), E(RunnerEventTypes.ProbeFinished, "p"),
        E(RunnerEventTypes.Done),
    ];

    [Fact]
    public void Events_in_protocol_order_make_a_completed_run()
    {
        var run = SandboxRun.FromEvents(Clean, SandboxExit.Completed, null, 10);

        Assert.Equal(SandboxExit.Completed, run.Exit);
        Assert.True(run.Probes["p"].Finished);
        Assert.Equal([1.0], run.Probes["p"].Observations["y"].Values);
    }

    public static TheoryData<string, RunnerEvent[]> Violations => new()
    {
        { "an event after done", [.. Clean, E(RunnerEventTypes.ProbeFinished, "p")] },
        { "an event after done", [.. Clean, E(RunnerEventTypes.Done)] },
        { "duplicate observation", [.. Clean[..4], E(RunnerEventTypes.ObservationMade, "p", "y"), .. Clean[4..]] },
        { "probe started twice", [.. Clean[..5], E(RunnerEventTypes.ProbeStarted, "p"), E(RunnerEventTypes.ProbeFinished, "p"), Clean[5]] },
        { "observation outside its probe", [.. Clean[..5], E(RunnerEventTypes.ObservationMade, "p", "z"), Clean[5]] },
        { "finished without start", [Clean[0], Clean[1], E(RunnerEventTypes.ProbeFinished, "q"), Clean[5]] },
        { "before ready", [E(RunnerEventTypes.Compiled), .. Clean] },
        { "second compile outcome", [Clean[0], Clean[1], E(RunnerEventTypes.Compiled), .. Clean[2..]] },
        { "probe after a failed compile", [Clean[0], E(RunnerEventTypes.CompileError), E(RunnerEventTypes.ProbeStarted, "p"), Clean[5]] },
        { "unknown event", [.. Clean[..5], E("verdict"), Clean[5]] },
        { "done inside a probe", [.. Clean[..4], Clean[5]] },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public void Out_of_order_repeated_or_late_events_are_a_protocol_violation(string name, RunnerEvent[] events)
    {
        var run = SandboxRun.FromEvents(events, SandboxExit.Completed, null, 10);

        Assert.True(run.Exit == SandboxExit.InfrastructureFailure, $"{name}: {run.Exit}");
        Assert.StartsWith("protocol violation", run.Reason, StringComparison.Ordinal);
        Assert.Empty(run.Probes);
        Assert.Equal(VerdictKind.SandboxError, Judge.Decide([], run, new Dictionary<string, ProbeReport>()).Kind);
    }
}
