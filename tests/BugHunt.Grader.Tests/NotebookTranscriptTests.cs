using BugHunt.Core.Sandbox;
using Xunit;

namespace BugHunt.Grader.Tests;

/// <summary>
/// The host's reading of a notebook run: events out of order, repeated, after done, from a probe
/// run, or past the caps are a protocol violation that makes the whole run count for nothing,
/// exactly as for submissions. No Docker needed.
/// </summary>
public sealed class NotebookTranscriptTests
{
    private static RunnerEvent E(string type, int? cell = null) => new() { Type = type, Cell = cell };

    private static RunnerEvent Ok(int cell, string? value = null, params NotebookDisplay[] displays) =>
        new() { Type = RunnerEventTypes.CellFinished, Cell = cell, Status = CellStatuses.Ok, Value = value, Console = "", Displays = displays };

    private static RunnerEvent Threw(int cell) =>
        new() { Type = RunnerEventTypes.CellFinished, Cell = cell, Status = CellStatuses.Exception, Failure = new ProbeFailure("System.Exception", "boom", "at cell 2, line 1") };

    private static NotebookDisplay Line(string series, int points) =>
        new(NotebookDisplayKinds.Line, series, new double[points]) { X = new double[points] };

    private static readonly RunnerEvent[] Clean =
    [
        E(RunnerEventTypes.Ready), E(RunnerEventTypes.Compiled),
        E(RunnerEventTypes.CellStarted, 1), Ok(1, "41", Line("loss", 3)),
        E(RunnerEventTypes.CellStarted, 2), Ok(2),
        E(RunnerEventTypes.Done),
    ];

    private static (NotebookTranscript Transcript, List<CellResult> Streamed) Read(IEnumerable<RunnerEvent> events, int cells = 2)
    {
        var transcript = new NotebookTranscript(cells, 16 * 1024);
        var streamed = new List<CellResult>();
        foreach (var e in events)
        {
            if (transcript.Accept(e) is { } cell)
            {
                streamed.Add(cell);
            }
        }
        return (transcript, streamed);
    }

    [Fact]
    public void Events_in_protocol_order_make_a_completed_run_streamed_cell_by_cell()
    {
        var (transcript, streamed) = Read(Clean);
        var result = transcript.Result(NotebookOutcome.Completed, null, 10);

        Assert.Null(transcript.Violation);
        Assert.Equal(NotebookOutcome.Completed, result.Outcome);
        Assert.Equal(NotebookCompile.Ok, result.Compile);
        Assert.Equal([(1, CellStatus.Running), (1, CellStatus.Ok), (2, CellStatus.Running), (2, CellStatus.Ok)], streamed.Select(c => (c.Cell, c.Status)));
        Assert.Equal("41", result.Cells[0].Value);
        Assert.Equal("loss", result.Cells[0].Displays.Single().Label);
    }

    [Fact]
    public void A_failed_cell_ends_the_run_and_the_rest_are_skipped()
    {
        var (transcript, _) = Read([.. Clean[..4], E(RunnerEventTypes.CellStarted, 2), Threw(2), E(RunnerEventTypes.Done)], cells: 4);
        var result = transcript.Result(NotebookOutcome.Completed, null, 10);

        Assert.Null(transcript.Violation);
        Assert.Equal([CellStatus.Ok, CellStatus.Exception, CellStatus.Skipped, CellStatus.Skipped], result.Cells.Select(c => c.Status));
    }

    [Fact]
    public void A_run_killed_mid_cell_keeps_the_cells_before_and_marks_that_one_interrupted()
    {
        var (transcript, _) = Read([.. Clean[..4], E(RunnerEventTypes.CellStarted, 2)], cells: 3);
        var result = transcript.Result(NotebookOutcome.TimedOut, "stopped at the 8 s time limit", 10);

        Assert.Equal(NotebookOutcome.TimedOut, result.Outcome);
        Assert.Equal([CellStatus.Ok, CellStatus.Interrupted, CellStatus.Skipped], result.Cells.Select(c => c.Status));
    }

    [Fact]
    public void A_run_that_ends_without_done_is_a_crash()
    {
        var (transcript, _) = Read(Clean[..4]);

        Assert.Equal(NotebookOutcome.Crashed, transcript.Result(NotebookOutcome.Completed, null, 10).Outcome);
    }

