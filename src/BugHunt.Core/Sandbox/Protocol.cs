using System.Text.Json;
using System.Text.Json.Serialization;

namespace BugHunt.Core.Sandbox;

// The sandbox protocol: the only thing the grader and the in-container runner share.
// This file is compiled into both (the runner links it) so the two cannot drift apart.

/// <summary>
/// One job for one single-use sandbox, written as a single JSON document on the runner's stdin.
/// It carries sources and probe code, never expected values: verdicts are computed on the host.
/// </summary>
public sealed record SandboxJob(
    string Nonce,
    IReadOnlyDictionary<string, string> Files,
    IReadOnlyList<ProbeSource> Probes,
    long Seed,
    int MaxConsoleChars,
    long MaxOutputChars = SandboxJob.DefaultMaxOutputChars)
{
    /// <summary>Printing more than this is an OutputLimit verdict; only MaxConsoleChars of it are kept.</summary>
    public const long DefaultMaxOutputChars = 4 * 1024 * 1024;
}

/// <summary>A probe: a C# script run against the compiled files, reporting observations.</summary>
public sealed record ProbeSource(string Id, string Code);

/// <summary>
/// A named value a probe reported. Tensors travel as float64 values in row-major order with their
/// shape and original dtype; scalars have an empty shape; booleans are 0 or 1 with kind "bool".
/// </summary>
public sealed record Observation(string Name, string Kind, string Dtype, long[] Shape, double[] Values);

/// <summary>A compiler or policy message located in a submitted file (1-based line and column).</summary>
public sealed record SourceDiagnostic(string File, int Line, int Column, string Id, string Message);

/// <summary>Why a probe did not finish: the exception type and message, stack trimmed to submitted code.</summary>
public sealed record ProbeFailure(string Type, string Message, string? Stack);

/// <summary>
/// One line of the runner's protocol channel, written to the container's real stdout as
/// "<c>nonce</c> <c>json</c>". What submitted code printed travels with the probe it printed in
/// (<c>probe_finished</c>), so output printed while a hidden test ran can be withheld. Code under test has its Console redirected to a capped buffer and cannot
/// learn the nonce, so it cannot forge a line the grader would accept.
/// </summary>
public sealed record RunnerEvent
{
    public required string Type { get; init; }
    public string? Probe { get; init; }
    public Observation? Observation { get; init; }
    public IReadOnlyList<SourceDiagnostic>? Diagnostics { get; init; }
    public ProbeFailure? Failure { get; init; }
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

    /// <summary>Parses a protocol line; lines without the nonce (native library chatter) are ignored.</summary>
    public static RunnerEvent? ParseLine(string nonce, string line)
    {
        if (line.Length <= nonce.Length + 1 || !line.StartsWith(nonce, StringComparison.Ordinal) || line[nonce.Length] != ' ')
        {
            return null;
        }
        return JsonSerializer.Deserialize<RunnerEvent>(line.AsSpan(nonce.Length + 1), Options);
    }
}
