using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using BugHunt.Core.Assessments;
using BugHunt.Core.Sessions;
using BugHunt.Core.Staff;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BugHunt.Api.Admin;

[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record InviteRequest(string? Candidate, string? Email, double? ExpiresInHours, int? ExtraMinutes);

public sealed record BulkCandidate(string? Name, string? Email);

[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record BulkInviteRequest(List<BulkCandidate?>? Candidates, double? ExpiresInHours, int? ExtraMinutes);

/// <summary>A new invite: <c>PageUrl</c> is the link for the candidate's browser, <c>OpenUrl</c> the API call it makes.</summary>
public sealed record InviteCreated(
    string Token, string Candidate, string? Email, DateTime ExpiresAt, int ExtraMinutes, string OpenUrl, string PageUrl);

public sealed record BulkInvitesCreated(Guid AssessmentId, int Count, IReadOnlyList<InviteCreated> Invites);

/// <summary>Recruiters invite candidates to an assessment, one at a time or from a list.</summary>
public static partial class InviteAdminApi
{
    public const int MaxBulkCandidates = 500;

    private const double DefaultExpiryHours = 168;

    private const double MaxExpiryHours = 24 * 90;

    private const int MaxNameLength = 200;

    private const int MaxEmailLength = 254;

    public static void MapInvites(this RouteGroupBuilder admin)
    {
        admin.MapPost("/assessments/{id:guid}/invites", InviteAsync).RequireStaff(StaffRole.Recruiter)
            .WithName("CreateInvite").WithSummary("A single-use invite with an expiry and optional extra time and e-mail.");
        admin.MapPost("/assessments/{id:guid}/invites/bulk", BulkAsync).RequireStaff(StaffRole.Recruiter)
            .WithName("CreateInvites").WithSummary($"Single-use invites for a list of candidates (name and e-mail, at most {MaxBulkCandidates}): "
                + "all are created, or none and a 400 naming the first bad row.");
    }

    /// <summary>
    /// What an e-mail address must look like here: one @, something before it, and a dotted domain,
    /// with no spaces. The console checks the same pattern before it sends a list.
    /// </summary>
    [GeneratedRegex(@"^[^\s@]+@[^\s@]+\.[^\s@]+$")]
    private static partial Regex EmailPattern();

    private static async Task<Results<Created<InviteCreated>, ProblemHttpResult>> InviteAsync(
        Guid id, InviteRequest request, AssessmentStore assessments, SessionStore sessions, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (await assessments.GetAsync(id, ct) is null)
        {
            return AdminApi.NoAssessment(id);
        }
        var email = string.IsNullOrWhiteSpace(request.Email) ? null : request.Email.Trim();
        var problem = TermsProblem(request.ExpiresInHours, request.ExtraMinutes)
            ?? (request.Candidate is { } candidate && NameProblem(candidate) is { } nameProblem ? $"candidate {nameProblem}." : null)
            ?? (email is not null && EmailProblem(email) is { } reason ? $"email {reason}." : null);
        if (problem is not null)
        {
            return TypedResults.Problem(problem, statusCode: 400, title: "Invite not valid");
        }
        var expires = clock.GetUtcNow().AddHours(request.ExpiresInHours ?? DefaultExpiryHours);
        var extra = request.ExtraMinutes ?? 0;
        var token = (await sessions.CreateInvitesAsync(id, [new Invitee(request.Candidate, email)], expires, extra, ct))[0];
        await http.AuditAsync(AuditActions.InviteCreate, AuditTarget.Assessment(id), new { invites = 1, expires_at = expires, extra_minutes = extra });
        return TypedResults.Created($"/api/invites/{token}/sessions", Created(token, request.Candidate ?? "", email, expires, extra));
    }

    private static async Task<Results<Created<BulkInvitesCreated>, ProblemHttpResult>> BulkAsync(
        Guid id, BulkInviteRequest request, AssessmentStore assessments, SessionStore sessions, TimeProvider clock, HttpContext http,
        CancellationToken ct)
    {
        if (await assessments.GetAsync(id, ct) is null)
        {
            return AdminApi.NoAssessment(id);
        }
        if (TermsProblem(request.ExpiresInHours, request.ExtraMinutes) is { } terms)
        {
            return TypedResults.Problem(terms, statusCode: 400, title: "Invites not valid");
        }
        var (invitees, bad) = Read(request.Candidates);
        if (bad is not null)
        {
            return TypedResults.Problem(bad.Detail, statusCode: 400, title: "Invites not valid", extensions: new Dictionary<string, object?>
            {
                ["row"] = bad.Row,
                ["field"] = bad.Field,
                ["reason"] = bad.Reason,
            });
        }
        var expires = clock.GetUtcNow().AddHours(request.ExpiresInHours ?? DefaultExpiryHours);
        var extra = request.ExtraMinutes ?? 0;
        var tokens = await sessions.CreateInvitesAsync(id, invitees, expires, extra, ct);
        await http.AuditAsync(AuditActions.InviteCreate, AuditTarget.Assessment(id), new { invites = tokens.Count, expires_at = expires, extra_minutes = extra });
        var created = invitees.Zip(tokens, (who, token) => Created(token, who.Candidate!, who.Email, expires, extra)).ToList();
        return TypedResults.Created($"/api/admin/assessments/{id}/sessions", new BulkInvitesCreated(id, created.Count, created));
    }

    private static InviteCreated Created(string token, string candidate, string? email, DateTimeOffset expires, int extra) =>
        new(token, candidate, email, expires.UtcDateTime, extra, $"/api/invites/{token}/sessions", $"/invite/{token}");

    /// <summary>The expiry and extra time every invite takes, or what is wrong with them.</summary>
    private static string? TermsProblem(double? hours, int? extra) =>
        AdminApi.NotFinite([("expires_in_hours", hours)]) is { } field ? $"{field} must be a finite number."
        : hours is <= 0 or > MaxExpiryHours ? $"expires_in_hours must be in (0, {MaxExpiryHours}]."
        : extra is < 0 or > Session.MaxExtraMinutes ? $"extra_minutes must be 0..{Session.MaxExtraMinutes}."
        : null;

    // Control characters are refused: PostgreSQL cannot store NUL in text, and a line break would
    // break the CSV exports and the console's tables.
    private static string? NameProblem(string name) =>
        name.Length > MaxNameLength ? $"must be at most {MaxNameLength} characters"
        : name.Any(char.IsControl) ? "must not contain control characters (line breaks, tabs, NUL)"
        : null;

    private static string? EmailProblem(string email) =>
        email.Length > MaxEmailLength ? $"must be at most {MaxEmailLength} characters"
        : email.Any(char.IsControl) || !EmailPattern().IsMatch(email) ? $"\"{email}\" is not an e-mail address (name@example.com)"
        : null;

    /// <param name="Row">1-based, in the order sent.</param>
    /// <param name="Reason">empty_list, too_many_rows, empty_name, bad_name, bad_email or duplicate_email.</param>
    private sealed record BadRow(int? Row, string? Field, string Reason, string Detail);

    /// <summary>The candidates as they will be invited (trimmed), or the first row that cannot be.</summary>
    private static (List<Invitee> Invitees, BadRow? Bad) Read(List<BulkCandidate?>? candidates)
    {
        if (candidates is not { Count: > 0 })
        {
            return ([], new BadRow(null, "candidates", "empty_list", "candidates must list at least one {\"name\": ..., \"email\": ...}."));
        }
        if (candidates.Count > MaxBulkCandidates)
        {
            return ([], new BadRow(MaxBulkCandidates + 1, null, "too_many_rows",
                $"At most {MaxBulkCandidates} candidates at a time; {candidates.Count} were sent. Split the list."));
        }
        var invitees = new List<Invitee>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < candidates.Count; i++)
        {
            var row = i + 1;
            var name = candidates[i]?.Name?.Trim() ?? "";
            var email = candidates[i]?.Email?.Trim() ?? "";
            if (name.Length == 0)
            {
                return ([], new BadRow(row, "name", "empty_name", $"Row {row}: name is empty."));
            }
            if (NameProblem(name) is { } nameProblem)
            {
                return ([], new BadRow(row, "name", "bad_name", $"Row {row}: name {nameProblem}."));
            }
            if (email.Length == 0 || EmailProblem(email) is not null)
            {
                var why = email.Length == 0 ? "is empty" : EmailProblem(email);
                return ([], new BadRow(row, "email", "bad_email", $"Row {row}: email {why}."));
            }
            if (!seen.TryAdd(email, row))
            {
                return ([], new BadRow(row, "email", "duplicate_email", $"Row {row}: email {email} is already on row {seen[email]}."));
            }
            invitees.Add(new Invitee(name, email));
        }
        return (invitees, null);
    }
}
