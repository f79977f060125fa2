using BugHunt.Core.Assessments;
using BugHunt.Core.Packs;
using BugHunt.Core.Sessions;
using BugHunt.Core.Staff;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BugHunt.Api.Admin;

public sealed record SimilarPairView(Guid SessionA, string? CandidateA, Guid SessionB, string? CandidateB, double Score, int EditTokensA, int EditTokensB, bool Flagged);

public sealed record CandidateFiles(Guid Session, string? Candidate, IReadOnlyDictionary<string, string> Files);

public sealed record FixesView(IReadOnlyDictionary<string, string> Starter, IReadOnlyList<CandidateFiles> Candidates);

/// <summary>Proctors compare candidates' fixes of a level.</summary>
public static class SimilarityAdminApi
{
    public static void MapSimilarity(this RouteGroupBuilder admin)
    {
        admin.MapGet("/assessments/{id:guid}/levels/{position:int}/similarity", SimilarityAsync).RequireStaff(StaffRole.Proctor)
            .WithName("ListSimilarFixes").WithSummary("Pairs of candidates whose fixes of a level are alike (the reference fix itself excluded); high ones are flagged.");
        admin.MapGet("/assessments/{id:guid}/levels/{position:int}/fixes", FixesAsync).RequireStaff(StaffRole.Proctor)
            .WithName("CompareFixes").WithSummary("Side by side: the starter and the latest code of the given sessions (?sessions=a,b).");
    }

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
}
