using System.Text.Json.Serialization;
using BugHunt.Core.Sessions;
using BugHunt.Core.Staff;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BugHunt.Api.Admin;

[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record ExtraTimeRequest(int? Minutes, string? Reason);

/// <param name="ExtraMinutes">The session's extra time in all: its invite's and every grant's.</param>
/// <param name="ServerTime">The server's clock when the deadline moved; pages count down by it.</param>
public sealed record ExtraTimeGranted(
    Guid SessionId, int Minutes, int ExtraMinutes, DateTime Deadline, DateTime ServerTime, IReadOnlyList<TimeGrant> Grants);

/// <summary>Staff give a running session more time, for example after an outage on the candidate's side.</summary>
public static class ExtraTimeAdminApi
{
    public const int MaxMinutesPerGrant = 240;

    public const int MaxReasonLength = 500;

    public static void MapExtraTime(this RouteGroupBuilder admin) =>
        admin.MapPost("/sessions/{id:guid}/extra-time", GrantAsync).RequireStaff(StaffRole.Recruiter, StaffRole.Proctor)
            .WithName("GrantExtraTime").ProducesProblem(409).WithSummary($"Move a running session's deadline by 1..{MaxMinutesPerGrant} minutes, with a reason "
                + $"(at most {Session.MaxExtraMinutes} extra minutes in all).");

    private static async Task<Results<Ok<ExtraTimeGranted>, ProblemHttpResult>> GrantAsync(
        Guid id, ExtraTimeRequest request, SessionStore sessions, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        static ProblemHttpResult Bad(string detail) => TypedResults.Problem(detail, statusCode: 400, title: "Extra time not valid");
        if (request.Minutes is not (>= 1 and <= MaxMinutesPerGrant))
        {
            return Bad($"minutes must be a whole number from 1 to {MaxMinutesPerGrant}.");
        }
        var reason = request.Reason?.Trim() ?? "";
        if (reason.Length is 0 or > MaxReasonLength)
        {
            return Bad($"reason is required (at most {MaxReasonLength} characters): it is kept in the candidate's report.");
        }
        var minutes = request.Minutes.Value;
        var (session, problem) = await sessions.GrantExtraTimeAsync(id, minutes, reason, ct);
        if (problem == ExtraTimeProblem.None)
        {
            await http.AuditAsync(AuditActions.SessionExtraTime, AuditTarget.Session(id), new { minutes, reason, deadline = session!.Deadline });
        }
        static ProblemHttpResult Conflict(string detail) => TypedResults.Problem(detail, statusCode: 409, title: "Session not running");
        return problem switch
        {
            ExtraTimeProblem.None => TypedResults.Ok(new ExtraTimeGranted(
                id, minutes, session!.ExtraMinutes, session.Deadline!.Value, clock.GetUtcNow().UtcDateTime, await sessions.TimeGrantsAsync(id, ct))),
            ExtraTimeProblem.NotFound => TypedResults.Problem($"No session {id}.", statusCode: 404, title: "Session not found"),
            ExtraTimeProblem.NotStarted => Conflict(
                "This session has not started, so it has no deadline to move yet. Its clock starts when the candidate starts it."),
            ExtraTimeProblem.Finished => Conflict("The candidate has finished this session; extra time cannot reopen it."),
            ExtraTimeProblem.TimeOver => Conflict("The time of this session is over; extra time cannot reopen it."),
            ExtraTimeProblem.OverLimit => Bad($"This session has {session!.ExtraMinutes} minutes of extra time already and may have at most "
                + $"{Session.MaxExtraMinutes} in all: give at most {Session.MaxExtraMinutes - session.ExtraMinutes} more."),
            _ => throw new InvalidOperationException($"unhandled {problem}"),
        };
    }
}
