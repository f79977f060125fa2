using BugHunt.Api.Hosting;
using BugHunt.Api.Submissions;
using BugHunt.Core.Assessments;
using BugHunt.Core.Integrity;
using BugHunt.Core.Sessions;
using BugHunt.Core.Staff;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BugHunt.Api.Admin;

/// <param name="ServerTime">The server's clock when this was made: the console counts down to the deadline by it, not by the browser's.</param>
/// <param name="ExtraMinutes">Extra time in all: the invite's and every grant since the start.</param>
public sealed record SessionSummary(
    Guid Id,
    Guid AssessmentId,
    string Assessment,
    string? Candidate,
    string? Email,
    string Status,
    int ExtraMinutes,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? Deadline,
    DateTime? FinishedAt,
    int? CurrentLevel,
    int LevelsPassed,
    double Score,
    bool Passed,
    int Submissions,
    int Flags,
    DateTime ServerTime);

public sealed record SessionReport(
    SessionSummary Session,
    ScoreCard Score,
    IReadOnlyList<HintReveal> Hints,
    IReadOnlyList<TimeGrant> TimeGrants,
    IReadOnlyList<StaffSubmissionView> Submissions,
    IReadOnlyList<IntegrityEvent> IntegrityEvents,
    IReadOnlyList<SnapshotInfo> Snapshots,
    IReadOnlyList<string> Flags,
    FlagThresholds FlagThresholds)
{
    /// <summary>Applied rejudges of this session's submissions: each verdict the submission had before, and the one it has since.</summary>
    public IReadOnlyList<BugHunt.Core.Authoring.SubmissionRejudgement> Rejudgements { get; init; } = [];

    /// <summary>Every planted bug of every level with its fault class, and whether the counted submission fixed it; staff only.</summary>
    public IReadOnlyList<BugHunt.Core.Grading.BugFinding> Bugs { get; init; } = [];

    /// <summary>The planted bugs counted by fault class: planted and found.</summary>
    public IReadOnlyList<BugHunt.Core.Grading.FaultClassTally> BugsByClass { get; init; } = [];

    /// <summary>The candidate's notebook runs, oldest first, with each run's cells and their results: how they debugged.</summary>
    public IReadOnlyList<BugHunt.Core.Notebooks.NotebookRun> NotebookRuns { get; init; } = [];

    /// <summary>The candidate's notes for the reviewer, by level.</summary>
    public IReadOnlyDictionary<int, string> Notes { get; init; } = new Dictionary<int, string>();
}

/// <summary>Proctors and recruiters read sessions, reports, snapshots and exported results.</summary>
public static class ReportAdminApi
{
    public static void MapReports(this RouteGroupBuilder admin)
    {
        admin.MapGet("/assessments/{id:guid}/sessions", SessionsAsync).RequireStaff(StaffRole.Recruiter, StaffRole.Proctor).WithName("ListAssessmentSessions").WithSummary("Sessions with live status and score, oldest first; paged (?limit=, ?cursor=).");
        admin.MapGet("/assessments/{id:guid}/results.csv", CsvAsync).RequireStaff(StaffRole.Recruiter).WithName("ExportResultsCsv").Produces<string>(200, "text/csv").WithSummary("All sessions' results as CSV.");
        admin.MapGet("/assessments/{id:guid}/results.json", JsonAsync).RequireStaff(StaffRole.Recruiter).WithName("ExportResultsJson").WithSummary("All sessions' reports as JSON.");
        // Webcam and screen images are the proctor's alone: an author or a recruiter never sees them.
        admin.MapGet("/sessions/{id:guid}/snapshots/{snapshot:long}", SnapshotAsync).RequireStaff(StaffRole.Proctor).WithName("GetSnapshot").Produces<byte[]>(200, "image/jpeg", "image/png", "image/webp").WithSummary("A proctoring snapshot image.");
        admin.MapGet("/sessions/{id:guid}/report", ReportAsync).RequireStaff(StaffRole.Recruiter, StaffRole.Proctor)
            .WithName("GetSessionReport").WithSummary("A candidate report: score, per-level time and attempts, hints, submissions with verdicts.");
    }

    private static readonly PagedList Sessions = new("assessment-sessions", KeyPart.Time, KeyPart.Uuid);

    private static async Task<Results<Ok<PageView<SessionSummary>>, ProblemHttpResult>> SessionsAsync(Guid id, HttpContext http, ReportBuilder reports, CancellationToken ct)
    {
        var (page, problem) = Paging.Read(http.Request, Sessions);
        if (page is null)
        {
            return problem!;
        }
        return await reports.ReportsAsync(id, page, ct) is { } list ? TypedResults.Ok(Paging.View(list, Sessions, r => r.Session)) : AdminApi.NoAssessment(id);
    }

    // Views are recorded before what was viewed is sent: when the entry cannot be written, nothing is shown.
    private static async Task<Results<Ok<List<SessionReport>>, ProblemHttpResult>> JsonAsync(Guid id, ReportBuilder reports, HttpContext http, CancellationToken ct)
    {
        if (await reports.ReportsAsync(id, ct) is not { } list)
        {
            return AdminApi.NoAssessment(id);
        }
        await http.AuditAsync(AuditActions.ResultsExport, AuditTarget.Assessment(id), new { format = "json", sessions = list.Count });
        return TypedResults.Ok(list);
    }

    private static async Task<Results<Ok<SessionReport>, ProblemHttpResult>> ReportAsync(Guid id, ReportBuilder reports, HttpContext http, CancellationToken ct)
    {
        if (await reports.ReportAsync(id, ct) is not { } report)
        {
            return TypedResults.Problem($"No session {id}.", statusCode: 404, title: "Session not found");
        }
        await http.AuditAsync(AuditActions.ReportView, AuditTarget.Session(id), new { assessment = report.Session.AssessmentId });
        return TypedResults.Ok(report);
    }

    private static async Task<IResult> SnapshotAsync(Guid id, long snapshot, IntegrityStore integrity, HttpContext http, CancellationToken ct)
    {
        if (await integrity.SnapshotAsync(id, snapshot, ct) is not { } image)
        {
            return TypedResults.Problem($"No snapshot {snapshot} in session {id}.", statusCode: 404, title: "Snapshot not found");
        }
        await http.AuditAsync(AuditActions.SnapshotView, AuditTarget.Session(id), new { snapshot });
        return TypedResults.File(image.Content, image.ContentType);
    }

    private static async Task<IResult> CsvAsync(Guid id, ReportBuilder reports, AssessmentStore assessments, HttpContext http, CancellationToken ct)
    {
        var assessment = await assessments.GetAsync(id, ct);
        var list = await reports.ReportsAsync(id, ct);
        if (assessment is null || list is null)
        {
            return AdminApi.NoAssessment(id);
        }
        await http.AuditAsync(AuditActions.ResultsExport, AuditTarget.Assessment(id), new { format = "csv", sessions = list.Count });
        return TypedResults.Text(ResultsCsv.Write(assessment, list), "text/csv; charset=utf-8");
    }
}
