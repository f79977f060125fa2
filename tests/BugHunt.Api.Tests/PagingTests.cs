using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BugHunt.Testing;
using Dapper;
using Xunit;

namespace BugHunt.Api.Tests;

/// <summary>Cursor paging as every list endpoint does it: whole walks, limits, cursors that are not the list's.</summary>
[Collection(ServerCollection.Name)]
public sealed class PagingTests(BugHuntServer server)
{
    [PostgresFact]
    public async Task Walking_a_list_page_by_page_gives_every_item_once_in_order_even_with_inserts_meanwhile()
    {
        var (candidate, session) = await server.NewCandidateAsync();
        var made = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            made.Add(await InsertRunAsync(session, DateTime.UtcNow.AddMinutes(-10 + i)));
        }

        var first = await candidate.GetFromJsonAsync<JsonElement>("/api/session/submissions?limit=2");
        var seen = Ids(first);
        Assert.Equal(made[..2], seen);
        // A row added while the client pages arrives once, at its place in the order.
        made.Add(await InsertRunAsync(session, DateTime.UtcNow));
        var cursor = first.GetProperty("next_cursor").GetString();
        while (cursor is not null)
        {
            var page = await candidate.GetFromJsonAsync<JsonElement>($"/api/session/submissions?limit=2&cursor={Uri.EscapeDataString(cursor)}");
            Assert.InRange(page.GetProperty("items").GetArrayLength(), 1, 2);
            seen.AddRange(Ids(page));
            cursor = page.GetProperty("next_cursor").GetString();
        }
        Assert.Equal(made, seen);
    }

    [PostgresFact]
    public async Task Assessments_page_newest_first_without_repeats()
    {
        var ours = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ours.Add(await server.CreateAssessmentAsync());
        }
        using var admin = server.Admin();
        var all = (await BugHuntServer.AllItemsAsync(admin, "/api/admin/assessments", limit: 1)).Select(a => a.GetProperty("id").GetGuid()).ToList();

        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(Enumerable.Reverse(ours), all.Where(ours.Contains));
    }

    [PostgresTheory]
    [InlineData("limit=0")]
    [InlineData("limit=201")]
    [InlineData("limit=ten")]
    [InlineData("limit=-1")]
    public async Task Limit_out_of_range_gets_400_naming_it(string query)
    {
        var (candidate, _) = await server.NewCandidateAsync();
        var problem = await ProblemAsync(await candidate.GetAsync($"/api/session/submissions?{query}"));
        Assert.Equal("limit", problem.GetProperty("parameter").GetString());
        Assert.Contains("1 to 200", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Largest_limit_is_accepted()
    {
        using var admin = server.Admin();
        var page = await admin.GetFromJsonAsync<JsonElement>("/api/admin/assessments?limit=200");
        Assert.InRange(page.GetProperty("items").GetArrayLength(), 0, 200);
    }

    [PostgresFact]
    public async Task Cursor_that_is_garbage_tampered_or_another_lists_gets_400()
    {
        await server.CreateAssessmentAsync();
        await server.CreateAssessmentAsync();
        using var admin = server.Admin();
        var cursor = (await admin.GetFromJsonAsync<JsonElement>("/api/admin/assessments?limit=1")).GetProperty("next_cursor").GetString()!;
        var decoded = Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(cursor));
        string Encode(string json) => System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

        var bad = new[]
        {
            "not a cursor!",
            cursor[..^3],
            Encode(decoded.Replace("\"assessments\"", "\"staff-users\"", StringComparison.Ordinal)),
            Encode(System.Text.RegularExpressions.Regex.Replace(decoded, "\"S\":\"[^\"]*\"", "\"S\":\"yesterday'; DROP TABLE assessments; --\"")),
            Encode("[1, 2, 3]"),
        };
        foreach (var tampered in bad)
        {
            var problem = await ProblemAsync(await admin.GetAsync($"/api/admin/assessments?cursor={Uri.EscapeDataString(tampered)}"));
            Assert.Equal("cursor", problem.GetProperty("parameter").GetString());
        }
        // A list's own cursor does not open another list.
        var users = await admin.GetAsync($"/api/admin/users?cursor={Uri.EscapeDataString(cursor)}");
        Assert.Equal(HttpStatusCode.BadRequest, users.StatusCode);
    }

    [PostgresFact]
    public async Task Every_list_answers_a_page_and_refuses_a_bad_limit()
    {
        var assessment = await server.CreateAssessmentAsync();
        await server.OpenAsync(await server.InviteAsync(assessment));
        using var admin = server.Admin();
        foreach (var list in new[]
        {
            "/api/admin/assessments", $"/api/admin/assessments/{assessment}/sessions", "/api/admin/users", "/api/admin/audit",
            "/api/admin/catalogue", "/api/admin/packs", "/api/admin/packs/validations", "/api/admin/rejudges",
        })
        {
            var page = await admin.GetFromJsonAsync<JsonElement>($"{list}?limit=1");
            Assert.True(page.GetProperty("items").GetArrayLength() <= 1, list);
            Assert.True(page.TryGetProperty("next_cursor", out _), list);
            Assert.Equal("limit", (await ProblemAsync(await admin.GetAsync($"{list}?limit=500"))).GetProperty("parameter").GetString());
        }
    }

    private static List<Guid> Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetGuid())];

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<Guid> InsertRunAsync(Guid session, DateTime createdAt)
    {
        var id = Guid.NewGuid();
        await using var connection = await server.Db.OpenConnectionAsync();
        // Finished already, so no grader takes it.
        await connection.ExecuteAsync("""
            INSERT INTO submissions (id, session_id, challenge_version_id, level_position, kind, files, status, attempts, created_at, finished_at, verdict, score)
            VALUES (@id, @session, @version, 1, 'run', '{}', 'done', 1, @createdAt, @createdAt, 'compile_error', 0)
            """, new { id, session, version = server.AttentionVersion, createdAt });
        return id;
    }
}
