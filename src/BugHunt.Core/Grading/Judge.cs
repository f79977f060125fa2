using BugHunt.Core.Checks;
using BugHunt.Core.Packs;
using BugHunt.Core.Sandbox;

namespace BugHunt.Core.Grading;

/// <summary>
/// Turns a sandbox run into a verdict by comparing it with the reference run, on the host. The
/// candidate's side of the verdict (message, console, truncation) is built only from public
/// probes and a fixed vocabulary: a hidden test's exception, a crash's stderr or a protocol
/// violation is kept in <see cref="Verdict.Detail"/> for staff, never shown to the candidate.
/// </summary>
public static class Judge
{
    public static Verdict Decide(IReadOnlyList<TestSpec> tests, SandboxRun run, IReadOnlyDictionary<string, ProbeReport> reference)
    {
        var timings = new Timings(run.CompileMs, run.RunnerMs, run.WallMs, run.Probes.ToDictionary(p => p.Key, p => p.Value.ElapsedMs)) { HostMs = run.HostMs };
        var publicProbes = tests.Where(t => t.Visibility == Visibility.Public).Select(t => t.Probe).ToHashSet(StringComparer.Ordinal);
        var (console, truncated) = VisibleConsole(publicProbes, run);
        var staffConsole = StaffConsole(run);
        Verdict Whole(VerdictKind kind, string message, string? detail = null, IReadOnlyList<SourceDiagnostic>? diagnostics = null) =>
            new Verdict(kind, 0, message, tests.Select(t => Failed(t, message)).ToList(), diagnostics ?? [], console, truncated, timings)
            {
                Detail = detail,
                StaffConsole = staffConsole,
            };

        if (run.Exit == SandboxExit.InfrastructureFailure)
        {
            return Whole(VerdictKind.SandboxError, "grading infrastructure failed; this is not a verdict on your code", "grading infrastructure failed: " + run.Reason);
        }
        if (run.Diagnostics.Count > 0)
        {
            var first = run.Diagnostics[0];
            return run.PolicyViolated
                ? Whole(VerdictKind.PolicyViolation, $"{first.File}:{first.Line}: {first.Message}", diagnostics: run.Diagnostics)
                : Whole(VerdictKind.CompileError, $"{first.File}:{first.Line}:{first.Column}: {first.Id}: {first.Message}", diagnostics: run.Diagnostics);
        }
        if (!run.Compiled)
        {
            return Whole(Ended(run.Exit), EndedMessage(run, publicProbes), run.Reason);
        }
        var apiChange = tests
            .Select(t => run.Probes.GetValueOrDefault(t.Probe)?.Failure)
            .FirstOrDefault(f => f?.Type == ProbeFailure.PublicApiChanged);
        if (apiChange is not null)
        {
            // The names come from the reference's public API, which the statement fixes; nothing of a hidden input.
            var message = "the tests could not call your code: keep the public API the statement fixes (" + apiChange.Message + ")";
            return Whole(VerdictKind.CompileError, message, diagnostics: [new SourceDiagnostic("", 0, 0, ProbeFailure.PublicApiChanged, apiChange.Message)]);
        }

        var results = tests.Select(t => Evaluate(t, run, reference)).ToList();
        var (score, bugsFixed) = Score(tests, results);
        var failed = results.Where(r => !r.Passed).ToList();
        var thrown = tests
            .Select(t => (Test: t, Failure: run.Probes.GetValueOrDefault(t.Probe)?.Failure))
            .Where(x => x.Failure is not null)
            .OrderBy(x => x.Test.Visibility)
            .FirstOrDefault();
        var crashed = thrown.Failure is null ? null
            : thrown.Test.Visibility == Visibility.Public ? $"{thrown.Failure.Type}: {thrown.Failure.Message}"
            : "an exception was thrown during the hidden tests";

        var outOfMemory = tests
            .Select(t => run.Probes.GetValueOrDefault(t.Probe)?.Failure)
            .Any(f => f is not null && IsOutOfMemory(f));
        var (kind, candidateMessage) = (failed.Count, run.Exit) switch
        {
            (> 0, SandboxExit.Completed) when outOfMemory => (VerdictKind.MemoryLimit, "memory limit exceeded inside submitted code"),
            (0, SandboxExit.Completed) => (VerdictKind.Accepted, $"all {results.Count} tests passed"),
            (_, SandboxExit.Completed) when crashed is not null => (VerdictKind.RuntimeError, crashed),
            (_, SandboxExit.Completed) => (VerdictKind.WrongAnswer, $"{failed.Count} of {results.Count} tests failed"),
            (_, var exit) => (Ended(exit), EndedMessage(run, publicProbes)),
        };
        var detail = thrown.Failure is { } f ? $"{thrown.Test.Id}: {f.Type}: {f.Message}" + (f.Stack is null ? "" : "\n" + f.Stack) : null;
        if (run.Exit != SandboxExit.Completed)
        {
            detail = run.Reason + (detail is null ? "" : "\n" + detail);
        }
        return new Verdict(kind, score, candidateMessage, results, [], console, truncated, timings) { Detail = detail, StaffConsole = staffConsole, BugsFixed = bugsFixed };
    }

