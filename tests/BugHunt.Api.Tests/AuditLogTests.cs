using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BugHunt.Core.Staff;
using BugHunt.Testing;
using Dapper;
using Xunit;

namespace BugHunt.Api.Tests;

/// <summary>The audit log: each staff action with its actor, time and target, read back through the admin API.</summary>
[Collection(ServerCollection.Name)]
public sealed class AuditLogTests(BugHuntServer server)
{
    [PostgresFact]
    public async Task Staff_actions_are_in_the_audit_log_with_actor_time_and_target()
    {
        var (recruiterName, recruiterKey) = await server.NewStaffAsync(StaffRole.Recruiter);
        using var recruiter = server.Staff(recruiterKey);
        var before = server.Clock.GetUtcNow().AddSeconds(-5);
        var created = await recruiter.PostAsJsonAsync("/api/admin/assessments", new
        {
            name = "audited " + Guid.NewGuid().ToString("N")[..6],
            levels = new[] { new { pack = "lab-screen", challenge = "causal-attention", points = 100 } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var assessment = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Created, (await recruiter.PostAsJsonAsync($"/api/admin/assessments/{assessment}/invites", new { candidate = "Grace" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await recruiter.GetAsync($"/api/admin/assessments/{assessment}/results.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await recruiter.GetAsync($"/api/admin/assessments/{assessment}/results.json")).StatusCode);

        var mine = await AuditAsync($"actor={recruiterName}");
        Assert.Equal(["results.export", "results.export", "invite.create", "assessment.create"], mine.Select(e => e.GetProperty("action").GetString()));
        Assert.All(mine, e =>
        {
            Assert.Equal(recruiterName, e.GetProperty("actor").GetString());
            Assert.Equal("recruiter", e.GetProperty("actor_role").GetString());
            Assert.Equal($"assessment:{assessment}", e.GetProperty("target").GetString());
            var at = e.GetProperty("at").GetDateTimeOffset();
            Assert.InRange(at, before, server.Clock.GetUtcNow().AddSeconds(5));
        });
        Assert.Equal(["json", "csv"], mine.Take(2).Select(e => e.GetProperty("detail").GetProperty("format").GetString()));
        Assert.Equal(1, mine[2].GetProperty("detail").GetProperty("invites").GetInt32());

        var (sessionId, snapshot, _) = await server.ProctoredSnapshotAsync();
        var (proctorName, proctorKey) = await server.NewStaffAsync(StaffRole.Proctor);
        using var proctor = server.Staff(proctorKey);
        Assert.Equal(HttpStatusCode.OK, (await proctor.GetAsync($"/api/admin/sessions/{sessionId}/report")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await proctor.GetAsync($"/api/admin/sessions/{sessionId}/snapshots/{snapshot}")).StatusCode);
        var views = await AuditAsync($"target=session:{sessionId}");
        Assert.Equal(["snapshot.view", "report.view"], views.Select(e => e.GetProperty("action").GetString()));
        Assert.All(views, e => Assert.Equal((proctorName, "proctor"), (e.GetProperty("actor").GetString(), e.GetProperty("actor_role").GetString())));
        Assert.Equal(snapshot, views[0].GetProperty("detail").GetProperty("snapshot").GetInt64());

        using var admin = server.Admin();
        var name = "audited-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/admin/users", new { name, role = "author" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/admin/users/{name}")).StatusCode);
        var account = await AuditAsync($"target=user:{name}");
        Assert.Equal(["user.revoke", "user.add"], account.Select(e => e.GetProperty("action").GetString()));
        Assert.All(account, e => Assert.Equal("admin (bootstrap key)", e.GetProperty("actor").GetString()));
        Assert.Equal("author", account[1].GetProperty("detail").GetProperty("role").GetString());
        var first = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/audit?target=user:{name}&limit=1");
        Assert.Equal("user.revoke", Assert.Single(first.GetProperty("items").EnumerateArray()).GetProperty("action").GetString());
        var cursor = first.GetProperty("next_cursor").GetString()!;
        var older = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/audit?target=user:{name}&limit=1&cursor={Uri.EscapeDataString(cursor)}");
        Assert.Equal("user.add", Assert.Single(older.GetProperty("items").EnumerateArray()).GetProperty("action").GetString());
        Assert.Equal(JsonValueKind.Null, older.GetProperty("next_cursor").ValueKind);
    }

    [PostgresFact]
    public async Task A_view_that_cannot_be_recorded_fails_and_shows_nothing()
    {
        var (sessionId, snapshot, _) = await server.ProctoredSnapshotAsync();
        var (_, key) = await server.NewStaffAsync(StaffRole.Proctor);
        using var proctor = server.Staff(key);
        // The log refuses this session's entries only, so the other tests sharing the database are not disturbed.
        var refuse = "audit_refuses_" + Guid.NewGuid().ToString("N")[..8];
        await using var connection = await server.Db.OpenConnectionAsync();
        await connection.ExecuteAsync($"""
            CREATE FUNCTION {refuse}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the audit log is unavailable'; END; $$;
            CREATE TRIGGER {refuse} BEFORE INSERT ON audit_log FOR EACH ROW WHEN (NEW.target = 'session:{sessionId}') EXECUTE FUNCTION {refuse}();
            """);
        try
        {
            var image = await proctor.GetAsync($"/api/admin/sessions/{sessionId}/snapshots/{snapshot}");
            Assert.Equal(HttpStatusCode.InternalServerError, image.StatusCode);
            Assert.Equal("application/problem+json", image.Content.Headers.ContentType?.MediaType);
            var report = await proctor.GetAsync($"/api/admin/sessions/{sessionId}/report");
            Assert.Equal(HttpStatusCode.InternalServerError, report.StatusCode);
            Assert.DoesNotContain("integrity_events", await report.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await connection.ExecuteAsync($"DROP TRIGGER {refuse} ON audit_log; DROP FUNCTION {refuse}();");
        }
        Assert.Empty(await AuditAsync($"target=session:{sessionId}"));
        Assert.Equal(HttpStatusCode.OK, (await proctor.GetAsync($"/api/admin/sessions/{sessionId}/report")).StatusCode);
        Assert.Equal("report.view", Assert.Single(await AuditAsync($"target=session:{sessionId}")).GetProperty("action").GetString());
    }

    private async Task<List<JsonElement>> AuditAsync(string query)
    {
        using var admin = server.Admin();
        return await BugHuntServer.AllItemsAsync(admin, $"/api/admin/audit?{query}");
    }
}
