using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using BugHunt.Api.Submissions;
using BugHunt.Core.Assessments;
using BugHunt.Core.Integrity;
using BugHunt.Core.Similarity;
using BugHunt.Core.Packs;
using BugHunt.Core.Sessions;
using BugHunt.Core.Submissions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BugHunt.Api.Admin;

// Admin bodies read numbers strictly: the API's JSON options accept "NaN" and "Infinity" (verdicts
// report NaN errors), and a NaN slips through range checks, e.g. an invite that expires at once.
// Numbers too large for a double (1e999) still read as infinity: AdminApi.NotFinite refuses those.
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record LevelRequest(string? Pack, string? Challenge, int? Points, string? PassRule, double? PassThreshold);

[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record AssessmentRequest(
    string? Name,
    List<LevelRequest>? Levels,
    int? TimeLimitMinutes,
    int? MaxPoints,
    int? PassPoints,
    bool? HintsAllowed,
    string? AiPolicy,
    ProctoringRequirements? Proctoring);

[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record InviteRequest(string? Candidate, double? ExpiresInHours, int? ExtraMinutes);

/// <summary>A new invite: <c>PageUrl</c> is the link for the candidate's browser, <c>OpenUrl</c> the API call it makes.</summary>
public sealed record InviteCreated(string Token, string Candidate, DateTime ExpiresAt, int ExtraMinutes, string OpenUrl, string PageUrl);

public sealed record SessionSummary(Guid Id, Guid AssessmentId, string Assessment, string? Candidate, string Status, DateTime CreatedAt, DateTime? StartedAt, DateTime? Deadline, DateTime? FinishedAt, int? CurrentLevel, int LevelsPassed, double Score, bool Passed, int Submissions, int Flags);

public sealed record SimilarPairView(Guid SessionA, string? CandidateA, Guid SessionB, string? CandidateB, double Score, int EditTokensA, int EditTokensB, bool Flagged);

public sealed record CandidateFiles(Guid Session, string? Candidate, IReadOnlyDictionary<string, string> Files);

public sealed record FixesView(IReadOnlyDictionary<string, string> Starter, IReadOnlyList<CandidateFiles> Candidates);

public sealed record SessionReport(
    SessionSummary Session,
    ScoreCard Score,
    IReadOnlyList<HintReveal> Hints,
    IReadOnlyList<StaffSubmissionView> Submissions,
    IReadOnlyList<IntegrityEvent> IntegrityEvents,
    IReadOnlyList<SnapshotInfo> Snapshots,
    IReadOnlyList<string> Flags);

public static class AdminApi
{
    public const string DefaultAiPolicy = "No AI assistants, code completion services or outside help. Documentation of C#, .NET and TorchSharp may be used.";

    public static void MapAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").AddEndpointFilter<AdminAuth>().WithTags("Admin");
        admin.MapGet("/assessments", async (AssessmentStore assessments, CancellationToken ct) => TypedResults.Ok(await assessments.ListAsync(ct)))
            .WithSummary("All assessments, newest first, with their number of levels and sessions.");
        admin.MapPost("/assessments", CreateAsync).WithSummary("Create an assessment from imported packs (the latest version of each challenge is pinned).");
        admin.MapGet("/assessments/{id:guid}", GetAsync).WithSummary("An assessment with its levels.");
        admin.MapPost("/assessments/{id:guid}/invites", InviteAsync).WithSummary("A single-use invite with an expiry and optional extra time.");
        admin.MapGet("/assessments/{id:guid}/sessions", SessionsAsync).WithSummary("Sessions with live status and score.");
        admin.MapGet("/assessments/{id:guid}/results.csv", CsvAsync).WithSummary("All sessions' results as CSV.");
        admin.MapGet("/assessments/{id:guid}/results.json", JsonAsync).WithSummary("All sessions' reports as JSON.");
        admin.MapGet("/assessments/{id:guid}/levels/{position:int}/similarity", SimilarityAsync).WithSummary("Pairs of candidates whose fixes of a level are alike (the reference fix itself excluded); high ones are flagged.");
        admin.MapGet("/assessments/{id:guid}/levels/{position:int}/fixes", FixesAsync).WithSummary("Side by side: the starter and the latest code of the given sessions (?sessions=a,b).");
        admin.MapGet("/sessions/{id:guid}/snapshots/{snapshot:long}", SnapshotAsync).WithSummary("A proctoring snapshot image.");
        admin.MapGet("/sessions/{id:guid}/report", ReportAsync).WithSummary("A candidate report: score, per-level time and attempts, hints, submissions with verdicts.");
    }

    private static async Task<Results<Created<Assessment>, ProblemHttpResult>> CreateAsync(AssessmentRequest request, AssessmentStore assessments, ChallengeStore challenges, CancellationToken ct)
    {
        static ProblemHttpResult Bad(string detail) => TypedResults.Problem(detail, statusCode: 400, title: "Assessment not valid");
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 200)
        {
            return Bad("name is required (at most 200 characters).");
        }
        if (request.Levels is not { Count: > 0 and <= 20 })
        {
            return Bad("levels must list 1 to 20 levels, e.g. [{\"pack\": \"lab-screen\", \"challenge\": \"numerics-warmup\", \"points\": 100}].");
        }
        if (NotFinite(request.Levels.Select((l, i) => ($"levels[{i}].pass_threshold", l.PassThreshold))) is { } field)
        {
            return Bad($"{field} must be a finite number.");
        }
        var time = request.TimeLimitMinutes ?? 90;
        var max = request.MaxPoints ?? 600;
        var pass = request.PassPoints ?? (int)Math.Round(max * 0.7);
        if (time is < 1 or > 1440 || max < 1 || pass < 0 || pass > max)
        {
            return Bad("time_limit_minutes must be 1..1440, max_points positive, pass_points between 0 and max_points.");
        }
        var levels = new List<NewLevel>();
        for (var i = 0; i < request.Levels.Count; i++)
        {
            var l = request.Levels[i];
            if (l.Pack is null || l.Challenge is null)
            {
                return Bad($"levels[{i}] needs pack and challenge.");
            }
            var version = await challenges.LatestVersionAsync(l.Pack, l.Challenge, ct);
            if (version is null)
            {
                return Bad($"levels[{i}]: no imported challenge {l.Pack}/{l.Challenge} (import the pack with `bughunt pack import`).");
            }
            var threshold = (l.PassRule ?? "all_tests") switch
            {
                "all_tests" => 1.0,
                "score" when l.PassThreshold is > 0 and <= 1 => l.PassThreshold.Value,
                "score" => double.NaN,
                _ => double.NegativeInfinity,
            };
            if (double.IsNaN(threshold) || double.IsNegativeInfinity(threshold))
            {
                return Bad($"levels[{i}].pass_rule must be \"all_tests\" or \"score\" with pass_threshold in (0, 1].");
            }
            if (l.Points is < 0 or > 10_000)
            {
                return Bad($"levels[{i}].points must be 0..10000.");
            }
            levels.Add(new NewLevel(version.Value, l.Points ?? 100, threshold));
        }
        var id = await assessments.CreateAsync(new NewAssessment(request.Name, time, max, pass, request.HintsAllowed ?? true,
            request.AiPolicy ?? DefaultAiPolicy, request.Proctoring ?? new ProctoringRequirements(false, false), levels), ct);
        return TypedResults.Created($"/api/admin/assessments/{id}", (await assessments.GetAsync(id, ct))!);
    }

    private static async Task<Results<Ok<Assessment>, ProblemHttpResult>> GetAsync(Guid id, AssessmentStore assessments, CancellationToken ct) =>
        await assessments.GetAsync(id, ct) is { } a ? TypedResults.Ok(a) : NoAssessment(id);

    private static async Task<Results<Created<InviteCreated>, ProblemHttpResult>> InviteAsync(Guid id, InviteRequest request, AssessmentStore assessments, SessionStore sessions, TimeProvider clock, CancellationToken ct)
    {
        if (await assessments.GetAsync(id, ct) is null)
        {
            return NoAssessment(id);
        }
        if (NotFinite([("expires_in_hours", request.ExpiresInHours)]) is { } field)
        {
            return TypedResults.Problem($"{field} must be a finite number.", statusCode: 400, title: "Invite not valid");
        }
        var hours = request.ExpiresInHours ?? 168;
        var extra = request.ExtraMinutes ?? 0;
        if (hours is <= 0 or > 24 * 90 || extra is < 0 or > 600 || request.Candidate is { Length: > 200 })
        {
            return TypedResults.Problem("expires_in_hours must be in (0, 2160], extra_minutes 0..600, candidate at most 200 characters.", statusCode: 400, title: "Invite not valid");
        }
        var expires = clock.GetUtcNow().AddHours(hours);
        var token = await sessions.CreateInviteAsync(id, request.Candidate, expires, extra, reusable: false, ct);
        return TypedResults.Created($"/api/invites/{token}/sessions", new InviteCreated(token, request.Candidate ?? "", expires.UtcDateTime, extra, $"/api/invites/{token}/sessions", $"/invite/{token}"));
    }

    private static async Task<Results<Ok<List<SessionSummary>>, ProblemHttpResult>> SessionsAsync(Guid id, ReportBuilder reports, CancellationToken ct) =>
        await reports.ReportsAsync(id, ct) is { } list ? TypedResults.Ok(list.Select(r => r.Session).ToList()) : NoAssessment(id);

    private static async Task<Results<Ok<List<SessionReport>>, ProblemHttpResult>> JsonAsync(Guid id, ReportBuilder reports, CancellationToken ct) =>
        await reports.ReportsAsync(id, ct) is { } list ? TypedResults.Ok(list) : NoAssessment(id);

    private static async Task<Results<Ok<SessionReport>, ProblemHttpResult>> ReportAsync(Guid id, ReportBuilder reports, CancellationToken ct) =>
        await reports.ReportAsync(id, ct) is { } r ? TypedResults.Ok(r) : TypedResults.Problem($"No session {id}.", statusCode: 404, title: "Session not found");

    private static async Task<Results<Ok<List<SimilarPairView>>, ProblemHttpResult>> SimilarityAsync(Guid id, int position, AssessmentStore assessments, FixComparer fixes, CancellationToken ct)
    {
        var assessment = await assessments.GetAsync(id, ct);
        return assessment?.Level(position) is { } level
            ? TypedResults.Ok(await fixes.CompareAsync(assessment, level, ct))
            : TypedResults.Problem($"No level {position} in assessment {id}.", statusCode: 404, title: "Level not found");
    }

    private static async Task<Results<Ok<FixesView>, ProblemHttpResult>> FixesAsync(
        Guid id, int position, string? sessions, AssessmentStore assessments, SessionStore store, ChallengeStore challenges, CancellationToken ct)
    {
        var assessment = await assessments.GetAsync(id, ct);
        if (assessment?.Level(position) is not { } level)
        {
            return TypedResults.Problem($"No level {position} in assessment {id}.", statusCode: 404, title: "Level not found");
        }
        var ids = (sessions ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => Guid.TryParse(s, out var g) ? g : Guid.Empty).ToList();
        if (ids.Count is < 1 or > 4 || ids.Contains(Guid.Empty))
        {
            return TypedResults.Problem("Pass 1 to 4 session ids as ?sessions=a,b.", statusCode: 400, title: "Sessions not valid");
        }
        var challenge = (await challenges.GetAsync(level.ChallengeVersionId, ct))!.Challenge;
        var views = new List<CandidateFiles>();
        foreach (var sessionId in ids)
        {
            var session = await store.GetAsync(sessionId, ct);
            if (session is null || session.AssessmentId != id)
            {
                return TypedResults.Problem($"No session {sessionId} in assessment {id}.", statusCode: 404, title: "Session not found");
            }
            var files = (await store.LevelsAsync(sessionId, ct)).FirstOrDefault(l => l.Position == position)?.Files;
            views.Add(new CandidateFiles(sessionId, session.Candidate, SubmittedFiles.Overlay(challenge.StarterFiles, files ?? new Dictionary<string, string>())));
        }
        return TypedResults.Ok(new FixesView(challenge.StarterFiles, views));
    }

    private static async Task<IResult> SnapshotAsync(Guid id, long snapshot, IntegrityStore integrity, CancellationToken ct) =>
        await integrity.SnapshotAsync(id, snapshot, ct) is { } image
            ? TypedResults.File(image.Content, image.ContentType)
            : TypedResults.Problem($"No snapshot {snapshot} in session {id}.", statusCode: 404, title: "Snapshot not found");

    private static async Task<IResult> CsvAsync(Guid id, ReportBuilder reports, AssessmentStore assessments, CancellationToken ct)
    {
        var assessment = await assessments.GetAsync(id, ct);
        var list = await reports.ReportsAsync(id, ct);
        if (assessment is null || list is null)
        {
            return NoAssessment(id);
        }
        var csv = new StringBuilder();
        var header = new List<string> { "session_id", "candidate", "status", "started_at", "finished_at", "score", "max_points", "pass_points", "passed", "levels_passed", "submissions" };
        foreach (var level in assessment.Levels)
        {
            header.AddRange([$"level{level.Position}_state", $"level{level.Position}_points", $"level{level.Position}_minutes", $"level{level.Position}_attempts"]);
        }
        csv.AppendLine(string.Join(',', header));
        foreach (var r in list)
        {
            var s = r.Session;
            var cells = new List<string>
            {
                s.Id.ToString(), Csv(s.Candidate ?? ""), s.Status, Time(s.StartedAt), Time(s.FinishedAt),
                Num(r.Score.Total), assessment.MaxPoints.ToString(CultureInfo.InvariantCulture), assessment.PassPoints.ToString(CultureInfo.InvariantCulture),
                r.Score.Passed ? "true" : "false", s.LevelsPassed.ToString(CultureInfo.InvariantCulture), s.Submissions.ToString(CultureInfo.InvariantCulture),
            };
            foreach (var level in r.Score.Levels)
            {
                cells.AddRange([level.State, Num(level.Earned), level.Minutes is { } m ? Num(m) : "", level.Attempts.ToString(CultureInfo.InvariantCulture)]);
            }
            csv.AppendLine(string.Join(',', cells));
        }
        return TypedResults.Text(csv.ToString(), "text/csv; charset=utf-8");
    }

    private static string Num(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Time(DateTime? t) => t?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? "";

    /// <summary>Quotes a cell, and defuses leading formula characters (CSV injection into spreadsheets).</summary>
    private static string Csv(string value)
    {
        if (value.Length > 0 && "=+-@\t\r".Contains(value[0], StringComparison.Ordinal))
        {
            value = "'" + value;
        }
        return "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>
    /// The one rule for the admin API's fractional numbers (its integers cannot be NaN or infinite, and
    /// reading them refuses 1e999): the name of the first that is not finite, or null.
    /// </summary>
    private static string? NotFinite(IEnumerable<(string Field, double? Value)> numbers) =>
        numbers.FirstOrDefault(n => n.Value is { } v && !double.IsFinite(v)).Field;

    private static ProblemHttpResult NoAssessment(Guid id) => TypedResults.Problem($"No assessment {id}.", statusCode: 404, title: "Assessment not found");
}

/// <summary>Assembles candidate reports from sessions, levels, hints and submissions.</summary>
public sealed class ReportBuilder(AssessmentStore assessments, SessionStore sessions, SubmissionStore submissions, IntegrityStore integrity, FixComparer fixes, TimeProvider clock)
{
    public async Task<List<SessionReport>?> ReportsAsync(Guid assessmentId, CancellationToken ct)
    {
        var assessment = await assessments.GetAsync(assessmentId, ct);
        if (assessment is null)
        {
            return null;
        }
        var similar = await fixes.FlaggedAsync(assessment, ct);
        var list = new List<SessionReport>();
        foreach (var session in await sessions.ListAsync(assessmentId, ct))
        {
            list.Add(await BuildAsync(assessment, session, similar, ct));
        }
        return list;
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
        var flags = Flags(events, running ? now.UtcDateTime : session.FinishedAt ?? session.Deadline);
        foreach (var (level, pair) in similar.Where(s => s.Pair.SessionA == session.Id || s.Pair.SessionB == session.Id))
        {
            var other = pair.SessionA == session.Id ? pair.CandidateB ?? pair.SessionB.ToString() : pair.CandidateA ?? pair.SessionA.ToString();
            flags.Add($"high similarity: level {level} fix {pair.Score:P0} alike with {other}'s");
        }
        var summary = new SessionSummary(session.Id, assessment.Id, assessment.Name, session.Candidate, status, session.CreatedAt, session.StartedAt, session.Deadline, session.FinishedAt,
            running ? levels.Where(l => l.State == "unlocked").Select(l => (int?)l.Position).FirstOrDefault() : null,
            levels.Count(l => l.State == "passed"), card.Total, card.Passed, subs.Count, flags.Count);
        return new SessionReport(summary, card, hints, [.. subs.Select(s => SubmissionApi.StaffView(s))], events, await integrity.SnapshotsAsync(session.Id, ct), flags);
    }

    public const int LargePasteChars = 200;
    public static readonly TimeSpan LongAbsence = TimeSpan.FromMinutes(1);

    /// <summary>
    /// What a proctor should look at: large pastes and long absences from the page, including one
    /// still open at <paramref name="until"/> (now, or when the session ended).
    /// </summary>
    internal static List<string> Flags(IReadOnlyList<IntegrityEvent> events, DateTime? until = null)
    {
        var flags = events.Where(e => e.Kind == "paste" && e.Size >= LargePasteChars)
            .Select(e => $"large paste: {e.Size} characters at {e.At:HH:mm:ss}").ToList();
        DateTime? hidden = null;
        foreach (var e in events)
        {
            if (e.Kind is "tab_hidden" or "window_blur")
            {
                hidden ??= e.At;
            }
            else if (e.Kind is "tab_visible" or "window_focus" && hidden is { } from)
            {
                if (e.At - from >= LongAbsence)
                {
                    flags.Add($"long absence: {(e.At - from).TotalSeconds:F0} s away from the page at {from:HH:mm:ss}");
                }
                hidden = null;
            }
        }
        if (hidden is { } left && until is { } end && end - left >= LongAbsence)
        {
            flags.Add($"long absence: away from the page since {left:HH:mm:ss}, no return recorded");
        }
        return flags;
    }
}