    /// <summary>
    /// The score of judged tests. By test weight: the passed share of it. Per bug (tests carry
    /// <see cref="TestSpec.TargetTitles"/>): a bug is fixed when every test that targets it alone
    /// passes, and each fixed bug earns an equal share. Every other test (a guard, targeting no
    /// bug, or a test of several bugs) checks the whole: when it fails although every bug it
    /// targets is fixed, the failure is the submission's own and takes its share of all such
    /// tests' weight off the score. Per-bug credit needs the hidden tests; a run of the public
    /// ones only is scored by test weight.
    /// </summary>
    private static (double Score, BugsFixed? Bugs) Score(IReadOnlyList<TestSpec> tests, IReadOnlyList<TestResult> results)
    {
        if (!tests.Any(t => t.TargetTitles is not null) || !tests.Any(t => t.Visibility == Visibility.Hidden))
        {
            var total = tests.Sum(t => t.Weight);
            return (total == 0 ? (results.All(r => r.Passed) ? 1 : 0) : results.Where(r => r.Passed).Sum(r => r.Weight) / total, null);
        }
        var judged = tests.Zip(results, (test, result) => (Test: test, result.Passed)).ToList();
        var bugs = tests
            .SelectMany(t => t.Targets.Zip(t.TargetTitles ?? [], (id, title) => (Id: id, Title: title)))
            .DistinctBy(b => b.Id, StringComparer.Ordinal)
            .ToList();
        bool IsFixed(string bug)
        {
            var own = judged.Where(j => j.Test.Targets is [var only] && only == bug).ToList();
            return own.Count > 0 && own.All(j => j.Passed);
        }
        var fixedBugs = bugs.Where(b => IsFixed(b.Id)).ToList();
        var checks = judged.Where(j => j.Test.Targets.Count != 1).ToList();
        var checkWeight = checks.Sum(j => j.Test.Weight);
        var ownFailures = checks
            .Where(j => !j.Passed && j.Test.Targets.All(t => fixedBugs.Any(b => b.Id == t)))
            .Sum(j => j.Test.Weight);
        var kept = checkWeight == 0 ? 1 : 1 - (ownFailures / checkWeight);
        var score = bugs.Count == 0 ? 0 : (double)fixedBugs.Count / bugs.Count * kept;
        return (score, new BugsFixed([.. fixedBugs.Select(b => b.Title)], bugs.Count));
    }

    /// <summary>
    /// Why the run ended early, in words that carry nothing of a hidden input: the limit that was
    /// hit, or where the runner crashed and with which signal, never its stderr.
    /// </summary>
    private static string EndedMessage(SandboxRun run, IReadOnlySet<string> publicProbes)
    {
        if (run.Exit != SandboxExit.Crashed)
        {
            return run.Exit switch
            {
                SandboxExit.TimedOut => "stopped at the time limit",
                SandboxExit.OutOfMemory => "killed at the memory limit",
                SandboxExit.OutputLimit => "submitted code printed more than the output limit",
                _ => run.Exit.ToString(),
            };
        }
        var signal = run.ExitCode is > 128 and < 160 ? $" (signal {run.ExitCode - 128})" : run.ExitCode is { } code ? $" (exit code {code})" : "";
        var where = run.InterruptedProbe switch
        {
            null when !run.Compiled => "before your code compiled",
            null => "outside the tests",
            var p when publicProbes.Contains(p) => $"during the public tests of probe '{p}'",
            _ => "during the hidden tests",
        };
        return $"the runner crashed {where}{signal}";
    }

    /// <summary>What submitted code printed during public probes only: output during a hidden test could print its inputs.</summary>
    private static (string Console, bool Truncated) VisibleConsole(IReadOnlySet<string> publicProbes, SandboxRun run)
    {
        var shown = run.Probes.Values.Where(p => publicProbes.Contains(p.Id)).ToList();
        var text = string.Join("\n", shown.Where(p => p.Console.Length > 0).Select(p => $"--- {p.Id} ---\n{p.Console}"));
        return (text, shown.Any(p => p.ConsoleTruncated));
    }

    private static string StaffConsole(SandboxRun run) =>
        string.Join("\n", run.Probes.Values.Where(p => p.Console.Length > 0).Select(p => $"--- {p.Id} ---\n{p.Console}").Append(run.Console).Where(s => s.Length > 0));

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
            return Failed(test, $"{failure.Type}: {failure.Message}" + (failure.Stack is null ? "" : "\n" + failure.Stack));
        }
        var outcome = CheckEvaluator.Evaluate(test.Check, probe.Observations, reference.GetValueOrDefault(test.Probe)?.Observations);
        return new TestResult(test.Id, test.Title, test.Visibility, test.Category, test.Weight, outcome.Passed, outcome.Message, outcome.Diagnostics);
    }

    private static TestResult Failed(TestSpec test, string message) =>
        new(test.Id, test.Title, test.Visibility, test.Category, test.Weight, false, message, null);
}
