using BugHunt.Api.Sessions;
using BugHunt.Core.Assessments;
using BugHunt.Core.Packs;
using BugHunt.Core.Sessions;
using BugHunt.Core.Submissions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace BugHunt.Api.Levels;

public sealed record FilesRequest(Dictionary<string, string>? Files);

public sealed record PublicTestView(string Id, string Title, string Category);

public sealed record HintView(string Id, int CostPercent, double CostPoints, bool Revealed, string? Text);

/// <summary>An unlocked level as the candidate sees it: never the reference, probes or hidden tests.</summary>
public sealed record LevelView(
    int Position,
    string Pack,
    string Challenge,
    string Title,
    string State,
    string Statement,
    IReadOnlyList<string> Editable,
    IReadOnlyDictionary<string, string> Files,
    IReadOnlyDictionary<string, string> StarterFiles,
    IReadOnlyList<PublicTestView> PublicTests,
    int HiddenTests,
    IReadOnlyList<HintView> Hints,
    int Points,
    double PassThreshold,
    int ExpectedSolveMinutes,
    SandboxLimits Limits);

public sealed record SubmissionAccepted(Guid Id, string Kind, string Status, string Url, string Events);

public sealed record HintRevealed(string Id, string Text, double CostPoints);

public static class LevelApi
{
    public static void MapLevels(this IEndpointRouteBuilder app)
    {
        var levels = app.MapGroup("/api/session/levels/{position:int}").AddEndpointFilter<SessionAuth>().WithTags("Candidate");
        levels.MapGet("/", GetAsync).WithName("GetLevel").ProducesProblem(409).WithSummary("An unlocked level: statement, your latest code, public tests and hints.");
        levels.MapPut("/files", SaveAsync).WithName("SaveLevelFiles").ProducesProblem(409).WithSummary("Save your code for this level (it is restored on your next visit).");
        levels.MapPost("/runs", (int position, FilesRequest request, [FromHeader(Name = "Idempotency-Key")] string? key, HttpContext http, LevelContext levels, SubmissionStore store, CancellationToken ct) =>
            EnqueueAsync(position, request, "run", key, http, levels, store, ct)).WithName("StartRun").ProducesProblem(409).ProducesProblem(422).ProducesProblem(429).WithSummary("Run the public tests (not scored). Send an Idempotency-Key to make retries safe.");
        levels.MapPost("/submissions", (int position, FilesRequest request, [FromHeader(Name = "Idempotency-Key")] string? key, HttpContext http, LevelContext levels, SubmissionStore store, CancellationToken ct) =>
            EnqueueAsync(position, request, "submit", key, http, levels, store, ct)).WithName("SubmitFix").ProducesProblem(409).ProducesProblem(422).ProducesProblem(429).WithSummary("Submit for grading by all tests (scored). Send an Idempotency-Key to make retries safe.");
        levels.MapPost("/hints/{hintId}", RevealHintAsync).WithName("RevealHint").ProducesProblem(409).WithSummary("Reveal a hint; its cost (listed with the level) is deducted from the level's points.");
    }

