using System.Text.Json.Serialization;

namespace BugHunt.Core.Sandbox;

/// <summary>How a notebook run ended, as the host saw it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NotebookOutcome>))]
public enum NotebookOutcome
{
    /// <summary>The runner reported done: every cell ran, or the first failing cell ended the run.</summary>
    Completed,
    /// <summary>The host killed the container at the wall-clock limit; the cells finished before are kept.</summary>
    TimedOut,
    /// <summary>The notebook printed past the output limit (or the runner wrote past the protocol cap).</summary>
    OutputLimit,
    /// <summary>The kernel killed the container at the memory limit.</summary>
    OutOfMemory,
    /// <summary>The runner ended without done: a stack overflow, a native crash (see <see cref="NotebookResult.ExitCode"/>).</summary>
    Crashed,
    /// <summary>The runner's channel carried something that is not the protocol; nothing after it counts.</summary>
    ProtocolViolation,
    /// <summary>Docker failed, or the container was killed from outside: not the candidate's doing, worth a retry.</summary>
    InfrastructureFailure,
}

/// <summary>What became of the candidate's files before any cell ran.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NotebookCompile>))]
public enum NotebookCompile
{
    Ok,
    /// <summary>The files do not compile: <see cref="NotebookResult.Diagnostics"/> name file, line and column; no cell ran.</summary>
    CompileError,
    /// <summary>The files break the submission policy: the diagnostics quote it; no cell ran.</summary>
    PolicyViolation,
    /// <summary>The run ended before the files were compiled.</summary>
    NotReached,
}

[JsonConverter(typeof(JsonStringEnumConverter<CellStatus>))]
public enum CellStatus
{
    /// <summary>Only in the live callback: the cell has started.</summary>
    Running,
    Ok,
    /// <summary>The cell threw: <see cref="CellResult.Failure"/> has the type, message and the candidate's frames.</summary>
    Exception,
    /// <summary>The cell does not compile: <see cref="CellResult.Diagnostics"/> name the cell, line and column.</summary>
    CompileError,
    /// <summary>The cell breaks the submission policy: the diagnostics quote it with the position.</summary>
    PolicyViolation,
    /// <summary>The cell printed past the output limit, which ended the run.</summary>
    OutputLimit,
    /// <summary>The cell had started when the run ended (time limit, memory limit, crash).</summary>
    Interrupted,
    /// <summary>The cell never started: an earlier cell failed, or the run ended first.</summary>
    Skipped,
}

/// <summary>
/// One cell of a notebook run. <see cref="ElapsedMs"/> is the time the cell's code ran (with its
/// result shown), <see cref="CompileMs"/> the time its compile and checks took.
/// </summary>
public sealed record CellResult(int Cell, CellStatus Status)
{
    public double CompileMs { get; init; }
    public double ElapsedMs { get; init; }
    public string Console { get; init; } = "";
    public bool ConsoleTruncated { get; init; }

    /// <summary>The cell's result as text (at most <see cref="NotebookLimits.MaxValueChars"/>), null when it has none.</summary>
    public string? Value { get; init; }

    public ProbeFailure? Failure { get; init; }
    public IReadOnlyList<SourceDiagnostic> Diagnostics { get; init; } = [];
    public IReadOnlyList<NotebookDisplay> Displays { get; init; } = [];
    public bool DisplaysTruncated { get; init; }
}

/// <summary>
/// A notebook run as the host reports it: what became of the files, every cell (in order, one
/// per cell sent), and how the run ended. <see cref="Reason"/> is written for the candidate;
/// <see cref="Detail"/> (the runner's stderr, what broke the protocol) is for staff only.
/// </summary>
public sealed record NotebookResult(
    NotebookOutcome Outcome,
    string? Reason,
    NotebookCompile Compile,
    IReadOnlyList<SourceDiagnostic> Diagnostics,
    IReadOnlyList<CellResult> Cells,
    double CompileMs,
    double RunnerMs,
    double WallMs)
{
    public string? Detail { get; init; }

    /// <summary>Whether the run took a pre-started warm container.</summary>
    public bool Warm { get; init; }

    /// <summary>The process's exit code when it ended by itself with a non-zero code (a signal is 128 + n).</summary>
    public long? ExitCode { get; init; }
}

/// <summary>
/// Reads a notebook run's events as they arrive and holds them to the protocol's order: ready;
/// one compile outcome; then, after a clean compile, cells 1, 2, … each started and finished once,
/// in order, within the caps, none after a cell that did not end ok; done last, after the last
/// cell or the failing one; nothing after done. Anything else (a probe event, a repeated or
/// out-of-order event, a display past a cap, a forged field) is a protocol violation: the
/// transcript stops there and the run counts for nothing.
/// </summary>
public sealed class NotebookTranscript(int cellCount, int maxConsoleChars)
{
    private readonly List<CellResult> _finished = [];
    private readonly List<SourceDiagnostic> _diagnostics = [];
    private readonly HashSet<(string Kind, string Label)> _named = [];
    private int _displays;
    private int _points;
    private int _events;
    private bool _ready;
    private int? _running;
    private bool _outputLimit;
    private double _compileMs;
    private double _runnerMs;