    public static TheoryData<string, RunnerEvent[]> Violations => new()
    {
        { "an event after done", [.. Clean, E(RunnerEventTypes.Done)] },
        { "a second ready", [Clean[0], .. Clean] },
        { "before ready", [E(RunnerEventTypes.Compiled), .. Clean] },
        { "a second compile outcome", [.. Clean[..2], E(RunnerEventTypes.Compiled), .. Clean[2..]] },
        { "a cell before the compile outcome", [Clean[0], .. Clean[2..]] },
        { "a cell after a failed compile", [Clean[0], new RunnerEvent { Type = RunnerEventTypes.CompileError, Diagnostics = [new SourceDiagnostic("A.cs", 1, 1, "CS1002", "; expected")] }, .. Clean[2..]] },
        { "a compile error without diagnostics", [Clean[0], E(RunnerEventTypes.CompileError), E(RunnerEventTypes.Done)] },
        { "a cell started twice", [.. Clean[..4], E(RunnerEventTypes.CellStarted, 1), Ok(1), .. Clean[4..]] },
        { "a cell out of order", [.. Clean[..2], E(RunnerEventTypes.CellStarted, 2), Ok(2), Clean[^1]] },
        { "a cell inside another", [.. Clean[..3], E(RunnerEventTypes.CellStarted, 2), .. Clean[3..]] },
        { "a cell beyond the notebook", [.. Clean[..^1], E(RunnerEventTypes.CellStarted, 3), Ok(3), Clean[^1]] },
        { "a cell finished without starting", [.. Clean[..4], Ok(2), Clean[^1]] },
        { "a cell after a failed cell", [.. Clean[..2], E(RunnerEventTypes.CellStarted, 1), Threw(1), .. Clean[4..]] },
        { "done while a cell runs", [.. Clean[..5], Clean[^1]] },
        { "done before every cell ran and none failed", [.. Clean[..4], Clean[^1]] },
        { "a probe event in a notebook", [.. Clean[..4], new RunnerEvent { Type = RunnerEventTypes.ProbeStarted, Probe = "forward" }, .. Clean[4..]] },
        { "an observation in a notebook", [.. Clean[..4], new RunnerEvent { Type = RunnerEventTypes.ObservationMade, Probe = "p", Observation = new Observation("y", "scalar", "float64", [], [1]) }, .. Clean[4..]] },
        { "an unknown status", [.. Clean[..5], Ok(2) with { Status = "passed" }, Clean[^1]] },
        { "an ok cell with a failure", [.. Clean[..5], Ok(2) with { Failure = new ProbeFailure("X", "y", null) }, Clean[^1]] },
        { "an exception without a failure", [.. Clean[..5], Threw(2) with { Failure = null }, Clean[^1]] },
        { "a policy violation without diagnostics", [.. Clean[..5], Ok(2) with { Status = CellStatuses.PolicyViolation }, Clean[^1]] },
        { "diagnostics of another cell", [.. Clean[..5], Ok(2) with { Status = CellStatuses.CompileError, Displays = [], Diagnostics = [new SourceDiagnostic("cell 1", 1, 1, "CS0103", "x")] }, Clean[^1]] },
        { "diagnostics in a file", [.. Clean[..5], Ok(2) with { Status = CellStatuses.PolicyViolation, Displays = [], Diagnostics = [new SourceDiagnostic("Model.cs", 1, 1, "BH0001", "x")] }, Clean[^1]] },
        { "a value past the cap", [.. Clean[..5], Ok(2, new string('x', NotebookLimits.MaxValueChars + 1)), Clean[^1]] },
        { "a console past the cap", [.. Clean[..5], Ok(2) with { Console = new string('x', 16 * 1024 + 1) }, Clean[^1]] },
        { "a display of no known kind", [.. Clean[..5], Ok(2, null, new NotebookDisplay("image", "x", [1])), Clean[^1]] },
        { "a line whose x and y differ", [.. Clean[..5], Ok(2, null, Line("loss", 2) with { X = [1] }), Clean[^1]] },
        { "a tensor preview past the cap", [.. Clean[..5], Ok(2, null, new NotebookDisplay(NotebookDisplayKinds.Tensor, "t", new double[101]) { ValuesShape = [101] }), Clean[^1]] },
        { "a heatmap whose shape does not hold its values", [.. Clean[..5], Ok(2, null, new NotebookDisplay(NotebookDisplayKinds.Heatmap, "t", new double[6]) { ValuesShape = [2, 2] }), Clean[^1]] },
        { "points past the run's cap", [.. Clean[..5], Ok(2, null, Line("loss", NotebookLimits.MaxPoints - 2)), Clean[^1]] },
        { "displays past the run's cap", [.. Clean[..5], Ok(2, null, [.. Enumerable.Range(0, NotebookLimits.MaxDisplays).Select(_ => new NotebookDisplay(NotebookDisplayKinds.Tensor, "t", [1]) { ValuesShape = [] })]), Clean[^1]] },
        { "series past the run's cap", [.. Clean[..5], Ok(2, null, [.. Enumerable.Range(0, NotebookLimits.MaxSeries).Select(i => Line("s" + i, 1))]), Clean[^1]] },
        { "an output limit no cell reported", [.. Clean[..^1], E(RunnerEventTypes.Done) with { OutputLimitExceeded = true }] },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public void Out_of_order_repeated_forged_or_oversized_events_are_a_protocol_violation(string name, RunnerEvent[] events)
    {
        var (transcript, _) = Read(events);
        var result = transcript.Result(NotebookOutcome.Completed, null, 10);

        Assert.True(transcript.Violation is not null, $"{name}: accepted");
        Assert.Equal(NotebookOutcome.ProtocolViolation, result.Outcome);
        Assert.All(result.Cells, c => Assert.Equal(CellStatus.Skipped, c.Status));
        Assert.StartsWith("protocol violation", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_is_streamed_after_a_violation()
    {
        var (_, streamed) = Read([.. Clean[..2], E(RunnerEventTypes.CellStarted, 2), E(RunnerEventTypes.CellStarted, 1), Ok(1), Clean[^1]]);

        Assert.Empty(streamed);
    }
}
