using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BugHunt.Core.Submissions;
using BugHunt.Testing;
using Dapper;
using Xunit;

namespace BugHunt.Api.Tests;

/// <summary>An Idempotency-Key stands for one request: a retry gets the first submission, another request is refused.</summary>
[Collection(ServerCollection.Name)]
public sealed class IdempotencyKeyTests(BugHuntServer server)
{
    private static readonly Dictionary<string, string> Broken = new() { ["Attention.cs"] = "this does not compile" };

    private static async Task<HttpResponseMessage> SendAsync(HttpClient candidate, string key, object files, int level = 1, string kind = "submissions")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/session/levels/{level}/{kind}") { Content = JsonContent.Create(new { files }) };
        request.Headers.Add("Idempotency-Key", key);
        return await candidate.SendAsync(request);
    }

    private Task<int> CountAsync(Guid sessionId) => new SubmissionStore(server.Db, TimeProvider.System).CountForSessionAsync(sessionId, CancellationToken.None);

    private static async Task<Guid> AcceptedIdAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<string> RefusedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
    }

    [PostgresFact]
    public async Task Identical_replay_returns_the_first_submission_however_its_JSON_is_spelled()
    {
        var (candidate, sessionId) = await server.NewCandidateAsync();
        using var _ = candidate;
        var key = "same-" + Guid.NewGuid().ToString("N");
        var first = await AcceptedIdAsync(await SendAsync(candidate, key, Broken));

        // The same files written in another JSON form (whitespace, escapes) are the same request.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/session/levels/1/submissions")
        {
            Content = new StringContent("{ \"files\" : { \"Attention.cs\" : \"this does not \\u0063ompile\" } }", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", key);
        Assert.Equal(first, await AcceptedIdAsync(await candidate.SendAsync(request)));
        Assert.Equal(first, await AcceptedIdAsync(await SendAsync(candidate, key, Broken)));
        Assert.Equal(1, await CountAsync(sessionId));
    }

    [PostgresFact]
    public async Task Identical_replay_of_a_run_returns_the_first_run()
    {
        var (candidate, sessionId) = await server.NewCandidateAsync();
        using var _ = candidate;
        var key = "run-" + Guid.NewGuid().ToString("N");

        var first = await AcceptedIdAsync(await SendAsync(candidate, key, Broken, kind: "runs"));

        Assert.Equal(first, await AcceptedIdAsync(await SendAsync(candidate, key, Broken, kind: "runs")));
        Assert.Equal(1, await CountAsync(sessionId));
    }

    [PostgresFact]
    public async Task Replay_with_other_files_is_refused_with_422_and_stores_nothing()
    {
        var (candidate, sessionId) = await server.NewCandidateAsync();
        using var _ = candidate;
        var key = "files-" + Guid.NewGuid().ToString("N");
        await AcceptedIdAsync(await SendAsync(candidate, key, Broken));

        var detail = await RefusedAsync(await SendAsync(candidate, key, new Dictionary<string, string> { ["Attention.cs"] = "my better fix" }));

        Assert.Contains($"Idempotency-Key '{key}' was already used for a different request: other files", detail, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync(sessionId));
    }

    [PostgresFact]
    public async Task Replay_on_another_level_is_refused_with_422_and_stores_nothing()
    {
        var assessment = await server.CreateAssessmentAsync(new
        {
            name = "two levels " + Guid.NewGuid().ToString("N")[..6],
            levels = new[] { new { pack = "lab-screen", challenge = "causal-attention" }, new { pack = "lab-screen", challenge = "numerics-warmup" } },
        });
        var (candidate, sessionId) = await server.OpenAsync(await server.InviteAsync(assessment));
        using var _ = candidate;
        // As if level 1 were passed: level 2 is open to this candidate.
        await using (var connection = await server.Db.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE session_levels SET state = 'unlocked', unlocked_at = now() WHERE session_id = @sessionId AND position = 2", new { sessionId });
        }
        var key = "level-" + Guid.NewGuid().ToString("N");
        await AcceptedIdAsync(await SendAsync(candidate, key, Broken));

        var detail = await RefusedAsync(await SendAsync(candidate, key, new Dictionary<string, string> { ["Numerics.cs"] = "this does not compile" }, level: 2));

        Assert.Contains("was already used for a different request: other level (it was used on level 1)", detail, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync(sessionId));
    }

    [PostgresFact]
    public async Task Run_and_submission_cannot_share_a_key_and_the_second_stores_nothing()
    {
        var (candidate, sessionId) = await server.NewCandidateAsync();
        using var _ = candidate;
        var key = "kind-" + Guid.NewGuid().ToString("N");
        await AcceptedIdAsync(await SendAsync(candidate, key, Broken, kind: "runs"));

        var detail = await RefusedAsync(await SendAsync(candidate, key, Broken, kind: "submissions"));

        Assert.Contains("was already used for a different request: run vs submission (it was used for a run)", detail, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync(sessionId));
        var attempts = (await candidate.GetFromJsonAsync<JsonElement>("/api/session")).GetProperty("levels")[0].GetProperty("attempts").GetInt32();
        Assert.Equal(0, attempts);
    }
}
