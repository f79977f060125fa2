using BugHunt.Core.Packs;
using BugHunt.Core.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BugHunt.Api.Sessions;

public sealed record OpenedSessionResponse(Guid SessionId, string Token, string Challenge);

public sealed record PublicTestView(string Id, string Title, string Category);

public sealed record ChallengeView(
    string Pack,
    string Id,
    string Title,
    int Level,
    string Statement,
    IReadOnlyList<string> Editable,
    IReadOnlyDictionary<string, string> Files,
    IReadOnlyList<PublicTestView> PublicTests,
    int HiddenTests,
    int ExpectedSolveMinutes,
    SandboxLimits Limits);

public static class SessionApi
{
    public static void MapSessions(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/invites/{token}/sessions", OpenAsync);
        app.MapGroup("/api/session").AddEndpointFilter<SessionAuth>().MapGet("/challenge", GetChallengeAsync);
    }

    private static async Task<Results<Created<OpenedSessionResponse>, ProblemHttpResult>> OpenAsync(string token, SessionStore sessions, CancellationToken ct)
    {
        var opened = await sessions.OpenAsync(token, ct);
        if (opened is null)
        {
            return TypedResults.Problem("This invite does not exist or was already used. Ask the recruiter for a new link.", statusCode: StatusCodes.Status404NotFound, title: "Invite not found");
        }
        return TypedResults.Created("/api/session/challenge", new OpenedSessionResponse(opened.SessionId, opened.Token, "/api/session/challenge"));
    }

    /// <summary>What a candidate may see: statement, starter files, public tests. Never hidden material.</summary>
    private static async Task<Ok<ChallengeView>> GetChallengeAsync(HttpContext http, ChallengeStore challenges, CancellationToken ct)
    {
        var session = http.Session();
        var version = await challenges.GetAsync(session.ChallengeVersionId, ct)
            ?? throw new InvalidOperationException($"session {session.Id} points at a missing challenge version");
        var c = version.Challenge;
        return TypedResults.Ok(new ChallengeView(
            c.PackId, c.Id, c.Title, c.Level, c.Statement, c.Editable, c.StarterFiles,
            [.. c.PublicTests.Select(t => new PublicTestView(t.Id, t.Title, t.Category))],
            c.Tests.Count(t => t.Visibility == Visibility.Hidden), c.ExpectedSolveMinutes, c.Limits));
    }
}
