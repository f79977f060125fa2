using BugHunt.Api.Admin;
using BugHunt.Api.Hosting;
using BugHunt.Core.Authoring;
using BugHunt.Core.Staff;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BugHunt.Api.Authoring;

public sealed record RejudgeRequest(Guid? FromVersion, Guid? ToVersion);

public sealed record RejudgeStarted(Guid Id, int Submissions, string StatusUrl);

/// <summary>
/// After publishing a new version, an author rejudges the submissions of an older one against it; a
/// recruiter reads the diff and applies or discards it.
/// </summary>
public static class RejudgeApi
{
    public const string StartAction = "rejudge.start";
    public const string ApplyAction = "rejudge.apply";
    public const string DiscardAction = "rejudge.discard";

    public static void MapRejudges(this RouteGroupBuilder admin)
    {
        admin.MapPost("/rejudges", StartAsync).RequireStaff(StaffRole.Author)
            .WithName("StartRejudge").ProducesProblem(409).WithSummary("Grade every scored submission of from_version again, against to_version (another version of the same challenge). Nothing changes until a recruiter applies it.");
        admin.MapGet("/rejudges", ListAsync)
            .RequireStaff(StaffRole.Author, StaffRole.Recruiter).WithName("ListRejudges").WithSummary("Rejudges, newest first; paged (?limit=, ?cursor=).");
        admin.MapGet("/rejudges/{id:guid}", GetAsync).RequireStaff(StaffRole.Author, StaffRole.Recruiter)
            .WithName("GetRejudge").WithSummary("A rejudge: how many submissions are graded again, and the diff: each submission whose verdict or score would change.");
        admin.MapPost("/rejudges/{id:guid}/apply", ApplyAsync).RequireStaff(StaffRole.Recruiter)
            .WithName("ApplyRejudge").ProducesProblem(409).WithSummary("Apply a fully graded rejudge: the changed submissions take their new verdicts (the old ones stay in the candidate's history) and their levels are scored again.");
        admin.MapPost("/rejudges/{id:guid}/discard", DiscardAsync).RequireStaff(StaffRole.Recruiter).WithName("DiscardRejudge").ProducesProblem(409).WithSummary("Discard a rejudge: nothing changes.");
    }

    private static readonly PagedList Listing = new("rejudges", KeyPart.Time, KeyPart.Uuid);

    private static Task<Results<Ok<PageView<Rejudge>>, ProblemHttpResult>> ListAsync(HttpContext http, RejudgeStore rejudges, CancellationToken ct) =>
        Paging.ListAsync(http.Request, Listing, page => rejudges.ListAsync(page, ct));

    private static async Task<Results<Accepted<RejudgeStarted>, ProblemHttpResult>> StartAsync(RejudgeRequest request, HttpContext http, PackCatalog catalog, RejudgeStore rejudges, CancellationToken ct)
    {
        static ProblemHttpResult Bad(string detail) => TypedResults.Problem(detail, statusCode: 400, title: "Rejudge not valid");
        if (request.FromVersion is not { } from || request.ToVersion is not { } to)
        {
            return Bad("from_version and to_version are required: version ids from GET /api/admin/packs/{pack}.");
        }
        if (from == to)
        {
            return Bad("from_version and to_version are the same version.");
        }
        var fromOwner = await catalog.OwnerAsync(from, ct);
        var toOwner = await catalog.OwnerAsync(to, ct);
        if (fromOwner is null || toOwner is null)
        {
            return Bad($"No challenge version {(fromOwner is null ? from : to)}.");
        }
        if (fromOwner != toOwner)
        {
            return Bad($"from_version is of {fromOwner.Value.PackId}/{fromOwner.Value.ChallengeId} and to_version of {toOwner.Value.PackId}/{toOwner.Value.ChallengeId}: a rejudge stays within one challenge.");
        }
        if (await rejudges.StartAsync(from, to, http.Staff().Name, ct) is not { } started)
        {
            return TypedResults.Problem($"Version {from} has no graded submissions to rejudge.", statusCode: 409, title: "Nothing to rejudge");
        }
        await http.AuditAsync(StartAction, Target(started.Id), new { from, to, submissions = started.Count });
        var status = $"{StaffAuth.Prefix}/rejudges/{started.Id}";
        return TypedResults.Accepted(status, new RejudgeStarted(started.Id, started.Count, status));
    }

    private static async Task<Results<Ok<Rejudge>, ProblemHttpResult>> GetAsync(Guid id, RejudgeStore rejudges, CancellationToken ct) =>
        await rejudges.GetAsync(id, ct) is { } r ? TypedResults.Ok(r) : NotFound(id);

    private static async Task<Results<Ok<Rejudge>, ProblemHttpResult>> ApplyAsync(Guid id, HttpContext http, RejudgeStore rejudges, CancellationToken ct)
    {
        var (outcome, rejudge) = await rejudges.ApplyAsync(id, http.Staff().Name, ct);
        if (Refused(id, outcome, rejudge) is { } refused)
        {
            return refused;
        }
        await http.AuditAsync(ApplyAction, Target(id), new { changed = rejudge!.Changes.Count, unchanged = rejudge.Unchanged, could_not_grade = rejudge.CouldNotGrade });
        return TypedResults.Ok(rejudge);
    }

    private static async Task<Results<Ok<Rejudge>, ProblemHttpResult>> DiscardAsync(Guid id, HttpContext http, RejudgeStore rejudges, CancellationToken ct)
    {
        var (outcome, rejudge) = await rejudges.DiscardAsync(id, http.Staff().Name, ct);
        if (Refused(id, outcome, rejudge) is { } refused)
        {
            return refused;
        }
        await http.AuditAsync(DiscardAction, Target(id));
        return TypedResults.Ok(rejudge!);
    }

    private static ProblemHttpResult? Refused(Guid id, RejudgeOutcome outcome, Rejudge? rejudge) => outcome switch
    {
        RejudgeOutcome.NotFound => NotFound(id),
        RejudgeOutcome.NotPending => TypedResults.Problem($"Rejudge {id} was already {rejudge!.State.ToString().ToLowerInvariant()} by {rejudge.DecidedBy} at {rejudge.DecidedAt:u}.", statusCode: 409, title: "Already decided"),
        RejudgeOutcome.NotGraded => TypedResults.Problem($"Rejudge {id} has graded {rejudge!.Graded} of {rejudge.Total} submissions; apply it once all are graded.", statusCode: 409, title: "Still grading"),
        _ => null,
    };

    private static string Target(Guid id) => $"rejudge:{id}";

    private static ProblemHttpResult NotFound(Guid id) => TypedResults.Problem($"No rejudge {id}.", statusCode: 404, title: "Rejudge not found");
}
