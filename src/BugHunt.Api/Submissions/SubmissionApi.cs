using BugHunt.Api.Sessions;
using BugHunt.Core.Checks;
using BugHunt.Core.Grading;
using BugHunt.Core.Packs;
using BugHunt.Core.Sandbox;
using BugHunt.Core.Submissions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BugHunt.Api.Submissions;

public sealed record SubmitRequest(Dictionary<string, string>? Files);

public sealed record SubmissionAccepted(Guid Id, string Status, string Url);

/// <summary>A test result as a candidate sees it: hidden tests show name, category and pass/fail only.</summary>
public sealed record TestResultView(string Id, string Visibility, string Category, bool Passed, string? Title, string? Message, CheckDiagnostics? Diagnostics);

public sealed record SubmissionView(
    Guid Id,
    string Kind,
    string Status,
    DateTime CreatedAt,
    DateTime? FinishedAt,
    string? Verdict,
    double? Score,
    string? Message,
    IReadOnlyList<TestResultView> Tests,
    IReadOnlyList<SourceDiagnostic> Diagnostics,
    string? Console,
    bool ConsoleTruncated,
    TimingsView? Timings);

/// <summary>Timings without per-probe detail: probe names of hidden tests stay private.</summary>
public sealed record TimingsView(double CompileMs, double RunnerMs, double WallMs);

public static class SubmissionApi
{
    public static void MapSubmissions(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/session/submissions").AddEndpointFilter<SessionAuth>();
        group.MapPost("/", SubmitAsync);
        group.MapGet("/{id:guid}", GetAsync);
    }

    private static async Task<Results<Accepted<SubmissionAccepted>, ProblemHttpResult>> SubmitAsync(
        SubmitRequest request, HttpContext http, ChallengeStore challenges, SubmissionStore submissions, CancellationToken ct)
    {
        var session = http.Session();
        var version = await challenges.GetAsync(session.ChallengeVersionId, ct)
            ?? throw new InvalidOperationException($"session {session.Id} points at a missing challenge version");
        var problem = Validate(request, version.Challenge);
        if (problem is not null)
        {
            return TypedResults.Problem(problem, statusCode: StatusCodes.Status400BadRequest, title: "Submission not accepted");
        }
        var id = await submissions.EnqueueAsync(session.Id, version.Id, "submit", request.Files!, ct);
        var url = $"/api/session/submissions/{id}";
        return TypedResults.Accepted(url, new SubmissionAccepted(id, "queued", url));
    }

    private static string? Validate(SubmitRequest request, Challenge challenge)
    {
        if (request.Files is not { Count: > 0 } files)
        {
            return $"Send the files you changed as {{\"files\": {{\"{challenge.Editable[0]}\": \"...source...\"}}}}.";
        }
        foreach (var (name, text) in files)
        {
            if (!challenge.Editable.Contains(name))
            {
                return $"'{name}' is not a file of this challenge. Editable files: {string.Join(", ", challenge.Editable)}.";
            }
            if (text is null)
            {
                return $"'{name}' has no content.";
            }
            if (text.Length > SubmittedFiles.MaxFileChars)
            {
                return $"'{name}' has {text.Length} characters; at most {SubmittedFiles.MaxFileChars} are accepted per file.";
            }
        }
        return null;
    }

    private static async Task<Results<Ok<SubmissionView>, ProblemHttpResult>> GetAsync(Guid id, HttpContext http, SubmissionStore submissions, CancellationToken ct)
    {
        var submission = await submissions.GetAsync(id, http.Session().Id, ct);
        if (submission is null)
        {
            return TypedResults.Problem($"No submission {id} in this session.", statusCode: StatusCodes.Status404NotFound, title: "Submission not found");
        }
        var v = submission.Verdict;
        return TypedResults.Ok(new SubmissionView(
            submission.Id,
            submission.Kind,
            submission.Status.ToString().ToLowerInvariant(),
            submission.CreatedAt,
            submission.FinishedAt,
            v?.Kind.ToString(),
            v?.Score,
            v?.Message,
            v is null ? [] : [.. v.Tests.Select(View)],
            v?.Diagnostics ?? [],
            v?.Console,
            v?.ConsoleTruncated ?? false,
            v is null ? null : new TimingsView(v.Timings.CompileMs, v.Timings.RunnerMs, v.Timings.WallMs)));
    }

    private static TestResultView View(TestResult t) => t.Visibility == Visibility.Public
        ? new TestResultView(t.Id, "public", t.Category, t.Passed, t.Title, t.Message, t.Diagnostics)
        : new TestResultView(t.Id, "hidden", t.Category, t.Passed, null, null, null);
}
