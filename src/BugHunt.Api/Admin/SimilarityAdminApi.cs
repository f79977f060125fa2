using System.Globalization;
using BugHunt.Api.Hosting;
using BugHunt.Core.Assessments;
using BugHunt.Core.Database;
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
            .WithName("ListSimilarFixes").WithSummary("Pairs of candidates whose fixes of a level are alike (the reference fix itself excluded), most alike first; high ones are flagged. Paged (?limit=, ?cursor=).");
        admin.MapGet("/assessments/{id:guid}/levels/{position:int}/fixes", FixesAsync).RequireStaff(StaffRole.Proctor)
            .WithName("CompareFixes").WithSummary("Side by side: the starter and the latest code of the given sessions (?sessions=a,b).");
    }

    private static readonly PagedList Pairs = new("similar-pairs", KeyPart.Real, KeyPart.Text);

    private static async Task<Results<Ok<PageView<SimilarPairView>>, ProblemHttpResult>> SimilarityAsync(
        Guid id, int position, HttpContext http, AssessmentStore assessments, FixComparer fixes, CancellationToken ct)
    {
        var assessment = await assessments.GetAsync(id, ct);
        if (assessment?.Level(position) is not { } level)
        {
            return TypedResults.Problem($"No level {position} in assessment {id}.", statusCode: 404, title: "Level not found");
        }
        return await Paging.ListAsync(http.Request, Pairs, async page => PageOf(await fixes.CompareAsync(assessment, level, ct), page));
    }

    /// <summary>
    /// The pairs are computed on each request, not stored, so they are paged here, by the same keyset
    /// rule as stored lists: score descending, then the pair's sessions.
    /// </summary>
    private static Page<SimilarPairView> PageOf(IEnumerable<SimilarPairView> pairs, PageRequest page)
    {
        static string Key(SimilarPairView p) => $"{p.SessionA}:{p.SessionB}";
        var ordered = pairs.OrderByDescending(p => p.Score).ThenBy(Key, StringComparer.Ordinal);
        var after = page.After is { } k && double.Parse(k.Sort, CultureInfo.InvariantCulture) is var score
            ? ordered.Where(p => p.Score < score || (p.Score == score && string.CompareOrdinal(Key(p), k.Id) > 0))
            : ordered;
        return Page<SimilarPairView>.From([.. after.Take(page.Take)], page, p => Keyset.Of(p.Score.ToString("R", CultureInfo.InvariantCulture), Key(p)));
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
