using BugHunt.Core.Assessments;
using BugHunt.Core.Packs;
using BugHunt.Core.Sessions;
using BugHunt.Core.Submissions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BugHunt.Api.Levels;

/// <summary>A level the candidate may work on now, with what the endpoints need to know about it.</summary>
public sealed record OpenLevel(Session Session, Assessment Assessment, AssessmentLevel Level, SessionLevel State, Challenge Challenge)
{
    /// <summary>Factor from level points to assessment points.</summary>
    public double Scale => Assessment.PointScale;
}

/// <summary>Decides whether a candidate may touch a level now: it must exist, be unlocked, and the window be open.</summary>
public sealed class LevelContext(AssessmentStore assessments, SessionStore sessions, ChallengeStore challenges, TimeProvider clock, SubmissionRules rules)
{
    public SubmissionRules Rules => rules;

    public async Task<(OpenLevel? Level, ProblemHttpResult? Problem)> OpenAsync(Session session, int position, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (session.StartedAt is null)
        {
            return (null, TypedResults.Problem("The assessment has not started. Start it with POST /api/session/start; the clock runs from then.", statusCode: 409, title: "Not started"));
        }
        if (!session.IsOpenAt(now))
        {
            return (null, TimeOver());
        }
        var assessment = (await assessments.GetAsync(session.AssessmentId, ct))!;
        var level = assessment.Level(position);
        if (level is null)
        {
            return (null, TypedResults.Problem($"This assessment has levels 1 to {assessment.Levels.Count}.", statusCode: 404, title: "Level not found"));
        }
        var state = (await sessions.LevelsAsync(session.Id, ct)).First(l => l.Position == position);
        if (state.State == "locked")
        {
            return (null, TypedResults.Problem($"Level {position} is locked: pass level {position - 1} to unlock it.", statusCode: 403, title: "Level locked"));
        }
        var version = (await challenges.GetAsync(level.ChallengeVersionId, ct))!;
        return (new OpenLevel(session, assessment, level, state, version.Challenge), null);
    }

    public static ProblemHttpResult TimeOver() =>
        TypedResults.Problem("The time for this assessment is over (or you finished it). Submissions accepted before the deadline are still graded and counted.", statusCode: 409, title: "Time is over");

    public static ProblemHttpResult? ValidateFiles(FilesRequest request, Challenge challenge)
    {
        string? problem = null;
        if (request.Files is not { Count: > 0 } files)
        {
            problem = $"Send the files you changed as {{\"files\": {{\"{challenge.Editable[0]}\": \"...source...\"}}}}.";
        }
        else if (files.Count > challenge.Editable.Count)
        {
            problem = $"{files.Count} files sent; this level has {challenge.Editable.Count} editable file(s): {string.Join(", ", challenge.Editable)}.";
        }
        else
        {
            foreach (var (name, text) in files)
            {
                problem ??= !challenge.Editable.Contains(name) ? $"'{name}' is not a file of this level. Editable files: {string.Join(", ", challenge.Editable)}."
                    : text is null ? $"'{name}' has no content."
                    : text.Length > SubmittedFiles.MaxFileChars ? $"'{name}' has {text.Length} characters; at most {SubmittedFiles.MaxFileChars} are accepted per file."
                    : null;
            }
        }
        return problem is null ? null : TypedResults.Problem(problem, statusCode: 400, title: "Files not accepted");
    }
}
