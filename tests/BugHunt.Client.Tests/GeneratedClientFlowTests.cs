using BugHunt.Api.Tests;
using CoreRole = BugHunt.Core.Staff.StaffRole;
using BugHunt.Testing;
using Xunit;

namespace BugHunt.Client.Tests;

/// <summary>
/// An integrator's view: the recruiter's and the candidate's flows through the NSwag client generated
/// from the live document and nothing else (no hand-written request or response types). Every
/// response also passes the contract check of the HttpClient underneath.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class GeneratedClientFlowTests(BugHuntServer server)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private BugHuntClient Staff(string key)
    {
        var http = ContractCheck.Client(server.BaseAddress);
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        return new BugHuntClient(http);
    }

    private BugHuntClient Candidate(string? token = null)
    {
        var http = ContractCheck.Client(server.BaseAddress);
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        }
        return new BugHuntClient(http);
    }

    private static AssessmentRequest AttentionAssessment(string name) => new()
    {
        Name = name + " " + Guid.NewGuid().ToString("N")[..6],
        TimeLimitMinutes = 60,
        MaxPoints = 100,
        PassPoints = 50,
        Levels = [new LevelRequest { Pack = "lab-screen", Challenge = "causal-attention", Points = 100 }],
    };

    [EndToEndFact]
    public async Task A_candidate_takes_an_assessment_with_the_generated_client()
    {
        var admin = Staff(BugHuntServer.AdminKey);
        var assessment = await admin.CreateAssessmentAsync(AttentionAssessment("generated client"), None);
        var invite = await admin.CreateInviteAsync(assessment.Id, new InviteRequest { Candidate = "Grace Hopper", ExpiresInHours = 48.5 }, None);

        var opened = await Candidate().OpenInviteAsync(invite.Token, None);
        Assert.Null(opened.Session.SecondsLeft);
        var candidate = Candidate(opened.Token);
        var started = await candidate.StartSessionAsync(new StartRequest(), None);
        Assert.True(started.SecondsLeft is > 3500 and <= 3600, $"seconds_left {started.SecondsLeft}");

        var level = await candidate.GetLevelAsync(1, None);
        Assert.Equal("causal-attention", level.Challenge);
        Assert.Equal(level.StarterFiles, level.Files);

        // A public run of the starter: it fails its public tests, with diagnostics to debug from.
        var run = await candidate.StartRunAsync(1, null, new FilesRequest { Files = level.StarterFiles }, None);
        var starterRun = await DoneAsync(candidate, run.Id);
        Assert.Equal("wrong_answer", starterRun.Verdict);
        Assert.Contains(starterRun.Tests, t => t.Visibility == "public" && !t.Passed && t.Diagnostics is not null);

        var fix = await candidate.SubmitFixAsync(1, "fix-1", new FilesRequest { Files = new(server.Attention.ReferenceFiles) }, None);
        Assert.Equal("queued", fix.Status);
        // Queued: no verdict, no score yet, and the types say so.
        var queued = await candidate.GetSubmissionAsync(fix.Id, None);
        Assert.True(queued.Status != "done" || queued.Verdict is not null);

        var graded = await DoneAsync(candidate, fix.Id);
        Assert.Equal("accepted", graded.Verdict);
        Assert.Equal(1.0, graded.Score);
        Assert.All(graded.Tests, t => Assert.True(t.Passed, t.Id));
        var publicTest = graded.Tests.First(t => t.Visibility == "public");
        Assert.NotNull(publicTest.Title);
        Assert.Contains(graded.Tests, t => t.Visibility == "hidden" && t.Title is null && t.Diagnostics is null);

        var submissions = await AllAsync(async cursor => (await candidate.ListSubmissionsAsync(null, cursor, None)) is var p ? (p.Items, p.NextCursor) : default);
        Assert.Contains(submissions, s => s.Id == fix.Id);
        var session = await candidate.GetSessionAsync(None);
        Assert.Equal(100, session.Score);
        Assert.Equal("passed", session.Levels.Single().State);

        var finished = await candidate.FinishSessionAsync(None);
        Assert.Equal("finished", finished.Status);
        // A documented error arrives as the typed ProblemDetails of the generated client.
        var late = await Assert.ThrowsAsync<BugHuntApiException<ProblemDetails>>(
            () => candidate.SubmitFixAsync(1, null, new FilesRequest { Files = new(server.Attention.ReferenceFiles) }, None));
        Assert.Equal(409, late.StatusCode);
        Assert.Equal(409, late.Result.Status);
        Assert.False(string.IsNullOrEmpty(late.Result.Detail));
    }

    [EndToEndFact]
    public async Task A_recruiter_runs_an_assessment_with_the_generated_client()
    {
        var (_, recruiterKey) = await server.NewStaffAsync(CoreRole.Recruiter);
        var recruiter = Staff(recruiterKey);
        Assert.Equal(StaffRole.Recruiter, (await recruiter.GetMeAsync(None)).Role);
        var catalogue = await recruiter.ListCatalogueAsync(null, null, None);
        Assert.Contains(catalogue.Items, p => p.Challenges.Any(c => c.Id == "causal-attention"));

        var assessment = await recruiter.CreateAssessmentAsync(AttentionAssessment("recruiter flow"), None);
        // Walked in pages of 25, the new one is listed exactly once.
        var assessments = await AllAsync(async cursor => (await recruiter.ListAssessmentsAsync(25, cursor, None)) is var p ? (p.Items, p.NextCursor) : default);
        Assert.Single(assessments, a => a.Id == assessment.Id);
        Assert.Equal(60, (await recruiter.GetAssessmentAsync(assessment.Id, None)).TimeLimitMinutes);

        var bulk = await recruiter.CreateInvitesAsync(assessment.Id, new BulkInviteRequest
        {
            Candidates = [new BulkCandidate { Name = "Ada, \"the first\"", Email = "ada@example.com" }, new BulkCandidate { Name = "Alan Turing", Email = "alan@example.com" }],
            ExpiresInHours = 72,
        }, None);
        Assert.Equal(2, bulk.Count);

        var opened = await Candidate().OpenInviteAsync(bulk.Invites[0].Token, None);
        var second = await Candidate().OpenInviteAsync(bulk.Invites[1].Token, None);
        var candidate = Candidate(opened.Token);
        await candidate.StartSessionAsync(null, None);
        var granted = await recruiter.GrantExtraTimeAsync(opened.SessionId, new ExtraTimeRequest { Minutes = 15, Reason = "power cut" }, None);
        Assert.Equal(15, granted.ExtraMinutes);
        var fix = await candidate.SubmitFixAsync(1, null, new FilesRequest { Files = new(server.Attention.ReferenceFiles) }, None);
        await DoneAsync(candidate, fix.Id);

        var sessions = await AllAsync(async cursor => (await recruiter.ListAssessmentSessionsAsync(assessment.Id, 1, cursor, None)) is var p ? (p.Items, p.NextCursor) : default);
        // Pages of one: both sessions, each once.
        Assert.Equal(new[] { opened.SessionId, second.SessionId }.Order(), sessions.Select(s => s.Id).Order());
        var summary = Assert.Single(sessions, s => s.Id == opened.SessionId);
        Assert.Equal(100, summary.Score);
        var report = await recruiter.GetSessionReportAsync(opened.SessionId, None);
        Assert.Contains(report.Submissions, s => s.Id == fix.Id && s.Score == 1.0);
        using var export = await recruiter.ExportResultsCsvAsync(assessment.Id, None);
        Assert.StartsWith("text/csv", export.Headers["Content-Type"].Single(), StringComparison.Ordinal);
        var csv = await new StreamReader(export.Stream).ReadToEndAsync(None);
        Assert.Contains("\"Ada, \"\"the first\"\"\"", csv, StringComparison.Ordinal);
        var json = await recruiter.ExportResultsJsonAsync(assessment.Id, None);
        Assert.Contains(json, r => r.Session.Id == opened.SessionId);

        // A role the endpoint does not admit is the documented 403 with its problem details.
        var refused = await Assert.ThrowsAsync<BugHuntApiException<ProblemDetails>>(() => recruiter.ListUsersAsync(null, null, None));
        Assert.Equal(403, refused.StatusCode);
    }

    /// <summary>Every item of a list, page by page as its next_cursor says.</summary>
    private static async Task<List<T>> AllAsync<T>(Func<string?, Task<(List<T> Items, string? Next)>> page)
    {
        var all = new List<T>();
        string? cursor = null;
        do
        {
            var (items, next) = await page(cursor);
            all.AddRange(items);
            cursor = next;
        }
        while (cursor is not null);
        return all;
    }

    private static async Task<SubmissionView> DoneAsync(BugHuntClient candidate, Guid id)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (true)
        {
            var submission = await candidate.GetSubmissionAsync(id, None);
            if (submission.Status == "done")
            {
                return submission;
            }
            Assert.True(DateTime.UtcNow < deadline, $"submission {id} is still {submission.Status}");
            await Task.Delay(250);
        }
    }
}
