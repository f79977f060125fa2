using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BugHunt.Core.Submissions;
using BugHunt.Testing;
using Xunit;

namespace BugHunt.Api.Tests;

/// <summary>The rules a hiring team relies on, through the real HTTP stack and PostgreSQL.</summary>
[Collection(ServerCollection.Name)]
public sealed class AssessmentTests(BugHuntServer server)
{
    private static readonly Dictionary<string, string> Broken = new() { ["Attention.cs"] = "this is not C#" };

    private async Task<Guid> TwoLevelAssessmentAsync(object? extra = null) => await server.CreateAssessmentAsync(new
    {
        name = "two levels " + Guid.NewGuid().ToString("N")[..6],
        levels = new object[]
        {
            new { pack = "lab-screen", challenge = "causal-attention", points = 100 },
            new { pack = "lab-screen", challenge = "numerics-warmup", points = 100 },
        },
        max_points = 600,
        pass_points = 300,
    });

    [EndToEndFact]
    public async Task Passing_level_one_unlocks_level_two_and_scores_half_of_600()
    {
        var (candidate, sessionId) = await server.OpenAsync(await server.InviteAsync(await TwoLevelAssessmentAsync()));
        var locked = await candidate.GetAsync("/api/session/levels/2");
        Assert.Equal(HttpStatusCode.Forbidden, locked.StatusCode);
        Assert.DoesNotContain("Numerics", await locked.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var id = await server.SubmitAsync(candidate, server.Attention.ReferenceFiles);
        Assert.Equal("accepted", (await BugHuntServer.VerdictAsync(candidate, id)).GetProperty("verdict").GetString());

        var session = await candidate.GetFromJsonAsync<JsonElement>("/api/session");
        var levels = session.GetProperty("levels").EnumerateArray().ToList();
        Assert.Equal("passed", levels[0].GetProperty("state").GetString());
        Assert.Equal("unlocked", levels[1].GetProperty("state").GetString());
        Assert.Equal(2, session.GetProperty("current_level").GetInt32());
        Assert.Equal(300, session.GetProperty("score").GetDouble());
        Assert.Equal(HttpStatusCode.OK, (await candidate.GetAsync("/api/session/levels/2")).StatusCode);

        using var admin = server.Admin();
        var report = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/sessions/{sessionId}/report");
        Assert.Equal(300, report.GetProperty("score").GetProperty("total").GetDouble());
        Assert.True(report.GetProperty("score").GetProperty("passed").GetBoolean());
        Assert.Equal(1, report.GetProperty("score").GetProperty("levels")[0].GetProperty("attempts").GetInt32());
    }

    [PostgresFact]
    public async Task Submission_after_the_deadline_gets_409_saying_time_is_over()
    {
        var (candidate, sessionId) = await server.OpenAsync(await server.InviteAsync(await server.CreateAssessmentAsync()));
        server.Clock.Advance(TimeSpan.FromMinutes(91));

        var response = await candidate.PostAsJsonAsync("/api/session/levels/1/submissions", new { files = Broken });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("time for this assessment is over", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await candidate.GetAsync("/api/session/levels/1")).StatusCode);
        Assert.Equal(0, await new SubmissionStore(server.Db, TimeProvider.System).CountForSessionAsync(sessionId, CancellationToken.None));
        var session = await candidate.GetFromJsonAsync<JsonElement>("/api/session");
        Assert.Equal("time_over", session.GetProperty("status").GetString());
    }

    [EndToEndFact]
    public async Task Submission_accepted_before_the_deadline_is_graded_and_counted_after_it()
    {
        var (candidate, sessionId) = await server.OpenAsync(await server.InviteAsync(await server.CreateAssessmentAsync()));
        var id = await server.SubmitAsync(candidate, server.Attention.ReferenceFiles);
        server.Clock.Advance(TimeSpan.FromMinutes(91));

        Assert.Equal("accepted", (await BugHuntServer.VerdictAsync(candidate, id)).GetProperty("verdict").GetString());
        using var admin = server.Admin();
        var report = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/sessions/{sessionId}/report");
        Assert.Equal(600, report.GetProperty("score").GetProperty("total").GetDouble());
    }

