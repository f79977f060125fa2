using System.Text.Json.Serialization;
using BugHunt.Core.Assessments;
using BugHunt.Core.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BugHunt.Api.Admin;

[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record InviteRequest(string? Candidate, double? ExpiresInHours, int? ExtraMinutes);

/// <summary>A new invite: <c>PageUrl</c> is the link for the candidate's browser, <c>OpenUrl</c> the API call it makes.</summary>
public sealed record InviteCreated(string Token, string Candidate, DateTime ExpiresAt, int ExtraMinutes, string OpenUrl, string PageUrl);

/// <summary>Recruiters invite candidates to an assessment.</summary>
public static class InviteAdminApi
{
    public static void MapInvites(this RouteGroupBuilder admin) =>
        admin.MapPost("/assessments/{id:guid}/invites", InviteAsync).WithSummary("A single-use invite with an expiry and optional extra time.");

    private static async Task<Results<Created<InviteCreated>, ProblemHttpResult>> InviteAsync(Guid id, InviteRequest request, AssessmentStore assessments, SessionStore sessions, TimeProvider clock, CancellationToken ct)
    {
        if (await assessments.GetAsync(id, ct) is null)
        {
            return AdminApi.NoAssessment(id);
        }
        if (AdminApi.NotFinite([("expires_in_hours", request.ExpiresInHours)]) is { } field)
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
}
