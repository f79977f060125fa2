using BugHunt.Core.Assessments;
using BugHunt.Core.Sessions;
using Xunit;

namespace BugHunt.Core.Tests;

/// <summary>The assessment score card on hand-built sessions: level points, hint costs, the scale to the maximum, time per level.</summary>
public sealed class ScoringTests
{
    private static readonly DateTime Start = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    /// <summary>Two levels of 100 and 200 points in an assessment worth 600: every point counts double.</summary>
    private static Assessment TwoLevels(int passPoints = 420) => new(
        Guid.NewGuid(), "screen", 90, 600, passPoints, true, "no AI", new ProctoringRequirements(false, false),
        [
            new AssessmentLevel(1, Guid.NewGuid(), "lab", "warmup", "Warm-up", 100, 1.0),
            new AssessmentLevel(2, Guid.NewGuid(), "lab", "attention", "Attention", 200, 1.0),
        ],
        Start.AddDays(-1));

    private static Session Started(DateTime? finished = null) =>
        new(Guid.NewGuid(), Guid.NewGuid(), "ada", 0, Start.AddMinutes(-5), Start, Start.AddMinutes(90), finished);

    private static SessionLevel Level(int position, string state, double best, DateTime? unlocked, DateTime? passed = null, int attempts = 1) =>
        new(position, state, best, attempts, unlocked, passed, null);

    private static ScoreCard Compute(Session session, IReadOnlyList<SessionLevel> levels, IReadOnlyList<HintReveal>? hints = null, int passPoints = 420) =>
        Scoring.Compute(TwoLevels(passPoints), session, levels, hints ?? [], new DateTimeOffset(Start.AddMinutes(30)));

    [Fact]
    public void Both_levels_passed_earn_the_assessment_maximum()
    {
        var card = Compute(Started(), [Level(1, "passed", 1, Start, Start.AddMinutes(10)), Level(2, "passed", 1, Start.AddMinutes(10), Start.AddMinutes(25))]);
        Assert.Equal(600, card.Total);
        Assert.True(card.Passed);
        Assert.Equal([200, 400], card.Levels.Select(l => l.Earned));
    }

    [Fact]
    public void Point_scale_makes_all_levels_worth_the_maximum_and_is_served_with_the_card()
    {
        Assert.Equal(2, TwoLevels().PointScale);
        Assert.Equal(0, (TwoLevels() with { Levels = [] }).PointScale);
        Assert.Equal(2, Compute(Started(), []).PointScale);
    }

    [Fact]
    public void Partial_score_is_the_best_share_of_the_level_points_scaled()
    {
        var card = Compute(Started(), [Level(1, "passed", 1, Start, Start.AddMinutes(10)), Level(2, "unlocked", 0.35, Start.AddMinutes(10))]);
        Assert.Equal(200 + (0.35 * 200 * 2), card.Total, 2);
        Assert.False(card.Passed);
    }

    [Fact]
    public void Hint_costs_come_off_the_level_and_never_below_zero()
    {
        var hints = new List<HintReveal>
        {
            new(1, "h1", 30, Start.AddMinutes(2)),
            new(2, "h2", 50, Start.AddMinutes(12)),
            new(2, "h3", 50, Start.AddMinutes(13)),
        };
        var card = Compute(Started(), [Level(1, "passed", 1, Start, Start.AddMinutes(10)), Level(2, "unlocked", 0.25, Start.AddMinutes(10))], hints);
        Assert.Equal((100 - 30) * 2, card.Levels[0].Earned);
        Assert.Equal(0, card.Levels[1].Earned);
        // The cost is shown on the same scale as the points.
        Assert.Equal(60, card.Levels[0].HintCost);
        Assert.Equal(200, card.Levels[1].HintCost);
    }

    [Fact]
    public void Exactly_the_pass_points_pass()
    {
        var card = Compute(Started(), [Level(1, "passed", 1, Start, Start.AddMinutes(10)), Level(2, "unlocked", 0.5, Start.AddMinutes(10))], passPoints: 400);
        Assert.Equal(400, card.Total);
        Assert.True(card.Passed);
    }

    [Fact]
    public void Minutes_run_from_unlock_to_pass_or_to_now_while_open()
    {
        var card = Compute(Started(), [Level(1, "passed", 1, Start, Start.AddMinutes(10)), Level(2, "unlocked", 0, Start.AddMinutes(10))]);
        Assert.Equal(10, card.Levels[0].Minutes);
        Assert.Equal(20, card.Levels[1].Minutes);
    }

    [Fact]
    public void Minutes_of_a_finished_session_stop_at_its_finish()
    {
        var card = Compute(Started(finished: Start.AddMinutes(15)), [Level(1, "passed", 1, Start, Start.AddMinutes(10)), Level(2, "unlocked", 0, Start.AddMinutes(10))]);
        Assert.Equal(5, card.Levels[1].Minutes);
    }

    [Fact]
    public void Locked_level_earns_nothing_and_has_no_time()
    {
        var card = Compute(Started(), [Level(1, "unlocked", 0, Start)]);
        Assert.Equal("locked", card.Levels[1].State);
        Assert.Equal(0, card.Levels[1].Earned);
        Assert.Null(card.Levels[1].Minutes);
        Assert.Equal(0, card.Total);
    }
}