    [PostgresFact]
    public async Task Extra_time_on_the_invite_moves_the_deadline_and_start_is_idempotent()
    {
        var invite = await server.InviteAsync(await server.CreateAssessmentAsync(), new { candidate = "Grace", extra_minutes = 30 });
        var (candidate, _) = await server.OpenAsync(invite, start: false);
        var before = await candidate.GetFromJsonAsync<JsonElement>("/api/session");
        Assert.Equal("not_started", before.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await candidate.GetAsync("/api/session/levels/1")).StatusCode);

        var started = await (await candidate.PostAsync("/api/session/start", null)).Content.ReadFromJsonAsync<JsonElement>();
        var again = await (await candidate.PostAsync("/api/session/start", null)).Content.ReadFromJsonAsync<JsonElement>();
        var start = started.GetProperty("started_at").GetDateTime();
        var deadline = started.GetProperty("deadline").GetDateTime();
        Assert.Equal(TimeSpan.FromMinutes(120), deadline - start);
        Assert.Equal(deadline, again.GetProperty("deadline").GetDateTime());
    }

    [PostgresFact]
    public async Task Finishing_early_closes_the_window()
    {
        var (candidate, _) = await server.NewCandidateAsync();
        Assert.Equal(HttpStatusCode.OK, (await candidate.PostAsync("/api/session/finish", null)).StatusCode);
        var response = await candidate.PostAsJsonAsync("/api/session/levels/1/runs", new { files = Broken });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [PostgresFact]
    public async Task Expired_invite_is_refused_with_410()
    {
        var invite = await server.InviteAsync(await server.CreateAssessmentAsync(), new { candidate = "Late", expires_in_hours = 1 });
        server.Clock.Advance(TimeSpan.FromHours(2));
        using var anonymous = server.Client();
        var response = await anonymous.PostAsync($"/api/invites/{invite}/sessions", null);
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Contains("expired", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task A_second_submission_while_one_is_in_flight_gets_429_with_retry_after()
    {
        // An API whose graders never come: the first submission stays queued.
        var (app, address) = await server.StartApiAsync(new SubmissionRules(MaxRunning: 1, MaxPerMinute: 100));
        await using var _ = app;
        var (original, sessionId) = await server.NewCandidateAsync();
        using var candidate = BugHuntServer.Rebase(original, address);
        Assert.Equal(HttpStatusCode.Accepted, (await candidate.PostAsJsonAsync("/api/session/levels/1/runs", new { files = Broken })).StatusCode);
        var second = await candidate.PostAsJsonAsync("/api/session/levels/1/submissions", new { files = Broken });

        if (second.StatusCode == HttpStatusCode.Accepted)
        {
            // The fixture's grader finished the first one already; that is allowed, so try once more at once.
            second = await candidate.PostAsJsonAsync("/api/session/levels/1/submissions", new { files = Broken });
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.True(second.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains("still being graded", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(await new SubmissionStore(server.Db, TimeProvider.System).CountForSessionAsync(sessionId, CancellationToken.None) <= 2);
    }

    [PostgresFact]
    public async Task More_submissions_per_minute_than_allowed_get_429_until_the_minute_passes()
    {
        var (app, address) = await server.StartApiAsync(new SubmissionRules(MaxRunning: 100, MaxPerMinute: 3));
        await using var _ = app;
        var (original, sessionId) = await server.NewCandidateAsync();
        using var candidate = BugHuntServer.Rebase(original, address);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await candidate.PostAsJsonAsync("/api/session/levels/1/runs", new { files = Broken })).StatusCode);
        }
        var limited = await candidate.PostAsJsonAsync("/api/session/levels/1/runs", new { files = Broken });
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Equal(3, await new SubmissionStore(server.Db, TimeProvider.System).CountForSessionAsync(sessionId, CancellationToken.None));

        server.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(HttpStatusCode.Accepted, (await candidate.PostAsJsonAsync("/api/session/levels/1/runs", new { files = Broken })).StatusCode);
    }

    [PostgresFact]
    public async Task Retried_submit_with_the_same_idempotency_key_creates_one_submission()
    {
        var (app, address) = await server.StartApiAsync(new SubmissionRules(MaxRunning: 100, MaxPerMinute: 100));
        await using var _ = app;
        var (original, sessionId) = await server.NewCandidateAsync();
        using var candidate = BugHuntServer.Rebase(original, address);
        Guid? first = null;
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/session/levels/1/submissions") { Content = JsonContent.Create(new { files = Broken }) };
            request.Headers.Add("Idempotency-Key", "retry-me-1");
            var response = await candidate.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            first ??= id;
            Assert.Equal(first, id);
        }
        Assert.Equal(1, await new SubmissionStore(server.Db, TimeProvider.System).CountForSessionAsync(sessionId, CancellationToken.None));
    }

    [PostgresFact]
    public async Task Oversized_body_gets_413_and_too_many_files_get_400()
    {
        var (candidate, sessionId) = await server.NewCandidateAsync();
        // Sent as curl sends a large body (Expect: 100-continue): the server refuses it from its length
        // alone, and a client still writing the body would otherwise race the closed connection.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/session/levels/1/submissions")
        {
            Content = new StringContent("{\"files\": {\"Attention.cs\": \"" + new string('x', 2_000_000) + "\"}}", Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;
        var huge = await candidate.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        var hugeBody = await huge.Content.ReadAsStringAsync();
        Assert.True(hugeBody.Contains("larger than", StringComparison.Ordinal), hugeBody);

        var many = await candidate.PostAsJsonAsync("/api/session/levels/1/submissions", new { files = new Dictionary<string, string> { ["Attention.cs"] = "a", ["Other.cs"] = "b" } });
        Assert.Equal(HttpStatusCode.BadRequest, many.StatusCode);
        Assert.Contains("2 files sent", await many.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await new SubmissionStore(server.Db, TimeProvider.System).CountForSessionAsync(sessionId, CancellationToken.None));
    }

    [PostgresFact]
    public async Task Hint_cost_is_shown_before_and_deducted_after_reveal()
    {
        var (candidate, sessionId) = await server.NewCandidateAsync();
        var level = await candidate.GetFromJsonAsync<JsonElement>("/api/session/levels/1");
        var hint = level.GetProperty("hints")[0];
        var cost = hint.GetProperty("cost_points").GetDouble();
        Assert.True(cost > 0);
        Assert.False(hint.GetProperty("revealed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, hint.GetProperty("text").ValueKind);

        var revealed = await (await candidate.PostAsync($"/api/session/levels/1/hints/{hint.GetProperty("id").GetString()}", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(server.Attention.Hints[0].Text, revealed.GetProperty("text").GetString());
        Assert.Equal(cost, revealed.GetProperty("cost_points").GetDouble());

        using var admin = server.Admin();
        var report = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/sessions/{sessionId}/report");
        Assert.Equal(cost, report.GetProperty("score").GetProperty("levels")[0].GetProperty("hint_cost").GetDouble());
        Assert.Single(report.GetProperty("hints").EnumerateArray());
    }

    [PostgresFact]
    public async Task Code_carries_over_to_the_candidates_latest_version()
    {
        var (candidate, _) = await server.NewCandidateAsync();
        var mine = server.Attention.StarterFiles["Attention.cs"] + "\n// my notes\n";
        Assert.Equal(HttpStatusCode.NoContent, (await candidate.PutAsJsonAsync("/api/session/levels/1/files", new { files = new Dictionary<string, string> { ["Attention.cs"] = mine } })).StatusCode);
        var level = await candidate.GetFromJsonAsync<JsonElement>("/api/session/levels/1");
        Assert.Equal(mine, level.GetProperty("files").GetProperty("Attention.cs").GetString());
        Assert.Equal(server.Attention.StarterFiles["Attention.cs"], level.GetProperty("starter_files").GetProperty("Attention.cs").GetString());
    }

    [PostgresFact]
    public async Task Admin_endpoints_refuse_missing_keys_with_401_and_candidate_tokens_with_403()
    {
        var (candidate, _) = await server.NewCandidateAsync();
        var assessment = await server.CreateAssessmentAsync();
        using var anonymous = server.Client();
        var missing = await anonymous.GetAsync($"/api/admin/assessments/{assessment}");
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("Staff key required", (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await candidate.GetAsync($"/api/admin/assessments/{assessment}")).StatusCode);
        using var wrong = server.Client();
        wrong.DefaultRequestHeaders.Add("X-Api-Key", "not-the-admin-key-at-all");
        var refused = await wrong.GetAsync($"/api/admin/assessments/{assessment}");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("Staff key not accepted", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    [PostgresFact]
    public async Task Invalid_assessment_gets_400_naming_the_problem()
    {
        using var admin = server.Admin();
        var response = await admin.PostAsJsonAsync("/api/admin/assessments", new { name = "x", levels = new[] { new { pack = "lab-screen", challenge = "nope" } } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("no imported challenge lab-screen/nope", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Two_candidates_are_isolated_and_both_appear_in_the_csv_export()
    {
        var assessment = await server.CreateAssessmentAsync();
        var (alice, _) = await server.OpenAsync(await server.InviteAsync(assessment, new { candidate = "Alice" }));
        var (bob, bobSession) = await server.OpenAsync(await server.InviteAsync(assessment, new { candidate = "=Bob" }));
        var response = await alice.PostAsJsonAsync("/api/session/levels/1/runs", new { files = Broken });
        var aliceRun = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"/api/session/submissions/{aliceRun}")).StatusCode);
        Assert.Empty(await BugHuntServer.AllItemsAsync(bob, "/api/session/submissions"));
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.GetAsync($"/api/admin/sessions/{bobSession}/report")).StatusCode);

        using var admin = server.Admin();
        var csv = await admin.GetStringAsync($"/api/admin/assessments/{assessment}/results.csv");
        var lines = csv.Trim().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("session_id,candidate,email,status", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains(",Alice,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(",\"'=Bob\",", StringComparison.Ordinal));
        var sessions = await BugHuntServer.AllItemsAsync(admin, $"/api/admin/assessments/{assessment}/sessions");
        Assert.Equal(2, sessions.Count);
        Assert.All(sessions, s => Assert.Equal("in_progress", s.GetProperty("status").GetString()));
    }

    [EndToEndFact]
    public async Task Progress_streams_as_server_sent_events_until_the_verdict()
    {
        var (candidate, _) = await server.NewCandidateAsync();
        var id = await server.SubmitAsync(candidate, Broken, kind: "runs");
        using var response = await candidate.GetAsync($"/api/session/submissions/{id}/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("event: submission", body, StringComparison.Ordinal);
        Assert.Contains("\"verdict\":\"compile_error\"", body, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task OpenAPI_document_describes_both_authentication_schemes_and_has_a_reference_page()
    {
        using var anonymous = server.Client();
        var doc = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var schemes = doc.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("SessionToken").GetProperty("scheme").GetString());
        Assert.Equal("X-Api-Key", schemes.GetProperty("AdminKey").GetProperty("name").GetString());
        Assert.True(doc.GetProperty("paths").TryGetProperty("/api/session/levels/{position}/submissions", out _));
        var page = await anonymous.GetStringAsync("/api-docs/index.html");
        Assert.Contains("swagger", page, StringComparison.OrdinalIgnoreCase);
    }
}
