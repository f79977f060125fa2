using BugHunt.Core.Grading;
using BugHunt.Core.Packs;
using BugHunt.Core.Sandbox;
using BugHunt.Grader.Grading;
using BugHunt.Grader.Sandboxes;

namespace BugHunt.Grader.Packs;

/// <summary>How one variant (starter, planted bug, wrong fix) fared against the tests.</summary>
public sealed record VariantReport(string Id, string Summary, VerdictKind Verdict, IReadOnlyList<string> FailedHiddenTests, IReadOnlyList<string> FailedPublicTests, IReadOnlyList<string> TargetedBy)
{
    /// <summary>Caught means at least one hidden test failed: public tests alone could be gamed.</summary>
    public bool Caught => FailedHiddenTests.Count > 0;
}

public sealed record ChallengeReport(
    string Challenge,
    int Level,
    IReadOnlyList<double> ReferenceSeconds,
    bool ReferenceDeterministic,
    IReadOnlyList<string> ReferenceFailedTests,
    VariantReport? Starter,
    IReadOnlyList<VariantReport> Bugs,
    IReadOnlyList<VariantReport> WrongFixes,
    int TimeLimitSeconds,
    IReadOnlyList<string> Problems)
{
    public double MutationScore => Bugs.Count == 0 ? 0 : (double)Bugs.Count(b => b.Caught) / Bugs.Count;

    /// <summary>The machine mutants of the reference and how each fared; null when they were not run.</summary>
    public MutationSummary? Mutation { get; init; }

    /// <summary>How the starting notebook ran on the reference and on the starter; null when the challenge has none.</summary>
    public NotebookCheck? Notebook { get; init; }

    /// <summary>Taken from the pack's validation cache: the challenge is unchanged since it last passed.</summary>
    public bool FromCache { get; init; }

    public double ReferenceMaxSeconds => ReferenceSeconds.Count == 0 ? 0 : ReferenceSeconds.Max();

    public bool Passed => Problems.Count == 0;
}

/// <summary>
/// The starting notebook's check: each cell's status on the reference and on the starter. On the
/// reference every cell must run; on the starter a cell may throw (that can be the symptom it
/// shows), but every cell must compile and the run must end by itself.
/// </summary>
public sealed record NotebookCheck(IReadOnlyList<string> Reference, IReadOnlyList<string> Starter, double ReferenceSeconds, double StarterSeconds, IReadOnlyList<string> Problems);

public sealed record PackReport(string Pack, IReadOnlyList<ChallengeReport> Challenges)
{
    public bool Passed => Challenges.All(c => c.Passed);
}

/// <summary>
/// Proves a pack sound through the same sandbox path as grading: the probes compile against the
/// reference, the reference passes every test K times with identical observations and passes them
/// for every hidden seed of the pool, the starter fails, every planted bug alone and every listed
/// wrong fix fails a hidden test, and the time limit is at least twice the reference's time.
/// </summary>
/// <remarks>
/// With <c>mutants</c>, every machine mutant of the reference (see <see cref="MutationRun"/>) must be
/// killed by a hidden test or declared equivalent.
/// </remarks>
public sealed class PackValidator(DockerSandbox sandbox, int parallelism = 2, bool mutants = true)
{
    public const int ReferenceRuns = 3;
    public const double TimeLimitFactor = 2.0;

