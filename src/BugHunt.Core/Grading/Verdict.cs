using BugHunt.Core.Checks;
using BugHunt.Core.Packs;
using BugHunt.Core.Sandbox;

namespace BugHunt.Core.Grading;

public enum VerdictKind
{
    Accepted,
    WrongAnswer,
    CompileError,
    PolicyViolation,
    RuntimeError,
    TimeLimit,
    MemoryLimit,
    OutputLimit,
    SandboxError,
}

/// <summary>
/// The one spelling of a verdict outside C#: snake_case (<c>wrong_answer</c>), like every other
/// enum value the API, its exports and the database speak. Verdicts stored, sent or written in
/// pack files before that were PascalCase (<c>WrongAnswer</c>); both are read.
/// </summary>
public static class VerdictKinds
{
    private static readonly Dictionary<string, VerdictKind> ByName = Enum.GetValues<VerdictKind>()
        .SelectMany(k => new[] { (Text: Name(k), Kind: k), (Text: k.ToString(), Kind: k) })
        .DistinctBy(p => p.Text)
        .ToDictionary(p => p.Text, p => p.Kind, StringComparer.Ordinal);

    public static string Name(VerdictKind kind) => kind switch
    {
        VerdictKind.Accepted => "accepted",
        VerdictKind.WrongAnswer => "wrong_answer",
        VerdictKind.CompileError => "compile_error",
        VerdictKind.PolicyViolation => "policy_violation",
        VerdictKind.RuntimeError => "runtime_error",
        VerdictKind.TimeLimit => "time_limit",
        VerdictKind.MemoryLimit => "memory_limit",
        VerdictKind.OutputLimit => "output_limit",
        VerdictKind.SandboxError => "sandbox_error",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>A verdict in either spelling (<c>wrong_answer</c> or the older <c>WrongAnswer</c>).</summary>
    public static bool TryParse(string? text, out VerdictKind kind) => ByName.TryGetValue(text ?? "", out kind);

    /// <summary>The snake_case name of a verdict stored in either spelling; text that is no verdict stays as it is.</summary>
    public static string? Normalize(string? text) => TryParse(text, out var kind) ? Name(kind) : text;

    /// <summary>Every verdict's name, in declaration order, for messages that list them.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Enum.GetValues<VerdictKind>().Select(Name)];
}

public sealed record TestResult(
    string Id,
    string Title,
    Visibility Visibility,
    string Category,
    double Weight,
    bool Passed,
    string Message,
    CheckDiagnostics? Diagnostics);

public sealed record Timings(double CompileMs, double RunnerMs, double WallMs, IReadOnlyDictionary<string, double> ProbeMs)
{
    /// <summary>
    /// The host's side of <see cref="WallMs"/>, step by step: take (a warm container, or create and
    /// start one), send (the job), run (until the runner said done), exit (until its output ended),
    /// inspect. Staff only, like every timing but the rounded wall time.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, double>? HostMs { get; init; }
}

/// <summary>
/// The planted bugs a per-bug verdict counts as fixed, by their candidate-safe titles, out of
/// <see cref="Total"/> ("7 of 10").
/// </summary>
public sealed record BugsFixed(IReadOnlyList<string> Titles, int Total)
{
    public int Count => Titles.Count;

    public override string ToString() => $"{Count} of {Total}";
}

/// <summary>The seeds a verdict's probes started from: give both to <c>bughunt grade --seed</c> to re-run it exactly.</summary>
public sealed record ProbeSeeds(long Public, long Hidden);

/// <summary>
/// A judged outcome: data, stored as is. <see cref="Score"/> is 0..1: the passed share of test
/// weight, or in a per-bug challenge the share of planted bugs fixed (see <see cref="BugsFixed"/>). <see cref="Message"/>, <see cref="Console"/> and <see cref="ConsoleTruncated"/> are what
/// the candidate may see: nothing derived from hidden inputs (a fixed vocabulary for hidden tests
/// and crashes, public probes' output only). <see cref="Detail"/> and <see cref="StaffConsole"/>
/// keep the whole story for proctors and authors.
/// </summary>
public sealed record Verdict(
    VerdictKind Kind,
    double Score,
    string Message,
    IReadOnlyList<TestResult> Tests,
    IReadOnlyList<SourceDiagnostic> Diagnostics,
    string Console,
    bool ConsoleTruncated,
    Timings Timings)
{
    /// <summary>What happened, in full (exception text of hidden tests, the runner's stderr, protocol violations).</summary>
    public string? Detail { get; init; }

    /// <summary>Everything submitted code printed, hidden probes included.</summary>
    public string? StaffConsole { get; init; }

    public ProbeSeeds? Seeds { get; init; }

    /// <summary>In a per-bug challenge, the bugs the submission fixed; null when scored by test weight or not judged.</summary>
    public BugsFixed? BugsFixed { get; init; }
}
