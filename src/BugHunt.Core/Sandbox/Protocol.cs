using System.Text.Json;
using System.Text.Json.Serialization;

namespace BugHunt.Core.Sandbox;

// The sandbox protocol: the only thing the grader and the in-container runner share.
// This file is compiled into both (the runner links it) so the two cannot drift apart.

/// <summary>
/// One job for one single-use sandbox, written as a single JSON document on the runner's stdin.
/// It carries sources and compiled probes, never expected values: verdicts are computed on the host.
/// </summary>
public sealed record SandboxJob(
    string Nonce,
    IReadOnlyDictionary<string, string> Files,
    IReadOnlyList<CompiledProbe> Probes,
    int MaxConsoleChars,
    long MaxOutputChars = SandboxJob.DefaultMaxOutputChars)
{
    /// <summary>Printing more than this is an OutputLimit verdict; only MaxConsoleChars of it are kept.</summary>
    public const long DefaultMaxOutputChars = 4 * 1024 * 1024;

    /// <summary>The challenge's rules for submitted code, on top of the sandbox policy.</summary>
    public SubmissionRules Rules { get; init; } = SubmissionRules.None;

    /// <summary>
    /// A probe build: the files are the challenge's reference (trusted author code) and these probe
    /// scripts are compiled against its public API, reported as <c>probe_compiled</c> events.
    /// </summary>
    public IReadOnlyList<ProbeSource>? CompileProbes { get; init; }

    /// <summary>
    /// A notebook run: the files are the candidate's, these cells run after them in one script
    /// state, and <see cref="Probes"/> is empty. A notebook job carries no probe, no hidden input
    /// and no reference value: it runs the candidate's own code only.
    /// </summary>
    public NotebookSpec? Notebook { get; init; }
}

/// <summary>
/// A candidate's notebook: C# script cells run top to bottom after the files compile, each seeing
/// the variables of the cells before it. <see cref="Seed"/> seeds torch before the first cell; it
/// is the documented public seed or one the candidate chose, never a hidden one.
/// </summary>
public sealed record NotebookSpec(IReadOnlyList<string> Cells, long Seed);

/// <summary>A probe as the author wrote it: a C# script run against the compiled files.</summary>
public sealed record ProbeSource(string Id, string Code);

/// <summary>
/// A probe compiled once per challenge version against the reference solution. It binds to a
/// submission only through <see cref="Api"/>, the reference's public members it uses; the seed is
/// set by the host per job (fixed for public probes, drawn per submission for hidden ones).
/// </summary>
public sealed record CompiledProbe(string Id, byte[] Image, string EntryType, string EntryMethod, IReadOnlyList<ApiMember> Api)
{
    public long Seed { get; init; }

    /// <summary>Hidden probes' console output, exceptions and truncation never reach the candidate.</summary>
    public bool Hidden { get; init; }
}

/// <summary>A public member of the reference that a probe calls: a documentation-comment id and its C# signature.</summary>
public sealed record ApiMember(string Id, string Signature);

/// <summary>
/// What a challenge adds to the sandbox policy: the namespaces submissions may declare types in
/// (none: only the global namespace) and forbidden symbols or namespaces with the reason shown.
/// </summary>
public sealed record SubmissionRules(IReadOnlyList<string> Namespaces, IReadOnlyList<ForbiddenSymbol> Forbidden)
{
    public static readonly SubmissionRules None = new([], []);
}

/// <summary>A challenge rule: <see cref="Symbol"/> is a namespace, type or member (C# display name) that may not be used.</summary>
public sealed record ForbiddenSymbol(string Symbol, string Reason);

/// <summary>
/// A named value a probe reported. Tensors travel as float64 values in row-major order with their
/// shape and original dtype; scalars have an empty shape; booleans are 0 or 1 with kind "bool".
/// </summary>
public sealed record Observation(string Name, string Kind, string Dtype, long[] Shape, double[] Values);

/// <summary>A compiler or policy message located in a submitted file (1-based line and column).</summary>
public sealed record SourceDiagnostic(string File, int Line, int Column, string Id, string Message);

/// <summary>
/// Why a probe did not finish: the exception type and message (each at most
/// <see cref="MaxTextLength"/> characters), stack trimmed to submitted code.
/// </summary>
public sealed record ProbeFailure(string Type, string Message, string? Stack)
{
    public const int MaxTextLength = 300;

