using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BugHunt.Api.Admin;
using BugHunt.Core.Staff;
using BugHunt.Testing;
using Dapper;
using Xunit;

namespace BugHunt.Api.Tests;

/// <summary>Staff keys: the bootstrap key, users' keys, revoked and unknown ones, and what is stored of them.</summary>
[Collection(ServerCollection.Name)]
public sealed class StaffKeyTests(BugHuntServer server)
{
    [PostgresFact]
    public async Task Bootstrap_key_is_an_admin_by_header_and_by_bearer()
    {
        using var admin = server.Admin();
        var me = await admin.GetFromJsonAsync<JsonElement>("/api/admin/me");
        Assert.Equal("admin (bootstrap key)", me.GetProperty("name").GetString());
        Assert.Equal("admin", me.GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/admin/users")).StatusCode);

        using var bearer = server.Client(BugHuntServer.AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/api/admin/audit?limit=1")).StatusCode);
    }

    [PostgresFact]
    public async Task A_users_key_signs_in_as_that_user_by_header_and_by_bearer()
    {
        var (name, key) = await server.NewStaffAsync(StaffRole.Recruiter);
        using var header = server.Staff(key);
        var me = await header.GetFromJsonAsync<JsonElement>("/api/admin/me");
        Assert.Equal(name, me.GetProperty("name").GetString());
        Assert.Equal("recruiter", me.GetProperty("role").GetString());
        using var bearer = server.Client(key);
        Assert.Equal(name, (await bearer.GetFromJsonAsync<JsonElement>("/api/admin/me")).GetProperty("name").GetString());
    }

    [PostgresFact]
    public async Task Revoked_key_gets_401_saying_it_was_revoked()
    {
        var (name, key) = await server.NewStaffAsync(StaffRole.Proctor);
        using var proctor = server.Staff(key);
        Assert.Equal(HttpStatusCode.OK, (await proctor.GetAsync("/api/admin/me")).StatusCode);

        using var admin = server.Admin();
        var revoked = await admin.DeleteAsync($"/api/admin/users/{name}");
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.True((await revoked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revoked_at").ValueKind == JsonValueKind.String);

        var refused = await proctor.GetAsync("/api/admin/me");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Staff key revoked", problem.GetProperty("title").GetString());
        Assert.Contains($"The key of {name} was revoked", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var again = await admin.DeleteAsync($"/api/admin/users/{name}");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync("/api/admin/users/nobody-" + Guid.NewGuid().ToString("N")[..8])).StatusCode);
    }

    [PostgresFact]
    public async Task Unknown_and_missing_keys_get_401_and_candidate_tokens_403()
    {
        using var anonymous = server.Client();
        var missing = await anonymous.GetAsync("/api/admin/me");
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("Staff key required", (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        // Routing ignores case, so the gate does too.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/API/Admin/assessments")).StatusCode);

        using var forged = server.Staff(StaffStore.NewKey());
        var unknown = await forged.GetAsync("/api/admin/me");
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal("Staff key not accepted", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());

        var (candidate, _) = await server.NewCandidateAsync();
        using (candidate)
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await candidate.GetAsync("/api/admin/me")).StatusCode);
        }
    }

    [PostgresFact]
    public async Task Only_the_keys_hash_is_stored_and_no_table_holds_the_key()
    {
        using var admin = server.Admin();
        var name = "hash-check-" + Guid.NewGuid().ToString("N")[..8];
        var created = await admin.PostAsJsonAsync("/api/admin/users", new { name, role = "proctor" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        Assert.Matches("^bh_[A-Za-z0-9_-]{43}$", key);
        using (var proctor = server.Staff(key))
        {
            Assert.Equal(HttpStatusCode.OK, (await proctor.GetAsync("/api/admin/me")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await proctor.GetAsync($"/api/admin/sessions/{Guid.NewGuid()}/report")).StatusCode);
        }
        var listed = string.Join('\n', (await BugHuntServer.AllItemsAsync(admin, "/api/admin/users")).Select(u => u.GetRawText()));
        Assert.Contains(name, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(key, listed, StringComparison.Ordinal);

        await using var connection = await server.Db.OpenConnectionAsync();
        var stored = await connection.QuerySingleAsync<string>("SELECT key_hash FROM staff_users WHERE name = @name", new { name });
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key))), stored);
        Assert.NotEqual(key, stored);

        var secret = key["bh_".Length..];
        var columns = (await connection.QueryAsync<(string Table, string Column, string Type)>("""
            SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
            WHERE c.table_schema = 'public' AND c.data_type IN ('text', 'character varying', 'json', 'jsonb', 'bytea')
            """)).ToList();
        Assert.Contains(columns, c => c.Table == "staff_users" && c.Column == "key_hash");
        Assert.Contains(columns, c => c.Table == "audit_log" && c.Column == "detail");
        foreach (var (table, column, type) in columns)
        {
            var found = type == "bytea" ? $"position(convert_to(@secret, 'UTF8') IN \"{column}\")" : $"position(@secret IN \"{column}\"::text)";
            var holds = await connection.QuerySingleAsync<long>($"SELECT count(*) FROM \"{table}\" WHERE {found} > 0", new { secret });
            Assert.True(holds == 0, $"{table}.{column} holds the key");
        }
    }

    [PostgresFact]
    public async Task Adding_a_user_refuses_a_bad_role_a_bad_name_and_a_taken_name()
    {
        using var admin = server.Admin();
        var name = "taken-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/admin/users", new { name, role = "recruiter" })).StatusCode);
        var taken = await admin.PostAsJsonAsync("/api/admin/users", new { name = name.ToUpperInvariant(), role = "proctor" });
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Contains($"There is already a user {name}", await taken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var badRole = await admin.PostAsJsonAsync("/api/admin/users", new { name = name + "-2", role = "superuser" });
        Assert.Equal(HttpStatusCode.BadRequest, badRole.StatusCode);
        Assert.Contains("admin, author, recruiter or proctor", await badRole.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/api/admin/users", new { name = "admin (bootstrap key)", role = "admin" })).StatusCode);

        var users = await BugHuntServer.AllItemsAsync(admin, "/api/admin/users");
        var user = Assert.Single(users!, u => u.GetProperty("name").GetString()!.Equals(name, StringComparison.OrdinalIgnoreCase));
        Assert.Equal("recruiter", user.GetProperty("role").GetString());
        Assert.False(user.TryGetProperty("key", out _));
        Assert.False(user.TryGetProperty("key_hash", out _));
    }
}
