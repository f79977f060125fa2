using BugHunt.Core.Checks;
using BugHunt.Core.Grading;
using BugHunt.Core.Packs;
using BugHunt.Core.Sandbox;
using Xunit;

namespace BugHunt.Core.Tests;

/// <summary>
/// The score part of the judge on hand-built sandbox runs: every test has a probe of its own that
/// observes whether it passes, so a case is just the set of failing tests.
/// </summary>
public sealed class JudgeScoringTests
{
    private static readonly string[] Bugs = [.. Enumerable.Range(0, 10).Select(i => $"bug-{i}")];

    private static string TitleOf(string bug) => $"Part {bug[^1]} of the model";

    /// <summary>A take-home in the shape of tiny-gpt: one hidden test per bug, a public test and an end-to-end test of several bugs, and guards.</summary>
    private static List<TestSpec> TakeHome(bool perBug)
    {
        var tests = new List<TestSpec> { Test("public-pipeline", Visibility.Public, 0.25, "bug-0", "bug-1") };
        tests.AddRange(Bugs.Select(b => Test($"hidden-{b}", Visibility.Hidden, 1, b)));
        tests.Add(Test("end-to-end", Visibility.Hidden, 0.5, "bug-0", "bug-1", "bug-7"));
        tests.Add(Test("guard-greedy", Visibility.Hidden, 0.25));
        tests.Add(Test("guard-clipping", Visibility.Hidden, 0.25));
        tests.Add(Test("guard-loss", Visibility.Hidden, 0.25));
        return perBug ? [.. tests.Select(t => t with { TargetTitles = [.. t.Targets.Select(TitleOf)] })] : tests;
    }

    private static TestSpec Test(string id, Visibility visibility, double weight, params string[] targets) =>
        new(id, id, id, visibility, "correctness", weight, targets, new CheckSpec(CheckKind.Bool, Observation: "ok"));

    private static Verdict Decide(IReadOnlyList<TestSpec> tests, params string[] failing)
    {
        var probes = tests.ToDictionary(
            t => t.Probe,
            t => new ProbeReport(t.Probe, true, null, 1, new Dictionary<string, Observation> { ["ok"] = new("ok", "bool", "bool", [], [failing.Contains(t.Id) ? 0 : 1]) }));
        var run = new SandboxRun(SandboxExit.Completed, null, true, false, [], probes, "", false, 1, 1, 1);
        return Judge.Decide(tests, run, probes);
    }

    [Fact]
    public void Every_bug_fixed_and_every_check_passing_scores_one()
    {
        var verdict = Decide(TakeHome(perBug: true));
        Assert.Equal(VerdictKind.Accepted, verdict.Kind);
        Assert.Equal(1.0, verdict.Score, 12);
        Assert.Equal("10 of 10", verdict.BugsFixed!.ToString());
        Assert.Equal(Bugs.Select(TitleOf), verdict.BugsFixed.Titles);
    }

    [Fact]
    public void Seven_of_ten_bugs_fixed_scores_seven_tenths_and_names_the_seven()
    {
        // bug-7 is still there, so the end-to-end test of bug-0, bug-1 and bug-7 fails too: that
        // failure is the unfixed bug's and neither withholds bug-0 and bug-1 nor takes credit off.
        var verdict = Decide(TakeHome(perBug: true), "hidden-bug-7", "hidden-bug-8", "hidden-bug-9", "end-to-end");
        Assert.Equal(0.7, verdict.Score, 12);
        Assert.Equal(7, verdict.BugsFixed!.Count);
        Assert.Equal(10, verdict.BugsFixed.Total);
        Assert.Equal("7 of 10", verdict.BugsFixed.ToString());
        Assert.Equal(Bugs.Take(7).Select(TitleOf), verdict.BugsFixed.Titles);
    }

    [Fact]
    public void A_failing_guard_takes_its_share_of_the_checks_weight_off()
    {
        // Checks (tests that do not target exactly one bug): public 0.25, end-to-end 0.5, three guards of 0.25: 1.5 in all.
        var verdict = Decide(TakeHome(perBug: true), "guard-clipping");
        Assert.Equal(VerdictKind.WrongAnswer, verdict.Kind);
        Assert.Equal(1 - (0.25 / 1.5), verdict.Score, 12);
        Assert.Equal(10, verdict.BugsFixed!.Count);
    }

    [Fact]
    public void A_test_of_several_bugs_failing_although_they_are_fixed_counts_against_the_submission()
    {
        var verdict = Decide(TakeHome(perBug: true), "hidden-bug-9", "end-to-end");
        Assert.Equal(0.9 * (1 - (0.5 / 1.5)), verdict.Score, 12);
        Assert.Equal(9, verdict.BugsFixed!.Count);
    }

    [Fact]
    public void A_bug_whose_own_test_fails_is_not_fixed_even_when_its_other_tests_pass()
    {
        var verdict = Decide(TakeHome(perBug: true), "hidden-bug-0");
        Assert.Equal(0.9, verdict.Score, 12);
        Assert.DoesNotContain(TitleOf("bug-0"), verdict.BugsFixed!.Titles);
    }

    [Fact]
    public void Untouched_starter_earns_nothing_although_its_guards_pass()
    {
        string[] failing = [.. Bugs.Select(b => $"hidden-{b}"), "public-pipeline", "end-to-end"];
        var perBug = Decide(TakeHome(perBug: true), failing);
        Assert.Equal(0, perBug.Score, 12);
        Assert.Equal("0 of 10", perBug.BugsFixed!.ToString());
        Assert.Empty(perBug.BugsFixed.Titles);

        // By test weight the same starter would have earned its guards' share.
        Assert.Equal(0.75 / 11.5, Decide(TakeHome(perBug: false), failing).Score, 12);
    }

    [Fact]
    public void Weighted_scoring_is_the_passed_share_of_test_weight_and_names_no_bugs()
    {
        var verdict = Decide(TakeHome(perBug: false), "hidden-bug-7", "hidden-bug-8", "hidden-bug-9", "end-to-end");
        Assert.Equal((11.5 - 3.5) / 11.5, verdict.Score, 12);
        Assert.Null(verdict.BugsFixed);
        Assert.Equal(1.0, Decide(TakeHome(perBug: false)).Score, 12);
    }

    [Fact]
    public void A_run_of_the_public_tests_only_is_scored_by_test_weight()
    {
        var publicOnly = TakeHome(perBug: true).Where(t => t.Visibility == Visibility.Public).ToList();
        var verdict = Decide(publicOnly);
        Assert.Equal(1.0, verdict.Score, 12);
        Assert.Null(verdict.BugsFixed);
    }

    [Fact]
    public void A_submission_that_does_not_compile_scores_nothing_in_either_mode()
    {
        var tests = TakeHome(perBug: true);
        var run = new SandboxRun(SandboxExit.Completed, null, false, false, [new SourceDiagnostic("Model.cs", 3, 1, "CS1002", "; expected")], new Dictionary<string, ProbeReport>(), "", false, 1, 0, 1);
        var verdict = Judge.Decide(tests, run, new Dictionary<string, ProbeReport>());
        Assert.Equal(VerdictKind.CompileError, verdict.Kind);
        Assert.Equal(0, verdict.Score);
    }
}