    /// <summary>Validates every challenge of a pack; with a cache, unchanged challenges that passed before are taken from it.</summary>
    public async Task<PackReport> ValidateAsync(ChallengePack pack, Action<string> progress, CancellationToken ct, ValidationCache? cache = null, string? only = null)
    {
        var reports = new List<ChallengeReport>();
        if (only is not null && pack.Challenges.All(c => c.Id != only))
        {
            throw new ArgumentException($"pack '{pack.Id}' has no challenge '{only}' (it has {string.Join(", ", pack.Challenges.Select(c => c.Id))})", nameof(only));
        }
        foreach (var challenge in pack.Challenges.Where(c => only is null || c.Id == only).OrderBy(c => c.Level))
        {
            if (cache?.Find(challenge, mutants, out var notebookCurrent) is { } cached)
            {
                progress($"{challenge.PackId}/{challenge.Id}: unchanged since it last passed (validation cache); --full validates it again");
                if (!notebookCurrent)
                {
                    // Only the starting notebook (or its absence) changed: check just that.
                    var notebook = await CheckNotebookAsync(challenge, progress, ct);
                    cached = cached with { Notebook = notebook, Problems = notebook?.Problems ?? [] };
                    cache.Store(challenge, mutants, cached);
                }
                reports.Add(cached);
                continue;
            }
            var report = await ValidateAsync(challenge, progress, ct);
            cache?.Store(challenge, mutants, report);
            reports.Add(report);
        }
        cache?.Save(pack.Challenges.Select(c => c.Id));
        return new PackReport(pack.Id, reports);
    }

    /// <summary>Runs the starting notebook on the reference and on the starter; null when the challenge has none.</summary>
    public async Task<NotebookCheck?> CheckNotebookAsync(Challenge challenge, Action<string> progress, CancellationToken ct)
    {
        if (challenge.Notebook is not { } cells)
        {
            return null;
        }
        var name = $"{challenge.PackId}/{challenge.Id}";
        var problems = new List<string>();
        async Task<(List<string> Cells, double Seconds)> RunAsync(string on, IReadOnlyDictionary<string, string> files, bool mayThrow)
        {
            var run = await sandbox.RunNotebookAsync(files, cells, GradingPlan.PublicSeed, challenge.Rules, challenge.Limits, null, ct);
            var statuses = run.Cells.Select(c => c.Status.ToString()).ToList();
            progress($"{name}: starting notebook on the {on}: {run.Outcome}, cells {string.Join(" ", statuses)}, {run.WallMs / 1000:F1} s");
            if (run.Outcome != NotebookOutcome.Completed || run.Compile != NotebookCompile.Ok)
            {
                problems.Add($"starting notebook on the {on}: {run.Outcome}{(run.Compile != NotebookCompile.Ok ? $", files {run.Compile}" : "")}{(run.Reason is { } r ? $" ({r})" : "")}");
            }
            // A skipped cell follows one that failed, which is reported.
            foreach (var cell in run.Cells.Where(c => c.Status is not (CellStatus.Ok or CellStatus.Skipped) && !(mayThrow && c.Status is CellStatus.Exception)))
            {
                var why = cell.Failure is { } f ? $"{f.Type}: {f.Message}" : string.Join("; ", cell.Diagnostics.Select(d => $"{d.File}:{d.Line}:{d.Column} {d.Message}"));
                problems.Add($"starting notebook cell {cell.Cell} on the {on}: {cell.Status}{(why.Length > 0 ? $" ({why})" : "")}");
            }
            return (statuses, run.WallMs / 1000);
        }
        var reference = await RunAsync("reference", challenge.ReferenceFiles, mayThrow: false);
        var starter = await RunAsync("starter", challenge.StarterFiles, mayThrow: true);
        return new NotebookCheck(reference.Cells, starter.Cells, reference.Seconds, starter.Seconds, problems);
    }

