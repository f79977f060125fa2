using BugHunt.Core.Checks;
using BugHunt.Core.Grading;
using BugHunt.Core.Packs;
using BugHunt.Core.Sandbox;
using Xunit;

namespace BugHunt.Core.Tests;

/// <summary>
/// Which kind of verdict a sandbox run gets, and what the candidate is told, on hand-built runs: a
/// public test and a hidden one, each with a probe of its own that observes whether it passes.
/// </summary>
public sealed class JudgeDecisionTests
{
    private static readonly TestSpec[] Tests =
    [
        new("shape", "Output shape", "public-probe", Visibility.Public, "correctness", 1, [], new CheckSpec(CheckKind.Bool, Observation: "ok")),
        new("causal", "No peeking", "hidden-probe", Visibility.Hidden, "correctness", 1, [], new CheckSpec(CheckKind.Bool, Observation: "ok")),
    ];

    private static ProbeReport Probe(string id, bool passes, ProbeFailure? failure = null, string console = "") =>
        new(id, true, failure, 1, failure is null ? Observed(passes) : new Dictionary<string, Observation>(), console);

    private static Dictionary<string, Observation> Observed(bool passes) =>
        new() { ["ok"] = new("ok", "bool", "bool", [], [passes ? 1 : 0]) };

    private static SandboxRun Run(SandboxExit exit = SandboxExit.Completed, bool compiled = true, params ProbeReport[] probes) =>
        new(exit, exit == SandboxExit.Completed ? null : "stopped", compiled, false, [], probes.ToDictionary(p => p.Id), "", false, 1, 1, 1);

    private static SandboxRun Both(bool publicPasses = true, bool hiddenPasses = true) =>
        Run(probes: [Probe("public-probe", publicPasses), Probe("hidden-probe", hiddenPasses)]);

    private static Verdict Decide(SandboxRun run) => Judge.Decide(Tests, run, new Dictionary<string, ProbeReport>());

    [Fact]
    public void Every_test_passing_is_Accepted_with_full_score()
    {
        var verdict = Decide(Both());
        Assert.Equal(VerdictKind.Accepted, verdict.Kind);
        Assert.Equal(1.0, verdict.Score);
        Assert.Equal("all 2 tests passed", verdict.Message);
    }

    [Fact]
    public void A_failing_test_is_WrongAnswer_scored_by_the_passed_weight()
    {
        var verdict = Decide(Both(hiddenPasses: false));
        Assert.Equal(VerdictKind.WrongAnswer, verdict.Kind);
        Assert.Equal(0.5, verdict.Score);
        Assert.Equal("1 of 2 tests failed", verdict.Message);
        Assert.Equal([true, false], verdict.Tests.Select(t => t.Passed));
    }