    /// <summary>The submission lacks a public member the probe calls (or changed its signature).</summary>
    public const string PublicApiChanged = "PublicApiChanged";

    public static string Bound(string text) => text.Length <= MaxTextLength ? text : text[..MaxTextLength] + "…";
}

/// <summary>
/// Something a notebook cell showed with a display helper. <see cref="Kind"/> says how to read it:
/// <list type="bullet">
/// <item><c>line</c> (<c>Plot</c>): the points a cell added to the series <see cref="Label"/>, x in
/// <see cref="X"/> and y in <see cref="Values"/>; a series continued in a later cell shows there
/// with the later points.</item>
/// <item><c>tensor</c> (<c>Show</c>): <see cref="Shape"/> and <see cref="Dtype"/> of the tensor,
/// <see cref="Stats"/> over all of it, and a preview in <see cref="Values"/> laid out as
/// <see cref="ValuesShape"/>: the first rows and columns of its last two axes at index 0 of the others.</item>
/// <item><c>histogram</c> (<c>Hist</c>): counts of the finite values per bin in <see cref="Values"/>,
/// bin edges (one more than the bins) in <see cref="Edges"/>, and <see cref="Stats"/>.</item>
/// <item><c>heatmap</c> (<c>Heatmap</c>): a matrix in <see cref="Values"/>, row-major, as <see cref="ValuesShape"/>.</item>
/// <item><c>table</c> (<c>Table</c>): rows a cell added to the table <see cref="Label"/>, row-major
/// in <see cref="Values"/> as <see cref="ValuesShape"/> [rows, columns], named by <see cref="Columns"/>.</item>
/// </list>
/// <see cref="Truncated"/> says the display holds less than was asked for (a preview, a capped
/// matrix, points past <see cref="NotebookLimits.MaxPoints"/>). Values may be NaN or infinite.
/// </summary>
public sealed record NotebookDisplay(string Kind, string Label, double[] Values)
{
    public long[]? Shape { get; init; }
    public string? Dtype { get; init; }
    public long[]? ValuesShape { get; init; }
    public double[]? X { get; init; }
    public double[]? Edges { get; init; }
    public IReadOnlyList<string>? Columns { get; init; }
    public TensorStats? Stats { get; init; }
    public bool Truncated { get; init; }
}

/// <summary>Summary of a whole tensor: min, max, mean and standard deviation of its finite values, and how many are NaN or infinite.</summary>
public sealed record TensorStats(double Min, double Max, double Mean, double Std, long NanCount, long InfCount);

/// <summary>Kinds of <see cref="NotebookDisplay"/>.</summary>
public static class NotebookDisplayKinds
{
    public const string Line = "line";
    public const string Tensor = "tensor";
    public const string Histogram = "histogram";
    public const string Heatmap = "heatmap";
    public const string Table = "table";
}

/// <summary>
/// The bounds of what a notebook run reports. Past a display cap the runner drops what does not
/// fit and marks it truncated, never failing the cell; the host treats anything larger as a
/// protocol violation.
/// </summary>
public static class NotebookLimits
{
    /// <summary>Displays of the whole run (each Show, Hist, Heatmap; each series or table per cell).</summary>
    public const int MaxDisplays = 50;

    /// <summary>Distinct series and tables of the whole run.</summary>
    public const int MaxSeries = 20;

    /// <summary>Points of all series plus cells of all tables, over the whole run.</summary>
    public const int MaxPoints = 5000;

    /// <summary>Rows and columns of a Show preview (a vector shows up to the square of it).</summary>
    public const int MaxPreview = 10;

    /// <summary>Rows and columns of a heatmap.</summary>
    public const int MaxHeatmap = 64;

    public const int MaxBins = 100;

    public const int MaxColumns = 20;

    public const int MaxLabelChars = 100;

    /// <summary>A cell's result, as text.</summary>
    public const int MaxValueChars = 2000;

    public const int MaxMessageChars = 1000;

    public const int MaxStackChars = 2000;

    /// <summary>Diagnostics reported for a cell that does not compile or breaks the policy.</summary>
    public const int MaxDiagnostics = 20;

    /// <summary>The text cut to at most <paramref name="max"/> characters, ending in "…" when cut.</summary>
    public static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    /// <summary>How many values a display of this kind may hold.</summary>
    public static int MaxValues(string kind) => kind switch
    {
        NotebookDisplayKinds.Tensor => MaxPreview * MaxPreview,
        NotebookDisplayKinds.Histogram => MaxBins,
        NotebookDisplayKinds.Heatmap => MaxHeatmap * MaxHeatmap,
        _ => MaxPoints,
    };
}