    public async Task<ChallengeReport> ValidateAsync(Challenge challenge, Action<string> progress, CancellationToken ct)
    {
        var name = $"{challenge.PackId}/{challenge.Id}";
        var problems = new List<string>();
        ChallengeReport Stopped(IEnumerable<SandboxRun> done) =>
            new(challenge.Id, challenge.Level, [.. done.Select(r => r.WallMs / 1000)], false, [], null, [], [], challenge.Limits.TimeSeconds, problems);

        var build = await new ProbeBuilds(sandbox).GetAsync(challenge, ct);
        if (build.Probes is null)
        {
            problems.Add(build.Error!);
            return Stopped([]);
        }
        var builds = build.Probes;
        var seeds = GradingPlan.HiddenSeeds(challenge);
        var seed = seeds[0];
        progress($"{name}: probes compiled against the reference; hidden seeds {string.Join(", ", seeds)}");

        // Reference runs one at a time, alone, so its time is measured without contention.
        var runs = new List<SandboxRun>();
        for (var i = 1; i <= ReferenceRuns; i++)
        {
            var run = await RunAsync(challenge, builds, challenge.ReferenceFiles, seed, ct);
            progress($"{name}: reference run {i}/{ReferenceRuns}: {run.Exit}, {run.WallMs / 1000:F1} s");
            runs.Add(run);
            if (run.ProblemAsReference(challenge.Probes.Select(p => p.Id)) is { } problem)
            {
                problems.Add($"reference solution failed: {problem}");
                return Stopped(runs);
            }
        }
        var reference = runs[0].Probes;
        var deterministic = runs.Skip(1).All(r => SameObservations(reference, r.Probes));
        if (!deterministic)
        {
            problems.Add($"reference observations differ between runs: {FirstDifference(runs)}");
        }
        var referenceVerdict = Judge.Decide(challenge.Tests, runs[0], reference);
        var referenceFailed = referenceVerdict.Tests.Where(t => !t.Passed).Select(t => $"{t.Id}: {t.Message}").ToList();
        if (referenceFailed.Count > 0)
        {
            problems.Add($"reference solution fails {referenceFailed.Count} test(s): {string.Join("; ", referenceFailed)}");
        }
        // Every hidden seed of the pool must give the reference a pass: a threshold that holds for
        // one seed only would fail a correct fix by chance.
        foreach (var other in seeds.Skip(1))
        {
            var run = await RunAsync(challenge, builds, challenge.ReferenceFiles, other, ct);
            var failedHere = run.ProblemAsReference(challenge.Probes.Select(p => p.Id)) is { } problem
                ? [problem]
                : Judge.Decide(challenge.Tests, run, run.Probes).Tests.Where(t => !t.Passed).Select(t => $"{t.Id}: {t.Message}").ToList();
            progress($"{name}: reference with hidden seed {other}: {(failedHere.Count == 0 ? "passes" : "FAILS " + string.Join("; ", failedHere))}");
            if (failedHere.Count > 0)
            {
                problems.Add($"reference solution fails with hidden seed {other}: {string.Join("; ", failedHere)}");
            }
            runs.Add(run);
        }
        var seconds = runs.Select(r => r.WallMs / 1000).ToList();
        if (challenge.Limits.TimeSeconds < TimeLimitFactor * seconds.Max())
        {
            problems.Add($"time limit {challenge.Limits.TimeSeconds} s is less than {TimeLimitFactor}x the reference's {seconds.Max():F1} s");
        }

        var variants = new List<(string Kind, Variant Variant, IReadOnlyDictionary<string, string> Files)>
        {
            ("starter", new Variant("starter", "the buggy code candidates start from", challenge.StarterFiles), challenge.StarterFiles),
        };
        variants.AddRange(challenge.Bugs.Select(b => ("bug", b, (IReadOnlyDictionary<string, string>)SubmittedFiles.Overlay(challenge.ReferenceFiles, b.Files))));
        variants.AddRange(challenge.WrongFixes.Select(w => ("wrong fix", w, (IReadOnlyDictionary<string, string>)SubmittedFiles.Overlay(challenge.ReferenceFiles, w.Files))));

        using var slots = new SemaphoreSlim(Math.Max(1, parallelism));
        var results = await Task.WhenAll(variants.Select(async v =>
        {
            await slots.WaitAsync(ct);
            try
            {
                var run = await RunAsync(challenge, builds, v.Files, seed, ct);
                var verdict = Judge.Decide(challenge.Tests, run, reference);
                var report = new VariantReport(
                    v.Variant.Id,
                    v.Variant.Summary,
                    verdict.Kind,
                    [.. verdict.Tests.Where(t => !t.Passed && t.Visibility == Visibility.Hidden).Select(t => t.Id)],
                    [.. verdict.Tests.Where(t => !t.Passed && t.Visibility == Visibility.Public).Select(t => t.Id)],
                    [.. challenge.Tests.Where(t => t.Targets.Contains(v.Variant.Id)).Select(t => t.Id)]);
                progress($"{name}: {v.Kind} {v.Variant.Id}: {VerdictKinds.Name(verdict.Kind)}, {(report.Caught ? $"caught by {string.Join(", ", report.FailedHiddenTests)}" : "NOT caught by any hidden test")}");
                return (v.Kind, Report: report, Run: run);
            }
            finally
            {
                slots.Release();
            }
        }));

        var starter = results.Single(r => r.Kind == "starter").Report;
        var bugs = results.Where(r => r.Kind == "bug").Select(r => r.Report).ToList();
        var wrongFixes = results.Where(r => r.Kind == "wrong fix").Select(r => r.Report).ToList();
        if (!starter.Caught)
        {
            problems.Add("the starter passes every hidden test");
        }
        if (challenge.Bugs.Count == 0)
        {
            problems.Add("no planted bugs are listed");
        }
        problems.AddRange(bugs.Where(b => !b.Caught).Select(b => $"planted bug '{b.Id}' is not caught by any hidden test ({b.Verdict})"));
        problems.AddRange(wrongFixes.Where(w => !w.Caught).Select(w => $"wrong fix '{w.Id}' is not rejected by any hidden test ({w.Verdict})"));
        foreach (var (kind, report, run) in results.Where(r => r.Report.Verdict == VerdictKind.SandboxError))
        {
            problems.Add($"{kind} '{report.Id}' could not be run: {run.Reason}");
        }
        MutationSummary? mutation = null;
        if (mutants)
        {
            (mutation, var mutantProblems) = await MutationRun.RunAsync(challenge,
                async (files, token) => Judge.Decide(challenge.Tests, await RunAsync(challenge, builds, files, seed, token), reference),
                parallelism, progress, ct);
            problems.AddRange(mutantProblems);
            progress($"{name}: mutants killed {mutation.Killed}, equivalent {mutation.Equivalent}, survived {mutation.Survivors.Count} of {mutation.Mutants.Count} in {mutation.Seconds:F0} s");
        }
        var notebookReport = await CheckNotebookAsync(challenge, progress, ct);
        problems.AddRange(notebookReport?.Problems ?? []);
        return new ChallengeReport(challenge.Id, challenge.Level, seconds, deterministic, referenceFailed, starter, bugs, wrongFixes, challenge.Limits.TimeSeconds, problems)
        {
            Mutation = mutation,
            Notebook = notebookReport,
        };
    }