    public NotebookCompile Compile { get; private set; } = NotebookCompile.NotReached;

    public bool Done { get; private set; }

    /// <summary>The first event that broke the protocol, described, or null.</summary>
    public string? Violation { get; private set; }

    /// <summary>
    /// Takes the next event. Returns the cell it changes (a started cell as <see cref="CellStatus.Running"/>,
    /// or the finished cell), or null. After a violation every event is ignored.
    /// </summary>
    public CellResult? Accept(RunnerEvent e)
    {
        if (Violation is not null)
        {
            return null;
        }
        _events++;
        if (Check(e) is { } violation)
        {
            Violation = $"event {_events} ({e.Type}): {violation}";
            return null;
        }
        switch (e.Type)
        {
            case RunnerEventTypes.Ready:
                _ready = true;
                return null;
            case RunnerEventTypes.Compiled or RunnerEventTypes.CompileError or RunnerEventTypes.PolicyViolation:
                Compile = e.Type switch
                {
                    RunnerEventTypes.Compiled => NotebookCompile.Ok,
                    RunnerEventTypes.CompileError => NotebookCompile.CompileError,
                    _ => NotebookCompile.PolicyViolation,
                };
                _diagnostics.AddRange(e.Diagnostics ?? []);
                _compileMs = e.ElapsedMs ?? 0;
                return null;
            case RunnerEventTypes.CellStarted:
                _running = e.Cell;
                return new CellResult(e.Cell!.Value, CellStatus.Running);
            case RunnerEventTypes.CellFinished:
                var result = Finished(e);
                _finished.Add(result);
                _running = null;
                return result;
            default:
                Done = true;
                _outputLimit = e.OutputLimitExceeded ?? false;
                _runnerMs = e.ElapsedMs ?? 0;
                return null;
        }
    }

    /// <summary>The run as far as it got: <paramref name="outcome"/> is how the container ended, refined by what the runner said.</summary>
    public NotebookResult Result(NotebookOutcome outcome, string? reason, double wallMs)
    {
        if (Violation is not null)
        {
            return Failed(NotebookOutcome.ProtocolViolation, "the notebook run could not be read", wallMs) with { Detail = "protocol violation: " + Violation };
        }
        if (outcome == NotebookOutcome.Completed && _outputLimit)
        {
            (outcome, reason) = (NotebookOutcome.OutputLimit, "the notebook printed more than the output limit");
        }
        else if (outcome == NotebookOutcome.Completed && !Done)
        {
            (outcome, reason) = (NotebookOutcome.Crashed, reason ?? "the sandbox process ended before reporting its results");
        }
        var cells = new List<CellResult>(_finished);
        if (_running is { } running)
        {
            cells.Add(new CellResult(running, CellStatus.Interrupted));
        }
        while (cells.Count < cellCount)
        {
            cells.Add(new CellResult(cells.Count + 1, CellStatus.Skipped));
        }
        return new NotebookResult(outcome, reason, Compile, _diagnostics, cells, _compileMs, _runnerMs, wallMs);
    }

    /// <summary>A run that produced nothing usable (infrastructure, protocol): every cell skipped.</summary>
    public NotebookResult Failed(NotebookOutcome outcome, string reason, double wallMs) =>
        new(outcome, reason, NotebookCompile.NotReached, [],
            [.. Enumerable.Range(1, cellCount).Select(c => new CellResult(c, CellStatus.Skipped))], 0, 0, wallMs);

    private string? Check(RunnerEvent e)
    {
        var next = _finished.Count + 1;
        var stopped = _finished.Count > 0 && _finished[^1].Status != CellStatus.Ok;
        return e.Type switch
        {
            _ when Done => "an event after done",
            RunnerEventTypes.Ready => _ready ? "a second ready" : null,
            _ when !_ready => "an event before ready",
            RunnerEventTypes.Compiled or RunnerEventTypes.CompileError or RunnerEventTypes.PolicyViolation =>
                Compile != NotebookCompile.NotReached ? "a second compile outcome"
                : e.Type != RunnerEventTypes.Compiled && (e.Diagnostics is not { Count: > 0 }) ? "a compile failure without diagnostics" : null,
            RunnerEventTypes.Done => _running is not null ? $"done while cell {_running} was running"
                : Compile == NotebookCompile.NotReached ? "done before the compile outcome"
                : Compile == NotebookCompile.Ok && !stopped && _finished.Count < cellCount ? $"done after {_finished.Count} of {cellCount} cells, none of which failed"
                : (e.OutputLimitExceeded ?? false) != (stopped && _finished[^1].Status == CellStatus.OutputLimit) ? "an output limit that no cell reported" : null,
            _ when Compile == NotebookCompile.NotReached => "an event before the compile outcome",
            _ when Compile != NotebookCompile.Ok => "an event after a failed compile",
            RunnerEventTypes.CellStarted => _running is not null ? $"cell {e.Cell} started inside cell {_running}"
                : stopped ? $"cell {e.Cell} started after cell {_finished.Count} failed"
                : e.Cell != next ? $"cell {e.Cell} started where cell {next} was due"
                : next > cellCount ? $"cell {e.Cell} started, and the notebook has {cellCount}" : null,
            RunnerEventTypes.CellFinished => _running is null || e.Cell != _running ? $"cell {e.Cell} finished without starting" : CheckFinished(e),
            _ => "an event that is not part of a notebook run",
        };
    }

