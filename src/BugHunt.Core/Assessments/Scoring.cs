using BugHunt.Core.Sessions;

namespace BugHunt.Core.Assessments;

public sealed record LevelScore(int Position, string Title, string State, int Points, double BestScore, double HintCost, double Earned, int Attempts, double? Minutes);

public sealed record ScoreCard(double Total, int MaxPoints, int PassPoints, bool Passed, IReadOnlyList<LevelScore> Levels)
{
    /// <summary>The assessment's <see cref="Assessment.PointScale"/>, so that pages scale level points without re-deciding it.</summary>
    public double PointScale { get; init; }
}

/// <summary>
/// The assessment score: per level, the best scored submission's score (its verdict's 0..1: the
/// passed share of test weight, or the share of planted bugs fixed in a per-bug challenge) times
/// the level's points, minus the hints revealed on it (never below zero), scaled so that all
/// levels together are worth the assessment's maximum.
/// </summary>
public static class Scoring
{
    public static ScoreCard Compute(Assessment assessment, Session session, IReadOnlyList<SessionLevel> levels, IReadOnlyList<HintReveal> hints, DateTimeOffset now)
    {
        var scale = assessment.PointScale;
        var end = new[] { session.FinishedAt, session.Deadline, now.UtcDateTime }.Where(t => t is not null).Min()!.Value;
        var rows = assessment.Levels.Select(level =>
        {
            var state = levels.FirstOrDefault(l => l.Position == level.Position);
            var best = state?.BestScore ?? 0;
            var hintCost = hints.Where(h => h.Position == level.Position).Sum(h => h.CostPoints);
            var earned = Math.Max(0, (best * level.Points) - hintCost) * scale;
            double? minutes = state?.UnlockedAt is { } from && session.StartedAt is { } started
                ? ((state.PassedAt ?? end) - (from > started ? from : started)).TotalMinutes
                : null;
            return new LevelScore(level.Position, level.Title, state?.State ?? "locked", level.Points, best, hintCost * scale, Math.Round(earned, 2), state?.Attempts ?? 0,
                minutes is null ? null : Math.Round(Math.Max(0, minutes.Value), 2));
        }).ToList();
        var total = Math.Round(rows.Sum(r => r.Earned), 2);
        return new ScoreCard(total, assessment.MaxPoints, assessment.PassPoints, total >= assessment.PassPoints, rows) { PointScale = scale };
    }
}