    private Task<SandboxRun> RunAsync(Challenge challenge, IReadOnlyDictionary<string, CompiledProbe> builds, IReadOnlyDictionary<string, string> files, long hiddenSeed, CancellationToken ct) =>
        sandbox.RunAsync(GradingPlan.Job(challenge, builds, files, challenge.Tests, hiddenSeed, DockerSandbox.NewNonce(), sandbox.Options.MaxConsoleChars), challenge.Limits, ct);

    /// <summary>Bit-for-bit equality: determinism means the same doubles, not close ones.</summary>
    private static bool SameObservations(IReadOnlyDictionary<string, ProbeReport> a, IReadOnlyDictionary<string, ProbeReport> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var other)
            && p.Value.Observations.Count == other.Observations.Count
            && p.Value.Observations.All(o => other.Observations.TryGetValue(o.Key, out var x) && SameValues(o.Value, x)));

    private static bool SameValues(Observation a, Observation b) =>
        a.Shape.SequenceEqual(b.Shape) && a.Values.Length == b.Values.Length
        && a.Values.Select(BitConverter.DoubleToInt64Bits).SequenceEqual(b.Values.Select(BitConverter.DoubleToInt64Bits));

    private static string FirstDifference(List<SandboxRun> runs)
    {
        var first = runs[0].Probes;
        foreach (var run in runs.Skip(1))
        {
            foreach (var (probe, report) in first)
            {
                foreach (var (obs, value) in report.Observations)
                {
                    if (!run.Probes.TryGetValue(probe, out var other) || !other.Observations.TryGetValue(obs, out var x) || !SameValues(value, x))
                    {
                        return $"observation '{obs}' of probe '{probe}'";
                    }
                }
            }
        }
        return "a probe reported different observations";
    }
}
