using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using BugHunt.Api.Admin;
using BugHunt.Core.Staff;
using BugHunt.Testing;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace BugHunt.Api.Tests;

/// <summary>Who may call which staff endpoint: every endpoint declares its roles, and the API holds to them.</summary>
[Collection(ServerCollection.Name)]
public sealed partial class StaffRoleTests(BugHuntServer server)
{
    private const StaffRole Admin = StaffRole.Admin, Author = StaffRole.Author, Recruiter = StaffRole.Recruiter, Proctor = StaffRole.Proctor;

    /// <summary>The role map of the staff API as the product defines it (admin passes everywhere).</summary>
    public static readonly TheoryData<string, string, StaffRole[]> RoleMap = new()
    {
        { "GET", "/api/admin/assessments", [Recruiter] },
        { "POST", "/api/admin/assessments", [Recruiter] },
        { "GET", "/api/admin/assessments/{id:guid}", [Recruiter] },
        { "POST", "/api/admin/assessments/{id:guid}/invites", [Recruiter] },
        { "GET", "/api/admin/assessments/{id:guid}/sessions", [Recruiter, Proctor] },
        { "GET", "/api/admin/assessments/{id:guid}/results.csv", [Recruiter] },
        { "GET", "/api/admin/assessments/{id:guid}/results.json", [Recruiter] },
        { "GET", "/api/admin/sessions/{id:guid}/report", [Recruiter, Proctor] },
        { "GET", "/api/admin/sessions/{id:guid}/snapshots/{snapshot:long}", [Proctor] },
        { "GET", "/api/admin/assessments/{id:guid}/levels/{position:int}/similarity", [Proctor] },
        { "GET", "/api/admin/assessments/{id:guid}/levels/{position:int}/fixes", [Proctor] },
        { "GET", "/api/admin/me", [Admin, Author, Recruiter, Proctor] },
        { "GET", "/api/admin/users", [Admin] },
        { "POST", "/api/admin/users", [Admin] },
        { "DELETE", "/api/admin/users/{name}", [Admin] },
        { "GET", "/api/admin/audit", [Admin] },
    };

