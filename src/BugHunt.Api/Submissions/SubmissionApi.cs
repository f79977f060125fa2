using BugHunt.Api.Hosting;
using BugHunt.Api.Sessions;
using BugHunt.Core.Checks;
using BugHunt.Core.Grading;
using BugHunt.Core.Packs;
using BugHunt.Core.Sandbox;
using BugHunt.Core.Submissions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BugHunt.Api.Submissions;

/// <summary>A test result as a candidate sees it: hidden tests show name, category and pass/fail only.</summary>
public sealed record TestResultView(string Id, string Visibility, string Category, bool Passed, string? Title, string? Message, CheckDiagnostics? Diagnostics);

public sealed record SubmissionView(
    Guid Id,
    int? Level,
    string Kind,
    string Status,
    int? QueuePosition,
    DateTime CreatedAt,
    DateTime? FinishedAt,
    string? Verdict,
    double? Score,
    string? Message,
    IReadOnlyList<TestResultView> Tests,
    IReadOnlyList<SourceDiagnostic> Diagnostics,
    string? Console,
    bool ConsoleTruncated,
    TimingsView? Timings)
{
    /// <summary>In a per-bug challenge: the titles of the planted bugs this submission fixed, and how many there are.</summary>
    public BugsFixed? BugsFixed { get; init; }
}

/// <summary>
/// The whole run's wall time, rounded to 0.1 s: finer timings (compile, runner, per probe) could
/// measure how long a hidden test took, and so something of its inputs.
/// </summary>
public sealed record TimingsView(double WallMs);

public sealed record StaffSubmissionView(
    Guid Id,
    int? Level,
    string Kind,
    string Status,
    DateTime CreatedAt,
    DateTime? FinishedAt,
    string? Verdict,
    double? Score,
    string? Message,
    string? Detail,
    IReadOnlyList<TestResultView> Tests,
    IReadOnlyList<SourceDiagnostic> Diagnostics,
    string? Console,
    bool ConsoleTruncated,
    Timings? Timings,
    ProbeSeeds? Seeds,
    BugsFixed? BugsFixed);

public static class SubmissionApi
{
    public static void MapSubmissions(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/session/submissions").AddEndpointFilter<SessionAuth>().WithTags("Candidate");
        group.MapGet("/", ListAsync).WithName("ListSubmissions").WithSummary("Your runs and submissions, oldest first; paged: ?limit= (1..200, default 50) and ?cursor= from next_cursor.");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetSubmission").WithSummary("A run or submission: status, queue position, verdict and per-test results.");
        group.MapPost("/{id:guid}/stream-ticket", TicketAsync).WithName("CreateSubmissionStreamTicket").ProducesProblem(409)
            .WithSummary($"A ticket for a browser's EventSource, which cannot send the session token: pass it as ?ticket= to this submission's events, for {StreamTickets.Lifetime.TotalMinutes:0} minutes.");
        // Its own group: the stream also takes a ticket instead of the session token.
        app.MapGroup("/api/session/submissions").AddEndpointFilter<StreamAuth>().WithMetadata(new StreamTicketAccepted()).WithTags("Candidate")
            .MapGet("/{id:guid}/events", EventsAsync).WithName("StreamSubmission")
            .Produces<string>(StatusCodes.Status200OK, SubmissionEventStream.ContentType)
            .WithSummary("Server-Sent Events: a submission event with an id each time its state moves, then done, then the end. Resume with Last-Event-ID; after the end it answers 204. Session token or ?ticket=.");
    }

    private static async Task<Results<Ok<StreamTicketView>, ProblemHttpResult>> TicketAsync(
        Guid id, HttpContext http, SubmissionStore submissions, StreamTickets tickets, CancellationToken ct)
    {
        var session = http.Session();
        if (await submissions.GetAsync(id, session.Id, ct) is null)
        {
            return NotFound(id);
        }
        if (session.FinishedAt is not null)
        {
            return TypedResults.Problem("The session is finished: follow the submission with GET instead.", statusCode: StatusCodes.Status409Conflict, title: "Session finished");
        }
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(tickets.Issue(session.Id, id));
    }

    private static readonly PagedList Listing = new("session-submissions", KeyPart.Time, KeyPart.Uuid);

