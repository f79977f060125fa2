using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BugHunt.Core.Packs;
using BugHunt.Testing;
using Dapper;
using Xunit;

namespace BugHunt.Api.Tests;

/// <summary>What the console's assessment builder calls: the catalogue, bulk invites and extra time, over HTTP and PostgreSQL.</summary>
[Collection(ServerCollection.Name)]
public sealed class AssessmentBuilderApiTests(BugHuntServer server) : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("bughunt-catalogue-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private static object Person(string name, string email) => new { name, email };

    private static object[] ThreeCandidates() =>
        [Person("Ada Lovelace", "ada@example.com"), Person("Grace Hopper", "grace@example.com"), Person("Alan Turing", "alan@example.org")];

    private async Task<int> InviteCountAsync(Guid assessment)
    {
        await using var connection = await server.Db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM invites WHERE assessment_id = @assessment", new { assessment });
    }

    private async Task<HttpResponseMessage> BulkAsync(Guid assessment, object body)
    {
        using var admin = server.Admin();
        return await admin.PostAsJsonAsync($"/api/admin/assessments/{assessment}/invites/bulk", body, BugHuntServer.Json);
    }

    private async Task<HttpResponseMessage> ExtraTimeAsync(Guid session, object body)
    {
        using var admin = server.Admin();
        return await admin.PostAsJsonAsync($"/api/admin/sessions/{session}/extra-time", body, BugHuntServer.Json);
    }

    [PostgresFact]
    public async Task Catalogue_lists_each_pack_with_its_challenges_at_their_latest_version_and_no_hidden_material()
    {
        var packId = "catalogue-" + Guid.NewGuid().ToString("N")[..8];
        var dir = TestPacks.AttentionOnly(_scratch, packId);
        var store = new ChallengeStore(server.Db, TimeProvider.System);
        var first = (await store.ImportAsync(PackLoader.Load(dir), CancellationToken.None)).Single();
        File.AppendAllText(Path.Combine(dir, "causal-attention", "statement.md"), "\nClarified.\n");
        var latest = (await store.ImportAsync(PackLoader.Load(dir), CancellationToken.None)).Single();
        Assert.NotEqual(first.VersionId, latest.VersionId);
        var challenge = PackLoader.Load(dir).Challenges.Single();

        using var admin = server.Admin();
        var packs = await BugHuntServer.AllItemsAsync(admin, "/api/admin/catalogue");
        var raw = string.Join('\n', packs.Select(p => p.GetRawText()));

        var pack = packs.Single(p => p.GetProperty("id").GetString() == packId);
        Assert.Equal("copy of causal-attention", pack.GetProperty("title").GetString());
        var listed = Assert.Single(pack.GetProperty("challenges").EnumerateArray());
        Assert.Equal("causal-attention", listed.GetProperty("id").GetString());
        Assert.Equal(challenge.Title, listed.GetProperty("title").GetString());
        Assert.Equal(challenge.Level, listed.GetProperty("level").GetInt32());
        Assert.Equal(challenge.ExpectedSolveMinutes, listed.GetProperty("expected_solve_minutes").GetInt32());
        Assert.Equal(latest.VersionId, listed.GetProperty("version_id").GetGuid());
        Assert.Equal(latest.ContentHash, listed.GetProperty("content_hash").GetString());
        Assert.Equal(challenge.PublicTests.Count(), listed.GetProperty("public_tests").GetInt32());
        Assert.Equal(challenge.Tests.Count(t => t.Visibility == Visibility.Hidden), listed.GetProperty("hidden_tests").GetInt32());
        Assert.True(listed.GetProperty("hidden_tests").GetInt32() > 0);
        Assert.Equal(JsonValueKind.Array, listed.GetProperty("topics").ValueKind);

        var lab = packs.Single(p => p.GetProperty("id").GetString() == "lab-screen");
        var levels = lab.GetProperty("challenges").EnumerateArray().Select(c => c.GetProperty("level").GetInt32()).ToList();
        Assert.Equal(4, levels.Count);
        Assert.Equal(levels.Order(), levels);

        // A listing for recruiters: nothing of the reference, the probes or the planted bugs.
        Assert.DoesNotContain(JsonEncodedText.Encode(challenge.ReferenceFiles["Attention.cs"]).ToString(), raw, StringComparison.Ordinal);
        Assert.DoesNotContain("Observe(", raw, StringComparison.Ordinal);
        Assert.All(challenge.Tests.Where(t => t.Visibility == Visibility.Hidden), t => Assert.DoesNotContain($"\"{t.Id}\"", raw, StringComparison.Ordinal));
    }

    [PostgresFact]
    public async Task Catalogue_shows_the_topics_a_challenge_names_and_none_when_it_names_none()
    {
        var packId = "topics-" + Guid.NewGuid().ToString("N")[..8];
        var dir = TestPacks.AttentionOnly(_scratch, packId);
        var yaml = Path.Combine(dir, "causal-attention", "challenge.yaml");
        File.WriteAllText(yaml, System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(yaml), "^topics:.*$", "topics: [attention, masking]", System.Text.RegularExpressions.RegexOptions.Multiline));
        Assert.Equal(["attention", "masking"], PackLoader.Load(dir).Challenges.Single().Topics!);
        await new ChallengeStore(server.Db, TimeProvider.System).ImportAsync(PackLoader.Load(dir), CancellationToken.None);
        var noneId = "no-topics-" + Guid.NewGuid().ToString("N")[..8];
        var none = TestPacks.AttentionOnly(_scratch, noneId);
        var noneYaml = Path.Combine(none, "causal-attention", "challenge.yaml");
        File.WriteAllText(noneYaml, System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(noneYaml), "^topics:.*\n", "", System.Text.RegularExpressions.RegexOptions.Multiline));
        Assert.Null(PackLoader.Load(none).Challenges.Single().Topics);
        await new ChallengeStore(server.Db, TimeProvider.System).ImportAsync(PackLoader.Load(none), CancellationToken.None);

        using var admin = server.Admin();
        var packs = await BugHuntServer.AllItemsAsync(admin, "/api/admin/catalogue");
        var listed = packs.Single(p => p.GetProperty("id").GetString() == packId).GetProperty("challenges")[0];
        Assert.Equal(["attention", "masking"], listed.GetProperty("topics").EnumerateArray().Select(t => t.GetString()));
        var unnamed = packs.Single(p => p.GetProperty("id").GetString() == noneId).GetProperty("challenges")[0];
        Assert.Equal(0, unnamed.GetProperty("topics").GetArrayLength());
        var lab = packs.Single(p => p.GetProperty("id").GetString() == "lab-screen").GetProperty("challenges").EnumerateArray();
        foreach (var c in lab)
        {
            var named = PackLoader.Load(TestPacks.LabScreen).Challenges.Single(x => x.Id == c.GetProperty("id").GetString()).Topics ?? [];
            Assert.Equal(named, c.GetProperty("topics").EnumerateArray().Select(t => t.GetString()!));
        }
    }

    [PostgresFact]
    public async Task Catalogue_lists_the_packs_templates_shaped_like_an_assessment_request()
    {
        var shipped = PackLoader.Load(TestPacks.LabScreen).Templates;
        Assert.NotEmpty(shipped);

        using var admin = server.Admin();
        var catalogue = await BugHuntServer.AllItemsAsync(admin, "/api/admin/catalogue");

        var templates = catalogue.Single(p => p.GetProperty("id").GetString() == "lab-screen").GetProperty("templates");
        Assert.Equal(shipped.Select(t => t.Id), templates.EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        foreach (var (expected, listed) in shipped.Zip(templates.EnumerateArray()))
        {
            Assert.Equal(expected.Name, listed.GetProperty("name").GetString());
            Assert.Equal(expected.Description, listed.GetProperty("description").GetString());
            Assert.Equal(expected.TimeLimitMinutes, listed.GetProperty("time_limit_minutes").GetInt32());
            Assert.Equal(expected.PassPoints, listed.GetProperty("pass_points").GetInt32());
            Assert.Equal(expected.Levels.Select(l => (l.Pack, l.Challenge, l.Points, l.PassRule)),
                listed.GetProperty("levels").EnumerateArray().Select(l => (
                    l.GetProperty("pack").GetString()!, l.GetProperty("challenge").GetString()!, l.GetProperty("points").GetInt32(), l.GetProperty("pass_rule").GetString()!)));
        }

        // The body of a template, as the console sends it, creates that assessment.
        var first = templates[0];
        var response = await admin.PostAsync("/api/admin/assessments", JsonContent.Create(first));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(first.GetProperty("levels").GetArrayLength(), created.GetProperty("levels").GetArrayLength());
        Assert.Equal(first.GetProperty("max_points").GetInt32(), created.GetProperty("max_points").GetInt32());
    }

    [PostgresFact]
    public async Task Bulk_invites_create_one_link_per_candidate_and_each_opens_a_session_with_the_email()
    {
        var assessment = await server.CreateAssessmentAsync();

        var response = await BulkAsync(assessment, new { candidates = ThreeCandidates(), expires_in_hours = 72, extra_minutes = 10 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, body.GetProperty("count").GetInt32());
        var invites = body.GetProperty("invites").EnumerateArray().ToList();
        Assert.Equal(["Ada Lovelace", "Grace Hopper", "Alan Turing"], invites.Select(i => i.GetProperty("candidate").GetString()));
        Assert.Equal(["ada@example.com", "grace@example.com", "alan@example.org"], invites.Select(i => i.GetProperty("email").GetString()));
        Assert.Equal(3, invites.Select(i => i.GetProperty("token").GetString()).Distinct().Count());
        foreach (var invite in invites)
        {
            var token = invite.GetProperty("token").GetString();
            Assert.Equal($"/invite/{token}", invite.GetProperty("page_url").GetString());
            Assert.Equal($"/api/invites/{token}/sessions", invite.GetProperty("open_url").GetString());
            Assert.Equal(10, invite.GetProperty("extra_minutes").GetInt32());
        }

        var (_, grace) = await server.OpenAsync(invites[1].GetProperty("token").GetString()!, start: false);
        using var admin = server.Admin();
        var sessions = await BugHuntServer.AllItemsAsync(admin, $"/api/admin/assessments/{assessment}/sessions");
        var row = Assert.Single(sessions);
        Assert.Equal(grace, row.GetProperty("id").GetGuid());
        Assert.Equal("grace@example.com", row.GetProperty("email").GetString());
        Assert.Contains(",grace@example.com,", await admin.GetStringAsync($"/api/admin/assessments/{assessment}/results.csv"), StringComparison.Ordinal);
    }

    public static TheoryData<string, object, string, string> BadRows() => new()
    {
        { "empty name", Person("  ", "carol@example.com"), "name", "empty_name" },
        { "bad e-mail", Person("Carol", "carol-at-example.com"), "email", "bad_email" },
        { "empty e-mail", Person("Carol", ""), "email", "bad_email" },
        { "duplicate e-mail", Person("Ada again", "ADA@example.com"), "email", "duplicate_email" },
        { "control characters", Person("Carol\u0000", "carol@example.com"), "name", "bad_name" },
    };

    [PostgresTheory]
    [MemberData(nameof(BadRows))]
    public async Task Bad_third_row_is_a_400_naming_it_and_no_invite_is_created(string label, object third, string field, string reason)
    {
        var assessment = await server.CreateAssessmentAsync();

        var response = await BulkAsync(assessment, new { candidates = new[] { Person("Ada Lovelace", "ada@example.com"), Person("Grace Hopper", "grace@example.com"), third } });

        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{label}: {(int)response.StatusCode} {problem}");
        Assert.Equal(3, problem.GetProperty("row").GetInt32());
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Equal(reason, problem.GetProperty("reason").GetString());
        Assert.StartsWith($"Row 3: {field}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await InviteCountAsync(assessment));
    }

    [PostgresFact]
    public async Task More_than_500_candidates_are_refused_whole()
    {
        var assessment = await server.CreateAssessmentAsync();
        var many = Enumerable.Range(1, 501).Select(i => Person($"Candidate {i}", $"c{i}@example.com")).ToArray();

        var response = await BulkAsync(assessment, new { candidates = many });

        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("too_many_rows", problem.GetProperty("reason").GetString());
        Assert.Equal(501, problem.GetProperty("row").GetInt32());
        Assert.Contains("At most 500", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await InviteCountAsync(assessment));

        Assert.Equal(HttpStatusCode.Created, (await BulkAsync(assessment, new { candidates = many[..500] })).StatusCode);
        Assert.Equal(500, await InviteCountAsync(assessment));
    }

    [PostgresFact]
    public async Task Bulk_invites_with_bad_terms_or_no_candidates_are_refused()
    {
        var assessment = await server.CreateAssessmentAsync();

        var expiry = await BulkAsync(assessment, new { candidates = ThreeCandidates(), expires_in_hours = 0 });
        var extra = await BulkAsync(assessment, new { candidates = ThreeCandidates(), extra_minutes = 601 });
        var none = await BulkAsync(assessment, new { candidates = Array.Empty<object>() });
        var unknown = await BulkAsync(Guid.NewGuid(), new { candidates = ThreeCandidates() });

        Assert.Equal(HttpStatusCode.BadRequest, expiry.StatusCode);
        Assert.Contains("expires_in_hours", await expiry.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, extra.StatusCode);
        Assert.Contains("extra_minutes", await extra.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Equal("empty_list", (await none.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(0, await InviteCountAsync(assessment));
    }

    [PostgresFact]
    public async Task Single_invite_keeps_an_optional_email_and_refuses_a_bad_one()
    {
        var assessment = await server.CreateAssessmentAsync();
        using var admin = server.Admin();

        var bad = await admin.PostAsJsonAsync($"/api/admin/assessments/{assessment}/invites", new { candidate = "Ada", email = "ada@" });
        var good = await admin.PostAsJsonAsync($"/api/admin/assessments/{assessment}/invites", new { candidate = "Ada", email = " ada@example.com " });

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("email \"ada@\" is not an e-mail address (name@example.com).", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Created, good.StatusCode);
        var invite = await good.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ada@example.com", invite.GetProperty("email").GetString());
        var (_, session) = await server.OpenAsync(invite.GetProperty("token").GetString()!, start: false);
        var report = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/sessions/{session}/report");
        Assert.Equal("ada@example.com", report.GetProperty("session").GetProperty("email").GetString());
    }

    [PostgresFact]
    public async Task Extra_time_moves_the_deadline_the_candidate_sees_and_keeps_the_session_open_past_the_old_one()
    {
        var (candidate, session) = await server.OpenAsync(await server.InviteAsync(await server.CreateAssessmentAsync(), new { candidate = "Ada", extra_minutes = 5 }));
        var before = await candidate.GetFromJsonAsync<JsonElement>("/api/session");
        var deadline = before.GetProperty("deadline").GetDateTime();

        var response = await ExtraTimeAsync(session, new { minutes = 15, reason = "Power cut at the candidate's" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var granted = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(deadline.AddMinutes(15), granted.GetProperty("deadline").GetDateTime());
        Assert.Equal(20, granted.GetProperty("extra_minutes").GetInt32());
        var after = await candidate.GetFromJsonAsync<JsonElement>("/api/session");
        Assert.Equal(deadline.AddMinutes(15), after.GetProperty("deadline").GetDateTime());
        Assert.Equal(20, after.GetProperty("extra_minutes").GetInt32());

        // Past the old deadline, the level still opens.
        server.Clock.Advance(deadline - server.Clock.GetUtcNow().UtcDateTime + TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.OK, (await candidate.GetAsync("/api/session/levels/1")).StatusCode);
        Assert.Equal("in_progress", (await candidate.GetFromJsonAsync<JsonElement>("/api/session")).GetProperty("status").GetString());

        using var admin = server.Admin();
        var report = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/sessions/{session}/report");
        var grant = Assert.Single(report.GetProperty("time_grants").EnumerateArray());
        Assert.Equal(15, grant.GetProperty("minutes").GetInt32());
        Assert.Equal("Power cut at the candidate's", grant.GetProperty("reason").GetString());
        Assert.Equal(20, report.GetProperty("session").GetProperty("extra_minutes").GetInt32());
    }

    [PostgresFact]
    public async Task Extra_time_is_refused_for_sessions_not_started_finished_or_over_and_the_deadline_stays()
    {
        var assessment = await server.CreateAssessmentAsync();
        var (_, notStarted) = await server.OpenAsync(await server.InviteAsync(assessment), start: false);
        var (finisher, finished) = await server.OpenAsync(await server.InviteAsync(assessment));
        Assert.Equal(HttpStatusCode.OK, (await finisher.PostAsync("/api/session/finish", null)).StatusCode);
        var (late, over) = await server.OpenAsync(await server.InviteAsync(assessment));
        var lateDeadline = (await late.GetFromJsonAsync<JsonElement>("/api/session")).GetProperty("deadline").GetDateTime();
        server.Clock.Advance(lateDeadline - server.Clock.GetUtcNow().UtcDateTime + TimeSpan.FromMinutes(1));

        foreach (var (session, says) in new[] { (notStarted, "has not started"), (finished, "has finished"), (over, "is over") })
        {
            var response = await ExtraTimeAsync(session, new { minutes = 10, reason = "test" });
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Contains(says, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await ExtraTimeAsync(Guid.NewGuid(), new { minutes = 10, reason = "test" })).StatusCode);
        Assert.Equal(lateDeadline, (await late.GetFromJsonAsync<JsonElement>("/api/session")).GetProperty("deadline").GetDateTime());
        await using var connection = await server.Db.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM session_time_grants WHERE session_id = ANY(@ids)",
            new { ids = new[] { notStarted, finished, over } }));
    }

    public static TheoryData<int, string?, string> BadGrants() => new()
    {
        { 0, "reason", "minutes must be a whole number from 1 to 240" },
        { 241, "reason", "minutes must be a whole number from 1 to 240" },
        { 10, null, "reason is required" },
        { 10, "   ", "reason is required" },
    };

    [PostgresTheory]
    [MemberData(nameof(BadGrants))]
    public async Task Extra_time_out_of_bounds_or_without_a_reason_is_a_400(int minutes, string? reason, string says)
    {
        var (candidate, session) = await server.NewCandidateAsync();
        var deadline = (await candidate.GetFromJsonAsync<JsonElement>("/api/session")).GetProperty("deadline").GetDateTime();

        var response = await ExtraTimeAsync(session, new { minutes, reason });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(says, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(deadline, (await candidate.GetFromJsonAsync<JsonElement>("/api/session")).GetProperty("deadline").GetDateTime());
    }

    [PostgresFact]
    public async Task Extra_time_stops_at_600_minutes_in_all_counting_the_invites()
    {
        var (_, session) = await server.OpenAsync(await server.InviteAsync(await server.CreateAssessmentAsync(), new { candidate = "Ada", extra_minutes = 400 }));

        Assert.Equal(HttpStatusCode.OK, (await ExtraTimeAsync(session, new { minutes = 200, reason = "outage" })).StatusCode);
        var refused = await ExtraTimeAsync(session, new { minutes = 1, reason = "one more" });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("has 600 minutes of extra time already and may have at most 600 in all", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
