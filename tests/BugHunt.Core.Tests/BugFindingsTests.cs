using BugHunt.Core.Grading;
using BugHunt.Core.Packs;
using BugHunt.Testing;
using Xunit;

namespace BugHunt.Core.Tests;

/// <summary>Which planted bugs a report says a submission found, and how they are counted by fault class.</summary>
public sealed class BugFindingsTests
{
    private static readonly Lazy<IReadOnlyList<Challenge>> LabScreen = new(() => PackLoader.Load(TestPacks.LabScreen).Challenges);

    private static Challenge Attention => LabScreen.Value.Single(c => c.Id == "causal-attention");

    /// <summary>A verdict in which exactly the named tests failed.</summary>
    private static Verdict Failing(Challenge challenge, params string[] failed)
    {
        var results = challenge.Tests.Select(t => new TestResult(t.Id, t.Title, t.Visibility, t.Category, t.Weight, !failed.Contains(t.Id), "", null)).ToList();
        var kind = failed.Length == 0 ? VerdictKind.Accepted : VerdictKind.WrongAnswer;
        return new Verdict(kind, 0, "", results, [], "", false, new Timings(0, 0, 0, new Dictionary<string, double>()));
    }

    private static Dictionary<string, bool> Found(Challenge challenge, IReadOnlyDictionary<string, string> files, Verdict? verdict) =>
        BugFindings.Of(1, challenge, files, verdict).ToDictionary(f => f.Bug, f => f.Found);

    [Fact]
    public void The_reference_with_one_bug_planted_found_every_other_bug()
    {
        var scale = Attention.Bugs.Single(b => b.Id == "scale");
        // What the scale bug alone fails: the output and gradient comparisons, which target every bug.
        var verdict = Failing(Attention, "output-matches-reference-small", "output-matches-reference-second-shape", "parameter-gradients-match-reference", "input-gradient-matches-reference");

        var found = Found(Attention, scale.Files, verdict);

        Assert.False(found["scale"]);
        Assert.True(found["mask-polarity"]);
        Assert.True(found["softmax-dim"]);
        Assert.True(found["head-merge"]);
    }

    [Fact]
    public void The_starter_found_nothing_and_the_reference_found_everything()
    {
        Assert.All(Found(Attention, Attention.StarterFiles, Failing(Attention, "output-matches-reference-small")).Values, Assert.False);
        Assert.All(Found(Attention, Attention.ReferenceFiles, Failing(Attention)).Values, Assert.True);
    }

    [Fact]
    public void A_bug_whose_lines_are_gone_but_whose_tests_still_fail_was_not_found()
    {
        // Every bug's planted lines are gone (the reference's text), yet a causality test fails:
        // its targets are all gone, so the failure is a wrong fix of each of them.
        var verdict = Failing(Attention, "future-tokens-do-not-change-earlier-outputs");

        var found = Found(Attention, Attention.ReferenceFiles, verdict);

        Assert.True(found["scale"]);
        Assert.False(found["mask-polarity"]);
        Assert.False(found["softmax-dim"]);
        Assert.False(found["head-merge"]);
    }

    [Fact]
    public void No_test_results_find_nothing_even_for_the_reference()
    {
        var compileError = new Verdict(VerdictKind.CompileError, 0, "", [], [], "", false, new Timings(0, 0, 0, new Dictionary<string, double>()));

        Assert.All(Found(Attention, Attention.ReferenceFiles, compileError).Values, Assert.False);
        Assert.All(Found(Attention, Attention.ReferenceFiles, null).Values, Assert.False);
    }

    [Fact]
    public void A_per_bug_challenge_reports_exactly_the_bugs_its_verdict_credits()
    {
        var gpt = LabScreen.Value.Single(c => c.Id == "tiny-gpt");
        var credited = gpt.Bugs.Take(3).ToList();
        var verdict = Failing(gpt, "generation-past-the-block-size") with { BugsFixed = new BugsFixed([.. credited.Select(b => b.Title!)], gpt.Bugs.Count) };

        var found = Found(gpt, gpt.StarterFiles, verdict);

        Assert.Equal(credited.Select(b => b.Id).Order(), found.Where(f => f.Value).Select(f => f.Key).Order());
    }

    [Fact]
    public void Findings_are_counted_by_fault_class_in_the_taxonomys_order()
    {
        var findings = LabScreen.Value.SelectMany((c, i) => BugFindings.Of(i + 1, c, c.ReferenceFiles, Failing(c))).ToList();

        var tally = BugFindings.ByClass(findings);

        Assert.Equal(findings.Count, tally.Sum(t => t.Planted));
        Assert.Equal(findings.Count, tally.Sum(t => t.Found));
        Assert.DoesNotContain(tally, t => t.FaultClass == "unclassified");
        var order = FaultClasses.All.Keys.ToList();
        Assert.Equal(tally.Select(t => order.IndexOf(t.FaultClass)).Order(), tally.Select(t => order.IndexOf(t.FaultClass)));
        Assert.Equal(FaultClasses.All["training/loss-function"], tally.Single(t => t.FaultClass == "training/loss-function").Name);
    }
}
