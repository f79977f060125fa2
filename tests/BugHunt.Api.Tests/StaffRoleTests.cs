using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using BugHunt.Api.Admin;
using BugHunt.Core.Staff;
using BugHunt.Testing;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
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
        { "GET", "/api/admin/assessments", [Recruiter, Proctor] },
        { "POST", "/api/admin/assessments", [Recruiter] },
        { "GET", "/api/admin/assessments/{id:guid}", [Recruiter, Proctor] },
        { "POST", "/api/admin/assessments/{id:guid}/invites", [Recruiter] },
        { "GET", "/api/admin/assessments/{id:guid}/sessions", [Recruiter, Proctor] },
        { "GET", "/api/admin/assessments/{id:guid}/results.csv", [Recruiter] },
        { "GET", "/api/admin/assessments/{id:guid}/results.json", [Recruiter] },
        { "GET", "/api/admin/sessions/{id:guid}/report", [Recruiter, Proctor] },
        { "GET", "/api/admin/sessions/{id:guid}/snapshots/{snapshot:long}", [Proctor] },
        { "GET", "/api/admin/assessments/{id:guid}/levels/{position:int}/similarity", [Proctor] },
        { "GET", "/api/admin/assessments/{id:guid}/levels/{position:int}/fixes", [Proctor] },
        { "GET", "/api/admin/catalogue", [Author, Recruiter] },
        { "POST", "/api/admin/assessments/{id:guid}/invites/bulk", [Recruiter] },
        { "POST", "/api/admin/sessions/{id:guid}/extra-time", [Recruiter, Proctor] },
        { "GET", "/api/admin/me", [Admin, Author, Recruiter, Proctor] },
        { "GET", "/api/admin/users", [Admin] },
        { "POST", "/api/admin/users", [Admin] },
        { "DELETE", "/api/admin/users/{name}", [Admin] },
        { "GET", "/api/admin/audit", [Admin] },
        { "POST", "/api/admin/packs", [Author] },
        { "GET", "/api/admin/packs", [Author] },
        { "GET", "/api/admin/packs/validations", [Author] },
        { "GET", "/api/admin/packs/validations/{id:guid}", [Author] },
        { "GET", "/api/admin/packs/validations/{id:guid}/events", [Author] },
        { "POST", "/api/admin/packs/validations/{id:guid}/publish", [Author] },
        { "GET", "/api/admin/packs/{id}", [Author] },
        { "GET", "/api/admin/challenges/{pack}/{id}/versions/{version:guid}", [Author] },
        { "POST", "/api/admin/rejudges", [Author] },
        { "GET", "/api/admin/rejudges", [Author, Recruiter] },
        { "GET", "/api/admin/rejudges/{id:guid}", [Author, Recruiter] },
        { "POST", "/api/admin/rejudges/{id:guid}/apply", [Recruiter] },
        { "POST", "/api/admin/rejudges/{id:guid}/discard", [Recruiter] },
        { "POST", "/api/admin/webhooks", [Recruiter] },
        { "GET", "/api/admin/webhooks", [Recruiter] },
        { "GET", "/api/admin/webhooks/{id:guid}", [Recruiter] },
        { "DELETE", "/api/admin/webhooks/{id:guid}", [Recruiter] },
        { "POST", "/api/admin/webhooks/{id:guid}/secret", [Recruiter] },
        { "GET", "/api/admin/webhooks/{id:guid}/deliveries", [Recruiter] },
        { "GET", "/api/admin/webhooks/{id:guid}/deliveries/{delivery:guid}", [Recruiter] },
        { "POST", "/api/admin/webhooks/{id:guid}/deliveries/{delivery:guid}/redeliver", [Recruiter] },
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

    [PostgresFact]
    public async Task The_API_reference_names_each_staff_operations_roles()
    {
        using var anonymous = server.Client();
        var paths = (await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("paths");
        string Description(string path, string method) => paths.GetProperty(path).GetProperty(method).GetProperty("description").GetString()!;
        Assert.Equal("Staff roles: proctor, and admin.", Description("/api/admin/sessions/{id}/snapshots/{snapshot}", "get"));
        Assert.Equal("Staff roles: recruiter, proctor, and admin.", Description("/api/admin/sessions/{id}/report", "get"));
        Assert.Equal("Staff role: admin.", Description("/api/admin/audit", "get"));
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
                    // A body of the type the endpoint takes, so that routing picks the endpoint and not its 415.
                    var type = endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes.FirstOrDefault() ?? "application/json";
                    request.Content = type.Contains("json", StringComparison.Ordinal) ? JsonContent.Create(new { }) : new ByteArrayContent([]);
                    request.Content.Headers.ContentType = new(type);
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
    public async Task Author_and_recruiter_cannot_fetch_a_snapshot_and_a_proctor_can()
    {
        var (sessionId, snapshot, png) = await server.ProctoredSnapshotAsync();
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
        using var anonymous = ContractCheck.Client(address);

        var refused = await recruiter.GetAsync("/api/admin/undeclared");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.StartsWith("This needs the admin role", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("admins only", await admin.GetStringAsync("/api/admin/undeclared"));
        // Routing's own answers (here 405 for the method) come after sign-in, to any staff member.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync("/api/admin/undeclared")).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await recruiter.DeleteAsync("/api/admin/undeclared")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await recruiter.GetAsync("/api/admin/no-such-endpoint")).StatusCode);

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

}
