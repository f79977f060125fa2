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

public sealed record TestResult(
    string Id,
    string Title,
    Visibility Visibility,
    string Category,
    double Weight,
    bool Passed,
    string Message,
    CheckDiagnostics? Diagnostics);

public sealed record Timings(double CompileMs, double RunnerMs, double WallMs, IReadOnlyDictionary<string, double> ProbeMs);

/// <summary>A judged outcome: data, stored as is. <see cref="Score"/> is the passed share of test weight, 0..1.</summary>
public sealed record Verdict(
    VerdictKind Kind,
    double Score,
    string Message,
    IReadOnlyList<TestResult> Tests,
    IReadOnlyList<SourceDiagnostic> Diagnostics,
    string Console,
    bool ConsoleTruncated,
    Timings Timings);