    private List<(string Method, RouteEndpoint Endpoint)> StaffEndpoints() =>
        [.. server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => StaffAuth.IsStaffRoute(e.RoutePattern.RawText ?? ""))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, e)))];

    private static IReadOnlyList<StaffRole>? Declared(Endpoint endpoint) => endpoint.Metadata.GetMetadata<StaffRolesMetadata>()?.Roles;

    [PostgresFact]
    public void Every_admin_endpoint_declares_the_roles_it_admits()
    {
        var endpoints = StaffEndpoints();
        Assert.True(endpoints.Count >= RoleMap.Count, $"only {endpoints.Count} staff endpoints found");
        var undeclared = endpoints.Where(e => Declared(e.Endpoint) is not { Count: > 0 }).Select(e => $"{e.Method} {e.Endpoint.RoutePattern.RawText}").ToList();
        Assert.True(undeclared.Count == 0, "these staff endpoints declare no roles (add .RequireStaff(...)): " + string.Join(", ", undeclared));
    }

    [PostgresTheory]
    [MemberData(nameof(RoleMap))]
    public void Endpoint_declares_the_roles_of_the_role_map(string method, string pattern, StaffRole[] roles)
    {
        var endpoint = Assert.Single(StaffEndpoints(), e => e.Method == method && e.Endpoint.RoutePattern.RawText == pattern).Endpoint;
        Assert.Equal(roles.Order(), Declared(endpoint)!.Order());
    }

    [GeneratedRegex(@"\{(?<name>[^}:]+)(:(?<constraint>[^}]+))?\}")]
    private static partial Regex RouteParameter();

    /// <summary>A path for the pattern, with ids that name nothing: a call that passes the gate gets 400 or 404 and changes nothing.</summary>
    private static string SamplePath(string pattern) => RouteParameter().Replace(pattern, m => m.Groups["constraint"].Value switch
    {
        "guid" => Guid.NewGuid().ToString(),
        "int" or "long" => "1",
        _ => "nobody-" + Guid.NewGuid().ToString("N")[..8],
    });

    [PostgresFact]
    public async Task Every_role_on_every_admin_endpoint_gets_through_or_gets_403_naming_the_roles_exactly_as_declared()
    {
        var keys = new List<(StaffRole Role, string Who, string Key)> { (Admin, StaffAuth.Bootstrap.Name, BugHuntServer.AdminKey) };
        foreach (var role in StaffRoles.All)
        {
            var (name, key) = await server.NewStaffAsync(role);
            keys.Add((role, name, key));
        }
        var checkedCalls = 0;
        foreach (var (method, endpoint) in StaffEndpoints())
        {
            var declared = Declared(endpoint) ?? [Admin];
            foreach (var (role, who, key) in keys)
            {
                using var client = server.Staff(key);
                using var request = new HttpRequestMessage(new HttpMethod(method), SamplePath(endpoint.RoutePattern.RawText!));
                if (method is "POST" or "PUT" or "PATCH")
                {
                    request.Content = JsonContent.Create(new { });
                }
                using var response = await client.SendAsync(request);
                var call = $"{method} {endpoint.RoutePattern.RawText} as {who}";
                if (role == Admin || declared.Contains(role))
                {
                    Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{call}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
                else
                {
                    Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{call}: expected 403, got {(int)response.StatusCode}");
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                    var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
                    var needed = declared.Where(r => r != Admin).DefaultIfEmpty(Admin).Select(r => r.Name()).ToList();
                    Assert.Equal(needed, problem.GetProperty("required_roles").EnumerateArray().Select(r => r.GetString()));
                    Assert.Equal(role.Name(), problem.GetProperty("role").GetString());
                    var detail = problem.GetProperty("detail").GetString()!;
                    Assert.All(needed, r => Assert.Contains(r, detail, StringComparison.Ordinal));
                    Assert.Contains($"{who} ({role.Name()})", detail, StringComparison.Ordinal);
                }
                checkedCalls++;
            }
        }
        Assert.True(checkedCalls >= RoleMap.Count * keys.Count);
    }

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
        var (name, key) = await server.NewStaffAsync(Recruiter);
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
        var (name, key) = await server.NewStaffAsync(Proctor);
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
        var listed = await admin.GetStringAsync("/api/admin/users");
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
    public async Task Author_and_recruiter_cannot_fetch_a_snapshot_and_a_proctor_can()
    {
        var (sessionId, snapshot, png) = await SnapshotAsync();
        foreach (var role in new[] { Author, Recruiter })
        {
            var (name, key) = await server.NewStaffAsync(role);
            using var client = server.Staff(key);
            var refused = await client.GetAsync($"/api/admin/sessions/{sessionId}/snapshots/{snapshot}");
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal($"This needs the proctor role; you are signed in as {name} ({role.Name()}).", problem.GetProperty("detail").GetString());
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }
        var (_, proctorKey) = await server.NewStaffAsync(Proctor);
        using var proctor = server.Staff(proctorKey);
        var image = await proctor.GetAsync($"/api/admin/sessions/{sessionId}/snapshots/{snapshot}");
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal(png, await image.Content.ReadAsByteArrayAsync());
    }

    [PostgresFact]
    public async Task Proctor_cannot_create_an_assessment_and_nothing_is_created()
    {
        var (name, key) = await server.NewStaffAsync(Proctor);
        using var proctor = server.Staff(key);
        var title = "proctor's try " + Guid.NewGuid().ToString("N")[..8];
        var refused = await proctor.PostAsJsonAsync("/api/admin/assessments", new
        {
            name = title,
            levels = new[] { new { pack = "lab-screen", challenge = "causal-attention", points = 100 } },
        });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal($"This needs the recruiter role; you are signed in as {name} (proctor).", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        await using var connection = await server.Db.OpenConnectionAsync();
        Assert.Equal(0, await connection.QuerySingleAsync<long>("SELECT count(*) FROM assessments WHERE name = @title", new { title }));
    }

    [PostgresFact]
    public async Task Staff_actions_are_in_the_audit_log_with_actor_time_and_target()
    {
        var (recruiterName, recruiterKey) = await server.NewStaffAsync(Recruiter);
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

        var (sessionId, snapshot, _) = await SnapshotAsync();
        var (proctorName, proctorKey) = await server.NewStaffAsync(Proctor);
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
        var newest = Assert.Single(await AuditAsync($"target=user:{name}&limit=1"));
        Assert.Equal("user.revoke", newest.GetProperty("action").GetString());
        var older = await AuditAsync($"target=user:{name}&before={newest.GetProperty("id").GetInt64()}");
        Assert.Equal("user.add", Assert.Single(older).GetProperty("action").GetString());
    }

    [PostgresFact]
    public async Task An_endpoint_that_declares_no_roles_is_for_admins_only_wherever_it_is_mapped()
    {
        var (app, address) = await server.StartApiAsync(new(), map: app =>
        {
            app.MapGet("/api/admin/undeclared", () => "admins only");
            app.MapGet("/proctors-elsewhere", () => "proctors").RequireStaff(Proctor);
        });
        await using var _ = app;
        var (_, recruiterKey) = await server.NewStaffAsync(Recruiter);
        var (_, adminKey) = await server.NewStaffAsync(Admin);
        var (_, proctorKey) = await server.NewStaffAsync(Proctor);
        using var recruiter = server.Staff(recruiterKey, address);
        using var admin = server.Staff(adminKey, address);
        using var proctor = server.Staff(proctorKey, address);
        using var anonymous = new HttpClient { BaseAddress = address };

        var refused = await recruiter.GetAsync("/api/admin/undeclared");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.StartsWith("This needs the admin role", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("admins only", await admin.GetStringAsync("/api/admin/undeclared"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/proctors-elsewhere")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await recruiter.GetAsync("/proctors-elsewhere")).StatusCode);
        Assert.Equal("proctors", await proctor.GetStringAsync("/proctors-elsewhere"));
    }

    [PostgresFact]
    public async Task Metrics_take_an_admin_users_key_but_no_other_role()
    {
        var (_, adminKey) = await server.NewStaffAsync(Admin);
        var (_, proctorKey) = await server.NewStaffAsync(Proctor);
        using var admin = server.Staff(adminKey);
        using var proctor = server.Staff(proctorKey);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await proctor.GetAsync("/metrics")).StatusCode);
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

        var users = await admin.GetFromJsonAsync<JsonElement[]>("/api/admin/users");
        var user = Assert.Single(users!, u => u.GetProperty("name").GetString()!.Equals(name, StringComparison.OrdinalIgnoreCase));
        Assert.Equal("recruiter", user.GetProperty("role").GetString());
        Assert.False(user.TryGetProperty("key", out _));
        Assert.False(user.TryGetProperty("key_hash", out _));
    }

    private async Task<List<JsonElement>> AuditAsync(string query)
    {
        using var admin = server.Admin();
        return [.. (await admin.GetFromJsonAsync<JsonElement[]>($"/api/admin/audit?{query}"))!];
    }

    /// <summary>A started webcam-proctored session with one snapshot: its id, the snapshot's id and bytes.</summary>
    private async Task<(Guid Session, long Snapshot, byte[] Png)> SnapshotAsync()
    {
        var assessment = await server.CreateAssessmentAsync(new
        {
            name = "proctored " + Guid.NewGuid().ToString("N")[..6],
            levels = new[] { new { pack = "lab-screen", challenge = "causal-attention" } },
            proctoring = new { webcam = true, screen = false },
        });
        var (candidate, sessionId) = await server.OpenAsync(await server.InviteAsync(assessment), start: false);
        using (candidate)
        {
            Assert.Equal(HttpStatusCode.OK, (await candidate.PostAsJsonAsync("/api/session/start", new { consent = new { webcam = true } })).StatusCode);
            byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 7, 7, 7, 7];
            using var content = new ByteArrayContent(png);
            content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            var stored = await candidate.PostAsync("/api/session/snapshots?kind=webcam", content);
            Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
            return (sessionId, (await stored.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64(), png);
        }
    }
}
