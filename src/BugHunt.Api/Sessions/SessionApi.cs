using BugHunt.Core.Assessments;
using BugHunt.Core.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace BugHunt.Api.Sessions;

public sealed record Consent(bool Webcam, bool Screen);

public sealed record StartRequest(Consent? Consent);

public sealed record OpenedSessionResponse(Guid SessionId, string Token, SessionView Session);

public sealed record LevelStateView(int Position, string Title, string State, double BestScore, int Attempts);

/// <summary>The candidate's view of their session: rules, clock and level map.</summary>
public sealed record SessionView(
    Guid Id,
    string Assessment,
    string Status,
    int TimeLimitMinutes,
    int ExtraMinutes,
    DateTime? StartedAt,
    DateTime? Deadline,
    double? SecondsLeft,
    DateTime ServerTime,
    string AiPolicy,
    bool HintsAllowed,
    ProctoringRequirements Proctoring,
    int? CurrentLevel,
    IReadOnlyList<LevelStateView> Levels,
    double Score,
    int MaxPoints);

public static class SessionApi
{
    public static void MapSessions(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/invites/{token}/sessions", OpenAsync).WithTags("Candidate")
            .WithName("OpenInvite").ProducesProblem(410).WithSummary("Open an invite: creates the candidate's session (the clock starts with /api/session/start).");
        var session = app.MapGroup("/api/session").AddEndpointFilter<SessionAuth>().WithTags("Candidate");
        session.MapGet("/", GetAsync).WithName("GetSession").WithSummary("Rules, clock (server time and deadline) and the level map.");
        session.MapPost("/start", StartAsync).WithName("StartSession").ProducesProblem(409).WithSummary("Start the clock; calling it again changes nothing.");
        session.MapPost("/finish", FinishAsync).WithName("FinishSession").ProducesProblem(409).WithSummary("Finish early: nothing can be run or submitted afterwards.");
    }

    private static async Task<Results<Created<OpenedSessionResponse>, ProblemHttpResult>> OpenAsync(
        string token, SessionStore sessions, AssessmentStore assessments, TimeProvider clock, CancellationToken ct)
    {
        var (opened, problem) = await sessions.OpenAsync(token, ct);
        if (opened is null)
        {
            var detail = problem switch
            {
                OpenProblem.Used => "This invite was already used. Each invite opens one session; ask the recruiter for a new link.",
                OpenProblem.Expired => "This invite has expired. Ask the recruiter for a new link.",
                _ => "This invite does not exist. Check the link, or ask the recruiter for a new one.",
            };
            return TypedResults.Problem(detail, statusCode: problem == OpenProblem.NotFound ? 404 : 410, title: "Invite not usable");
        }
        var view = await ViewAsync((await sessions.GetAsync(opened.SessionId, ct))!, sessions, assessments, clock, ct);
        return TypedResults.Created("/api/session", new OpenedSessionResponse(opened.SessionId, opened.Token, view));
    }

    private static async Task<Ok<SessionView>> GetAsync(HttpContext http, SessionStore sessions, AssessmentStore assessments, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok(await ViewAsync(http.Session(), sessions, assessments, clock, ct));

    private static async Task<Results<Ok<SessionView>, ProblemHttpResult>> StartAsync(
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] StartRequest? request, HttpContext http, SessionStore sessions, AssessmentStore assessments, TimeProvider clock, CancellationToken ct)
    {
        var session = http.Session();
        if (session.FinishedAt is not null)
        {
            return TypedResults.Problem("This session is finished.", statusCode: 409, title: "Session finished");
        }
        if (session.StartedAt is null)
        {
            // A proctored assessment cannot start without consent to what it records.
            var required = (await assessments.GetAsync(session.AssessmentId, ct))!.Proctoring;
            var consent = request?.Consent;
            var missing = new List<string>();
            if (required.Webcam && consent?.Webcam != true)
            {
                missing.Add("webcam snapshots");
            }
            if (required.Screen && consent?.Screen != true)
            {
                missing.Add("screen snapshots");
            }
            if (missing.Count > 0)
            {
                return TypedResults.Problem($"This assessment records {string.Join(" and ", missing)}. Start it with {{\"consent\": {{\"webcam\": true, \"screen\": true}}}} once you agree.",
                    statusCode: 409, title: "Consent required");
            }
            await sessions.SetConsentAsync(session.Id, consent ?? new Consent(false, false), ct);
        }
        return TypedResults.Ok(await ViewAsync(await sessions.StartAsync(session.Id, ct), sessions, assessments, clock, ct));
    }

    private static async Task<Results<Ok<SessionView>, ProblemHttpResult>> FinishAsync(HttpContext http, SessionStore sessions, AssessmentStore assessments, TimeProvider clock, CancellationToken ct)
    {
        var session = http.Session();
        if (session.StartedAt is null)
        {
            return TypedResults.Problem("The assessment has not started; there is nothing to finish.", statusCode: 409, title: "Not started");
        }
        return TypedResults.Ok(await ViewAsync(await sessions.FinishAsync(session.Id, ct), sessions, assessments, clock, ct));
    }

    internal static async Task<SessionView> ViewAsync(Session session, SessionStore sessions, AssessmentStore assessments, TimeProvider clock, CancellationToken ct)
    {
        var assessment = (await assessments.GetAsync(session.AssessmentId, ct))!;
        var levels = await sessions.LevelsAsync(session.Id, ct);
        var hints = await sessions.HintsAsync(session.Id, ct);
        var now = clock.GetUtcNow();
        var card = Scoring.Compute(assessment, session, levels, hints, now);
        var current = levels.Where(l => l.State == "unlocked").Select(l => (int?)l.Position).FirstOrDefault();
        return new SessionView(
            session.Id, assessment.Name, session.StatusAt(now), assessment.TimeLimitMinutes, session.ExtraMinutes,
            session.StartedAt, session.Deadline,
            session.Deadline is { } d && session.IsOpenAt(now) ? Math.Max(0, (d - now.UtcDateTime).TotalSeconds) : null,
            now.UtcDateTime, assessment.AiPolicy, assessment.HintsAllowed, assessment.Proctoring, current,
            [.. assessment.Levels.Select(l =>
            {
                var state = levels.FirstOrDefault(x => x.Position == l.Position);
                return new LevelStateView(l.Position, l.Title, state?.State ?? "locked", state?.BestScore ?? 0, state?.Attempts ?? 0);
            })],
            card.Total, assessment.MaxPoints);
    }
}