    private string? CheckFinished(RunnerEvent e)
    {
        var path = $"cell {e.Cell}";
        var diagnostics = e.Diagnostics ?? [];
        var displays = e.Displays ?? [];
        var shape = e.Status switch
        {
            CellStatuses.Ok => e.Failure is null && diagnostics.Count == 0,
            CellStatuses.Exception or CellStatuses.OutputLimit => e.Failure is not null && diagnostics.Count == 0 && e.Value is null,
            CellStatuses.CompileError or CellStatuses.PolicyViolation => e.Failure is null && diagnostics.Count > 0 && e.Value is null && displays.Count == 0,
            _ => false,
        };
        if (!shape)
        {
            return $"a finished cell with status '{e.Status}' and fields that do not fit it";
        }
        if (diagnostics.Count > NotebookLimits.MaxDiagnostics || diagnostics.Any(d => d.File != path || d.Line < 1 || d.Column < 1 || d.Message.Length > NotebookLimits.MaxMessageChars))
        {
            return "diagnostics outside the cell or past the caps";
        }
        if (e.Failure is { } f && (f.Type.Length > NotebookLimits.MaxLabelChars || f.Message.Length > NotebookLimits.MaxMessageChars || (f.Stack?.Length ?? 0) > NotebookLimits.MaxStackChars))
        {
            return "a failure past the caps";
        }
        if ((e.Value?.Length ?? 0) > NotebookLimits.MaxValueChars || (e.Console?.Length ?? 0) > maxConsoleChars)
        {
            return "a value or console past the caps";
        }
        foreach (var d in displays)
        {
            if (DisplayProblem(d) is { } problem)
            {
                return problem;
            }
        }
        return null;
    }

    /// <summary>Each display must fit its kind and the run's caps; the caps are counted here as the runner counts them.</summary>
    private string? DisplayProblem(NotebookDisplay d)
    {
        var values = d.Values ?? [];
        var kindFits = d.Kind switch
        {
            NotebookDisplayKinds.Line => d.X is { } x && x.Length == values.Length,
            NotebookDisplayKinds.Histogram => d.Edges is { } edges && edges.Length == values.Length + 1,
            NotebookDisplayKinds.Tensor or NotebookDisplayKinds.Heatmap => d.ValuesShape is { } s && s.Aggregate(1L, (a, b) => a * b) == values.Length,
            NotebookDisplayKinds.Table => d.Columns is { Count: > 0 and <= NotebookLimits.MaxColumns } c && values.Length % c.Count == 0,
            _ => false,
        };
        if (!kindFits || values.Length > NotebookLimits.MaxValues(d.Kind) || (d.Label?.Length ?? 0) > NotebookLimits.MaxLabelChars)
        {
            return $"a display of kind '{d.Kind}' that does not fit its kind or its caps";
        }
        _displays++;
        if (d.Kind is NotebookDisplayKinds.Line or NotebookDisplayKinds.Table)
        {
            _named.Add((d.Kind, d.Label ?? ""));
            _points += values.Length;
        }
        return _displays > NotebookLimits.MaxDisplays || _named.Count > NotebookLimits.MaxSeries || _points > NotebookLimits.MaxPoints
            ? "displays past the run's caps"
            : null;
    }

    private static CellResult Finished(RunnerEvent e) => new(e.Cell!.Value, e.Status switch
    {
        CellStatuses.Ok => CellStatus.Ok,
        CellStatuses.Exception => CellStatus.Exception,
        CellStatuses.CompileError => CellStatus.CompileError,
        CellStatuses.PolicyViolation => CellStatus.PolicyViolation,
        _ => CellStatus.OutputLimit,
    })
    {
        CompileMs = e.CompileMs ?? 0,
        ElapsedMs = e.ElapsedMs ?? 0,
        Console = e.Console ?? "",
        ConsoleTruncated = e.ConsoleTruncated ?? false,
        Value = e.Value,
        Failure = e.Failure,
        Diagnostics = e.Diagnostics ?? [],
        Displays = e.Displays ?? [],
        DisplaysTruncated = e.DisplaysTruncated ?? false,
    };
}
