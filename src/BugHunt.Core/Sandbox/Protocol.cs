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
}

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
/// One line of the runner's protocol channel: "<c>nonce</c> <c>json</c>" on a file descriptor that
/// only the runner holds (the process's stdout is redirected to its stderr before any submitted
/// code loads, so native prints cannot reach it). What submitted code printed travels with the
/// probe it printed in (<c>probe_finished</c>), so output printed during a hidden test can be withheld.
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
    public const string Done = "done";

    /// <summary>Printed alone (no nonce exists yet) by a warm runner once it is ready for its job.</summary>
    public const string WarmLine = "bughunt-runner-warm";
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