    private static async Task<Results<Ok<LevelView>, ProblemHttpResult>> GetAsync(int position, HttpContext http, LevelContext levels, SessionStore sessions, CancellationToken ct)
    {
        var (level, problem) = await levels.OpenAsync(http.Session(), position, ct);
        if (level is null)
        {
            return problem!;
        }
        var c = level.Challenge;
        var revealed = (await sessions.HintsAsync(level.Session.Id, ct)).Where(h => h.Position == position).ToDictionary(h => h.HintId);
        var scale = level.Scale;
        return TypedResults.Ok(new LevelView(
            position, c.PackId, c.Id, c.Title, level.State.State, c.Statement, c.Editable,
            SubmittedFiles.Overlay(c.StarterFiles, level.State.Files ?? new Dictionary<string, string>()),
            c.StarterFiles,
            [.. c.PublicTests.Select(t => new PublicTestView(t.Id, t.Title, t.Category))],
            c.Tests.Count(t => t.Visibility == Visibility.Hidden),
            level.Assessment.HintsAllowed
                ? [.. c.Hints.Select(h => new HintView(h.Id, h.CostPercent, Math.Round(h.CostPercent / 100.0 * level.Level.Points * scale, 2), revealed.ContainsKey(h.Id), revealed.ContainsKey(h.Id) ? h.Text : null))]
                : [],
            (int)Math.Round(level.Level.Points * scale), level.Level.PassThreshold, c.ExpectedSolveMinutes, c.Limits));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SaveAsync(int position, FilesRequest request, HttpContext http, LevelContext levels, SessionStore sessions, CancellationToken ct)
    {
        var (level, problem) = await levels.OpenAsync(http.Session(), position, ct);
        if (level is null)
        {
            return problem!;
        }
        if (LevelContext.ValidateFiles(request, level.Challenge) is { } invalid)
        {
            return invalid;
        }
        await sessions.SaveFilesAsync(level.Session.Id, position, request.Files!, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Accepted<SubmissionAccepted>, ProblemHttpResult>> EnqueueAsync(
        int position, FilesRequest request, string kind, string? idempotencyKey, HttpContext http, LevelContext levels, SubmissionStore store, CancellationToken ct)
    {
        var (level, problem) = await levels.OpenAsync(http.Session(), position, ct);
        if (level is null)
        {
            return problem!;
        }
        if (LevelContext.ValidateFiles(request, level.Challenge) is { } invalid)
        {
            return invalid;
        }
        if (idempotencyKey is { Length: > 100 })
        {
            return TypedResults.Problem("The Idempotency-Key header must be at most 100 characters.", statusCode: 400, title: "Submission not accepted");
        }
        var result = await store.EnqueueAsync(new NewSubmission(level.Session.Id, position, level.Level.ChallengeVersionId, kind, request.Files!, idempotencyKey), levels.Rules, ct);
        switch (result.Outcome)
        {
            case EnqueueOutcome.TimeOver:
                return LevelContext.TimeOver();
            case EnqueueOutcome.Busy or EnqueueOutcome.RateLimited:
                var seconds = (int)Math.Ceiling(result.RetryAfter!.Value.TotalSeconds);
                http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return TypedResults.Problem(
                    result.Outcome == EnqueueOutcome.Busy
                        ? $"Your previous run or submission is still being graded. Wait for its result, then try again (in about {seconds} s)."
                        : $"At most {levels.Rules.MaxPerMinute} runs and submissions per minute. Try again in {seconds} s.",
                    statusCode: StatusCodes.Status429TooManyRequests, title: "Too many submissions");
            case EnqueueOutcome.KeyReused:
                return TypedResults.Problem(
                    $"Idempotency-Key '{idempotencyKey}' was already used for a different request: {result.Conflict}. Send a new key with each new run or submission; reuse a key only to retry the same request.",
                    statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency-Key reused");
        }
        var id = result.Id!.Value;
        var url = $"/api/session/submissions/{id}";
        return TypedResults.Accepted(url, new SubmissionAccepted(id, kind, "queued", url, url + "/events"));
    }

    private static async Task<Results<Ok<HintRevealed>, ProblemHttpResult>> RevealHintAsync(int position, string hintId, HttpContext http, LevelContext levels, SessionStore sessions, CancellationToken ct)
    {
        var (level, problem) = await levels.OpenAsync(http.Session(), position, ct);
        if (level is null)
        {
            return problem!;
        }
        if (!level.Assessment.HintsAllowed)
        {
            return TypedResults.Problem("Hints are turned off for this assessment.", statusCode: 403, title: "Hints not allowed");
        }
        var hint = level.Challenge.Hints.FirstOrDefault(h => h.Id == hintId);
        if (hint is null)
        {
            return TypedResults.Problem($"Level {position} has no hint '{hintId}'.", statusCode: 404, title: "Hint not found");
        }
        var reveal = await sessions.RevealHintAsync(level.Session.Id, position, hint.Id, hint.CostPercent / 100.0 * level.Level.Points, ct);
        return TypedResults.Ok(new HintRevealed(hint.Id, hint.Text, Math.Round(reveal.CostPoints * level.Scale, 2)));
    }
}