    [Fact]
    public void Infrastructure_failure_is_SandboxError_that_blames_nothing_on_the_code()
    {
        var verdict = Decide(SandboxRun.Infrastructure("engine gone"));
        Assert.Equal(VerdictKind.SandboxError, verdict.Kind);
        Assert.Equal(0, verdict.Score);
        Assert.Contains("not a verdict on your code", verdict.Message, StringComparison.Ordinal);
        Assert.Contains("engine gone", verdict.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("engine gone", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compiler_message_is_CompileError_naming_file_line_and_column()
    {
        var run = Run(compiled: false) with { Diagnostics = [new SourceDiagnostic("Attention.cs", 12, 5, "CS1002", "; expected")] };
        var verdict = Decide(run);
        Assert.Equal(VerdictKind.CompileError, verdict.Kind);
        Assert.Equal("Attention.cs:12:5: CS1002: ; expected", verdict.Message);
        Assert.Single(verdict.Diagnostics);
    }

    [Fact]
    public void Refused_symbol_is_PolicyViolation_naming_file_and_line()
    {
        var run = Run(compiled: false) with
        {
            PolicyViolated = true,
            Diagnostics = [new SourceDiagnostic("Attention.cs", 3, 9, "BH0001", "System.IO.File is not allowed")],
        };
        var verdict = Decide(run);
        Assert.Equal(VerdictKind.PolicyViolation, verdict.Kind);
        Assert.Equal("Attention.cs:3: System.IO.File is not allowed", verdict.Message);
    }

    [Fact]
    public void Changed_public_api_is_CompileError_asking_to_keep_the_api()
    {
        var changed = new ProbeFailure(ProbeFailure.PublicApiChanged, "Attention.Forward(Tensor) is missing", null);
        var verdict = Decide(Run(probes: [Probe("public-probe", true), Probe("hidden-probe", false, changed)]));
        Assert.Equal(VerdictKind.CompileError, verdict.Kind);
        Assert.Contains("keep the public API", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Exception_in_a_public_test_is_RuntimeError_that_shows_it()
    {
        var thrown = new ProbeFailure("System.ArgumentException", "shapes [2,3] and [4] differ", null);
        var verdict = Decide(Run(probes: [Probe("public-probe", false, thrown), Probe("hidden-probe", true)]));
        Assert.Equal(VerdictKind.RuntimeError, verdict.Kind);
        Assert.Equal("System.ArgumentException: shapes [2,3] and [4] differ", verdict.Message);
    }

    [Fact]
    public void Exception_in_a_hidden_test_is_RuntimeError_that_hides_its_text()
    {
        var thrown = new ProbeFailure("System.ArgumentException", "hidden input 0.1234 was rejected", null);
        var verdict = Decide(Run(probes: [Probe("public-probe", true), Probe("hidden-probe", false, thrown)]));
        Assert.Equal(VerdictKind.RuntimeError, verdict.Kind);
        Assert.Equal("an exception was thrown during the hidden tests", verdict.Message);
        Assert.Contains("0.1234", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Out_of_memory_inside_submitted_code_is_MemoryLimit()
    {
        var oom = new ProbeFailure("System.OutOfMemoryException", "Insufficient memory", null);
        var verdict = Decide(Run(probes: [Probe("public-probe", true), Probe("hidden-probe", false, oom)]));
        Assert.Equal(VerdictKind.MemoryLimit, verdict.Kind);
    }

    [Theory]
    [InlineData(SandboxExit.TimedOut, VerdictKind.TimeLimit, "stopped at the time limit", "not finished before the time limit")]
    [InlineData(SandboxExit.OutOfMemory, VerdictKind.MemoryLimit, "killed at the memory limit", "not run: the sandbox stopped before this test")]
    [InlineData(SandboxExit.OutputLimit, VerdictKind.OutputLimit, "submitted code printed more than the output limit", "not run: the sandbox stopped before this test")]
    public void Run_stopped_at_a_limit_gets_that_limit_as_its_kind(SandboxExit exit, VerdictKind kind, string message, string unfinished)
    {
        var verdict = Decide(Run(exit, probes: [Probe("public-probe", true)]));
        Assert.Equal(kind, verdict.Kind);
        Assert.Equal(message, verdict.Message);
        // The tests that finished still count.
        Assert.Equal(0.5, verdict.Score);
        Assert.Equal(unfinished, verdict.Tests.Single(t => t.Id == "causal").Message);
    }

    [Fact]
    public void Crash_during_hidden_tests_is_RuntimeError_saying_where_but_not_what()
    {
        var run = Run(SandboxExit.Crashed, probes: [Probe("public-probe", true)]) with { InterruptedProbe = "hidden-probe", ExitCode = 139 };
        var verdict = Decide(run);
        Assert.Equal(VerdictKind.RuntimeError, verdict.Kind);
        Assert.Equal("the runner crashed during the hidden tests (signal 11)", verdict.Message);
    }

    [Fact]
    public void Crash_before_compiling_is_RuntimeError_before_your_code_compiled()
    {
        var verdict = Decide(Run(SandboxExit.Crashed, compiled: false) with { ExitCode = 134 });
        Assert.Equal(VerdictKind.RuntimeError, verdict.Kind);
        Assert.Equal("the runner crashed before your code compiled (signal 6)", verdict.Message);
        Assert.All(verdict.Tests, t => Assert.False(t.Passed));
    }

    [Fact]
    public void Console_of_hidden_probes_reaches_staff_but_never_the_candidate()
    {
        var run = Run(probes: [Probe("public-probe", true, console: "public print"), Probe("hidden-probe", true, console: "hidden input 0.1234")]);
        var verdict = Decide(run);
        Assert.Contains("public print", verdict.Console, StringComparison.Ordinal);
        Assert.DoesNotContain("0.1234", verdict.Console, StringComparison.Ordinal);
        Assert.Contains("0.1234", verdict.StaffConsole, StringComparison.Ordinal);
    }
}
