using BugHunt.Api.Submissions;
using BugHunt.Core.Assessments;
using BugHunt.Core.Authoring;
using BugHunt.Core.Database;
using BugHunt.Core.Grading;
using BugHunt.Core.Integrity;
using BugHunt.Core.Notebooks;
using BugHunt.Core.Packs;
using BugHunt.Core.Sessions;
using BugHunt.Core.Submissions;

namespace BugHunt.Api.Admin;

/// <summary>Assembles candidate reports from sessions, levels, hints and submissions.</summary>
public sealed class ReportBuilder(AssessmentStore assessments, SessionStore sessions, SubmissionStore submissions, IntegrityStore integrity, FixComparer fixes, RejudgeStore rejudges, NotebookStore notebooks, ChallengeStore challenges, TimeProvider clock)
{
    /// <summary>Every session's report, for the exports.</summary>
    public async Task<List<SessionReport>?> ReportsAsync(Guid assessmentId, CancellationToken ct) =>
        await ReportsAsync(assessmentId, PageRequest.All, ct) is { } page ? [.. page.Items] : null;

    /// <summary>A page of the sessions' reports, oldest session first; null when there is no such assessment.</summary>
    public async Task<Page<SessionReport>?> ReportsAsync(Guid assessmentId, PageRequest page, CancellationToken ct)
    {
        var assessment = await assessments.GetAsync(assessmentId, ct);
        if (assessment is null)
        {
            return null;
        }
        var similar = await fixes.FlaggedAsync(assessment, ct);
        var listed = await sessions.ListAsync(assessmentId, page, ct);
        var list = new List<SessionReport>();
        foreach (var session in listed.Items)
        {
            list.Add(await BuildAsync(assessment, session, similar, ct));
        }
        return new Page<SessionReport>(list, listed.Next);
    }

    public async Task<SessionReport?> ReportAsync(Guid sessionId, CancellationToken ct)
    {
        var session = await sessions.GetAsync(sessionId, ct);
        if (session is null)
        {
            return null;
        }
        var assessment = (await assessments.GetAsync(session.AssessmentId, ct))!;
        return await BuildAsync(assessment, session, await fixes.FlaggedAsync(assessment, ct), ct);
    }

    private async Task<SessionReport> BuildAsync(Assessment assessment, Session session, List<(int Level, SimilarPairView Pair)> similar, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var levels = await sessions.LevelsAsync(session.Id, ct);
        var hints = await sessions.HintsAsync(session.Id, ct);
        var subs = await submissions.ListForSessionAsync(session.Id, ct);
        var card = Scoring.Compute(assessment, session, levels, hints, now);
        var events = await integrity.EventsAsync(session.Id, ct);
        var status = session.StatusAt(now);
        var running = status is "not_started" or "in_progress";
        var flags = IntegrityFlags.For(events, running ? now.UtcDateTime : session.FinishedAt ?? session.Deadline);
        foreach (var (level, pair) in similar.Where(s => s.Pair.SessionA == session.Id || s.Pair.SessionB == session.Id))
        {
            var other = pair.SessionA == session.Id ? pair.CandidateB ?? pair.SessionB.ToString() : pair.CandidateA ?? pair.SessionA.ToString();
            flags.Add($"high similarity: level {level} fix {pair.Score:P0} alike with {other}'s");
        }
        var summary = new SessionSummary(session.Id, assessment.Id, assessment.Name, session.Candidate, session.Email, status, session.ExtraMinutes,
            session.CreatedAt, session.StartedAt, session.Deadline, session.FinishedAt,
            running ? levels.Where(l => l.State == "unlocked").Select(l => (int?)l.Position).FirstOrDefault() : null,
            levels.Count(l => l.State == "passed"), card.Total, card.Passed, subs.Count, flags.Count, now.UtcDateTime);
        var findings = await FindingsAsync(assessment, subs, ct);
        return new SessionReport(summary, card, hints, await sessions.TimeGrantsAsync(session.Id, ct), [.. subs.Select(s => SubmissionApi.StaffView(s))], events, await integrity.SnapshotsAsync(session.Id, ct), flags,
            IntegrityFlags.Thresholds)
        {
            Rejudgements = await rejudges.HistoryAsync(session.Id, ct),
            NotebookRuns = await notebooks.ListRunsAsync(session.Id, ct),
            Notes = await notebooks.NotesAsync(session.Id, ct),
            Bugs = findings,
            BugsByClass = BugFindings.ByClass(findings),
        };
    }

    /// <summary>
    /// Every planted bug of every level, found or not by the submission the level's score counts
    /// (the best scored one, the latest of equals); a level without one found none.
    /// </summary>
    private async Task<List<BugFinding>> FindingsAsync(Assessment assessment, IReadOnlyList<Submission> subs, CancellationToken ct)
    {
        var findings = new List<BugFinding>();
        foreach (var level in assessment.Levels)
        {
            var counted = subs
                .Where(s => s.LevelPosition == level.Position && s.Kind == "submit" && s.Verdict is not null)
                .OrderByDescending(s => s.Verdict!.Score).ThenByDescending(s => s.CreatedAt)
                .FirstOrDefault();
            if (await challenges.GetAsync(counted?.ChallengeVersionId ?? level.ChallengeVersionId, ct) is { } version)
            {
                findings.AddRange(BugFindings.Of(level.Position, version.Challenge, counted?.Files, counted?.Verdict));
            }
        }
        return findings;
    }
}