/// <summary>How a notebook cell ended, as the runner reports it in <c>cell_finished</c>.</summary>
public static class CellStatuses
{
    public const string Ok = "ok";

    /// <summary>The cell threw; <c>failure</c> holds the exception with the candidate's frames only.</summary>
    public const string Exception = "exception";

    /// <summary>The cell does not compile; <c>diagnostics</c> name the cell, line and column.</summary>
    public const string CompileError = "compile_error";

    /// <summary>The cell breaks the submission policy; <c>diagnostics</c> quote the policy and the position.</summary>
    public const string PolicyViolation = "policy_violation";

    /// <summary>The cell printed past the run's output limit; the run stops after it.</summary>
    public const string OutputLimit = "output_limit";
}

/// <summary>
/// One line of the runner's protocol channel: "<c>nonce</c> <c>json</c>" on a file descriptor that
/// only the runner holds (the process's stdout is redirected to its stderr before any submitted
/// code loads, so native prints cannot reach it). What submitted code printed travels with the
/// probe it printed in (<c>probe_finished</c>), so output printed during a hidden test can be withheld.
/// A notebook run reports <c>cell_started</c> and <c>cell_finished</c> (with the cell's console,
/// result, failure or diagnostics, and displays) per cell instead of probe events.
/// </summary>
public sealed record RunnerEvent
{
    public required string Type { get; init; }
    public string? Probe { get; init; }
    public Observation? Observation { get; init; }
    public IReadOnlyList<SourceDiagnostic>? Diagnostics { get; init; }
    public ProbeFailure? Failure { get; init; }
    public CompiledProbe? Compiled { get; init; }
    public double? ElapsedMs { get; init; }
    public string? Console { get; init; }
    public bool? ConsoleTruncated { get; init; }
    public bool? OutputLimitExceeded { get; init; }

    /// <summary>The notebook cell (1-based) of <c>cell_started</c> and <c>cell_finished</c>.</summary>
    public int? Cell { get; init; }

    /// <summary>How a cell ended: one of <see cref="CellStatuses"/>.</summary>
    public string? Status { get; init; }

    /// <summary>A cell's result as text, at most <see cref="NotebookLimits.MaxValueChars"/> characters; absent when it has none.</summary>
    public string? Value { get; init; }

    public IReadOnlyList<NotebookDisplay>? Displays { get; init; }

    /// <summary>The cell asked for more displays than the run's caps let through.</summary>
    public bool? DisplaysTruncated { get; init; }

    public double? CompileMs { get; init; }
}

/// <summary>Event type names of <see cref="RunnerEvent"/>.</summary>
public static class RunnerEventTypes
{
    public const string Ready = "ready";
    public const string Compiled = "compiled";
    public const string CompileError = "compile_error";
    public const string PolicyViolation = "policy_violation";
    public const string ProbeCompiled = "probe_compiled";
    public const string ProbeStarted = "probe_started";
    public const string ObservationMade = "observation";
    public const string ProbeFinished = "probe_finished";
    public const string CellStarted = "cell_started";
    public const string CellFinished = "cell_finished";
    public const string Done = "done";

    /// <summary>Printed alone (no nonce exists yet) by a warm runner once it is ready for its job.</summary>
    public const string WarmLine = "bughunt-runner-warm";

    /// <summary>
    /// Printed alone by a warm runner after its primer (the line the host sends once it is warm:
    /// a job of the challenge the pool serves, or an empty line for none) has run.
    /// </summary>
    public const string PrimedLine = "bughunt-runner-primed";
}

public static class ProtocolJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static string FormatLine(string nonce, RunnerEvent e) =>
        nonce + " " + JsonSerializer.Serialize(e, Options);

    /// <summary>Parses a protocol line; null when it does not carry the nonce (the host treats that as a violation).</summary>
    public static RunnerEvent? ParseLine(string nonce, string line)
    {
        if (line.Length <= nonce.Length + 1 || !line.StartsWith(nonce, StringComparison.Ordinal) || line[nonce.Length] != ' ')
        {
            return null;
        }
        return JsonSerializer.Deserialize<RunnerEvent>(line.AsSpan(nonce.Length + 1), Options);
    }
}