    private static Task<Results<Ok<PageView<SubmissionView>>, ProblemHttpResult>> ListAsync(HttpContext http, SubmissionStore submissions, CancellationToken ct) =>
        Paging.ListAsync(http.Request, Listing, page => submissions.ListForSessionAsync(http.Session().Id, page, ct), s => View(s, null));

    private static async Task<Results<Ok<SubmissionView>, ProblemHttpResult>> GetAsync(Guid id, HttpContext http, SubmissionStore submissions, CancellationToken ct)
    {
        var submission = await submissions.GetAsync(id, http.Session().Id, ct);
        if (submission is null)
        {
            return NotFound(id);
        }
        var position = submission.Status == SubmissionStatus.Queued ? await submissions.QueuePositionAsync(id, ct) : (int?)null;
        return TypedResults.Ok(View(submission, position));
    }

    /// <summary>Streams the submission as standard Server-Sent Events until its verdict is in; the client can also poll GetAsync.</summary>
    private static async Task<Results<SubmissionEventStream, NoContent, ProblemHttpResult>> EventsAsync(
        Guid id, HttpContext http, SubmissionStore submissions, SubmissionSignals signals, SubmissionStreamOptions options, TimeProvider clock, CancellationToken ct)
    {
        var sessionId = http.Session().Id;
        var submission = await submissions.GetAsync(id, sessionId, ct);
        if (submission is null)
        {
            return NotFound(id);
        }
        var seen = SubmissionEventStream.LastEventId(http.Request);
        // The end was seen: 204 is what makes an EventSource stop reconnecting.
        if (submission.Status == SubmissionStatus.Done && seen >= SubmissionEventStream.StateId(submission, null))
        {
            return TypedResults.NoContent();
        }
        var until = (http.Items[typeof(StreamGrant)] as StreamGrant)?.ExpiresAt;
        return new SubmissionEventStream(id, sessionId, seen, until, submissions, signals, options, clock);
    }

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem($"No submission {id} in this session.", statusCode: StatusCodes.Status404NotFound, title: "Submission not found");

    internal static SubmissionView View(Submission submission, int? queuePosition)
    {
        var v = submission.Verdict;
        return new SubmissionView(
            submission.Id,
            submission.LevelPosition,
            submission.Kind,
            submission.Status.ToString().ToLowerInvariant(),
            queuePosition,
            submission.CreatedAt,
            submission.FinishedAt,
            v is null ? null : VerdictKinds.Name(v.Kind),
            v?.Score,
            v?.Message,
            v is null ? [] : [.. v.Tests.Select(TestView)],
            v?.Diagnostics ?? [],
            v?.Console,
            v?.ConsoleTruncated ?? false,
            v is null ? null : new TimingsView(Math.Round(v.Timings.WallMs / 100, MidpointRounding.AwayFromZero) * 100))
        {
            BugsFixed = v?.BugsFixed,
        };
    }

    /// <summary>
    /// A submission as staff see it (proctor report): hidden tests with their messages, the full
    /// detail of a crash or violation, every probe's console, exact timings and the seeds to re-run it.
    /// </summary>
    internal static StaffSubmissionView StaffView(Submission submission)
    {
        var v = submission.Verdict;
        return new StaffSubmissionView(
            submission.Id,
            submission.LevelPosition,
            submission.Kind,
            submission.Status.ToString().ToLowerInvariant(),
            submission.CreatedAt,
            submission.FinishedAt,
            v is null ? null : VerdictKinds.Name(v.Kind),
            v?.Score,
            v?.Message,
            v?.Detail,
            v is null ? [] : [.. v.Tests.Select(t => new TestResultView(t.Id, t.Visibility == Visibility.Public ? "public" : "hidden", t.Category, t.Passed, t.Title, t.Message, t.Diagnostics))],
            v?.Diagnostics ?? [],
            v?.StaffConsole ?? v?.Console,
            v?.ConsoleTruncated ?? false,
            v?.Timings,
            v?.Seeds,
            v?.BugsFixed);
    }

    private static TestResultView TestView(TestResult t) => t.Visibility == Visibility.Public
        ? new TestResultView(t.Id, "public", t.Category, t.Passed, t.Title, t.Message, t.Diagnostics)
        : new TestResultView(t.Id, "hidden", t.Category, t.Passed, null, null, null);
}
