using BugHunt.Core.Checks;
using BugHunt.Core.Packs;
using BugHunt.Core.Sandbox;

namespace BugHunt.Core.Grading;

/// <summary>Turns a sandbox run into a verdict by comparing it with the reference run, on the host.</summary>
public static class Judge
{
    public static Verdict Decide(IReadOnlyList<TestSpec> tests, SandboxRun run, IReadOnlyDictionary<string, ProbeReport> reference)
    {
        var timings = new Timings(run.CompileMs, run.RunnerMs, run.WallMs, run.Probes.ToDictionary(p => p.Key, p => p.Value.ElapsedMs));
        var console = VisibleConsole(tests, run);
        Verdict Whole(VerdictKind kind, string message, IReadOnlyList<SourceDiagnostic>? diagnostics = null) =>
            new(kind, 0, message, tests.Select(t => Failed(t, message)).ToList(), diagnostics ?? [], console, run.ConsoleTruncated, timings);

        if (run.Exit == SandboxExit.InfrastructureFailure)
        {
            return Whole(VerdictKind.SandboxError, "grading infrastructure failed: " + run.Reason);
        }
        if (run.Diagnostics.Count > 0)
        {
            var first = run.Diagnostics[0];
            return run.PolicyViolated
                ? Whole(VerdictKind.PolicyViolation, $"{first.File}:{first.Line}: {first.Message}", run.Diagnostics)
                : Whole(VerdictKind.CompileError, $"{first.File}:{first.Line}:{first.Column}: {first.Id}: {first.Message}", run.Diagnostics);
        }
        if (!run.Compiled)
        {
            return Whole(Ended(run.Exit), run.Reason ?? "the sandbox stopped before compiling");
        }

        var results = tests.Select(t => Evaluate(t, run, reference)).ToList();
        var total = tests.Sum(t => t.Weight);
        var score = total == 0 ? (results.All(r => r.Passed) ? 1 : 0) : results.Where(r => r.Passed).Sum(r => r.Weight) / total;
        var failed = results.Where(r => !r.Passed).ToList();
        // A public test's exception is shown in full; a hidden test's only by its type, since its
        // message could describe the hidden inputs.
        var crashed = tests
            .Select(t => (Test: t, Failure: run.Probes.GetValueOrDefault(t.Probe)?.Failure))
            .Where(x => x.Failure is not null && x.Failure.Type != "ProbeCompileError")
            .OrderBy(x => x.Test.Visibility)
            .Select(x => x.Test.Visibility == Visibility.Public
                ? $"{x.Failure!.Type}: {x.Failure.Message}"
                : $"{x.Failure!.Type} was thrown in a hidden test")
            .FirstOrDefault();

        var outOfMemory = tests
            .Select(t => run.Probes.GetValueOrDefault(t.Probe)?.Failure)
            .Any(f => f is not null && IsOutOfMemory(f));
        var (kind, message) = (failed.Count, run.Exit) switch
        {
            (> 0, SandboxExit.Completed) when outOfMemory => (VerdictKind.MemoryLimit, "memory limit exceeded inside submitted code"),
            (0, SandboxExit.Completed) => (VerdictKind.Accepted, $"all {results.Count} tests passed"),
            (_, SandboxExit.Completed) when crashed is not null => (VerdictKind.RuntimeError, crashed),
            (_, SandboxExit.Completed) => (VerdictKind.WrongAnswer, $"{failed.Count} of {results.Count} tests failed"),
            (_, var exit) => (Ended(exit), run.Reason ?? exit.ToString()),
        };
        return new Verdict(kind, score, message, results, [], console, run.ConsoleTruncated, timings);
    }

    /// <summary>What submitted code printed, from public tests only: output during a hidden test could print its inputs.</summary>
    private static string VisibleConsole(IReadOnlyList<TestSpec> tests, SandboxRun run)
    {
        var publicProbes = tests.Where(t => t.Visibility == Visibility.Public).Select(t => t.Probe).Distinct();
        var parts = publicProbes
            .Select(p => run.Probes.GetValueOrDefault(p))
            .Where(p => p is { Console.Length: > 0 })
            .Select(p => $"--- {p!.Id} ---\n{p.Console}");
        return string.Join("\n", parts.Prepend(run.Console).Where(s => s.Length > 0));
    }

    /// <summary>The managed heap limit or libtorch's allocator gave up: the memory limit, not a bug to debug.</summary>
    private static bool IsOutOfMemory(ProbeFailure f) =>
        f.Type == "System.OutOfMemoryException" || f.Message.Contains("can't allocate memory", StringComparison.OrdinalIgnoreCase);

    private static VerdictKind Ended(SandboxExit exit) => exit switch
    {
        SandboxExit.TimedOut => VerdictKind.TimeLimit,
        SandboxExit.OutOfMemory => VerdictKind.MemoryLimit,
        SandboxExit.OutputLimit => VerdictKind.OutputLimit,
        SandboxExit.InfrastructureFailure => VerdictKind.SandboxError,
        _ => VerdictKind.RuntimeError,
    };

    private static TestResult Evaluate(TestSpec test, SandboxRun run, IReadOnlyDictionary<string, ProbeReport> reference)
    {
        if (!run.Probes.TryGetValue(test.Probe, out var probe) || !probe.Finished)
        {
            return Failed(test, run.Exit == SandboxExit.TimedOut ? "not finished before the time limit" : "not run: the sandbox stopped before this test");
        }
        if (probe.Failure is { } failure)
        {
            return failure.Type == "ProbeCompileError"
                ? Failed(test, "the test could not call your code: keep the public API (class names, constructors, method signatures)" + (test.Visibility == Visibility.Public ? "\n" + failure.Message : ""))
                : Failed(test, $"{failure.Type}: {failure.Message}" + (failure.Stack is null ? "" : "\n" + failure.Stack));
        }
        var outcome = CheckEvaluator.Evaluate(test.Check, probe.Observations, reference.GetValueOrDefault(test.Probe)?.Observations);
        return new TestResult(test.Id, test.Title, test.Visibility, test.Category, test.Weight, outcome.Passed, outcome.Message, outcome.Diagnostics);
    }

    private static TestResult Failed(TestSpec test, string message) =>
        new(test.Id, test.Title, test.Visibility, test.Category, test.Weight, false, message, null);
}
