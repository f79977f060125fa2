using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace BugHunt.Cli;

/// <summary>
/// A simulated candidate of the measuring commands (load, chaos): opens a session on an invite,
/// starts it and submits as a browser would, honouring Retry-After. Every answer that is not a
/// success is reported to <see cref="OnError"/> ("503 Retry-After", "no answer"), so a command can
/// show what candidates met.
/// </summary>
internal sealed class CandidateClient(Uri api, int attempts, Action<string>? onError = null)
{
    public Action<string>? OnError { get; } = onError;

    /// <summary>A client holding a started session's token.</summary>
    public async Task<HttpClient> StartSessionAsync(string invite, CancellationToken ct)
    {
        var opened = await RetryAsync(http => http.PostAsync($"/api/invites/{invite}/sessions", null, ct), ct)
            ?? throw new InvalidOperationException("the API did not open a session");
        var token = (await opened.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("token").GetString();
        var client = Client();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        using var started = await RetryAsync(_ => client.PostAsync("/api/session/start", null, ct), ct)
            ?? throw new InvalidOperationException("the API did not start a session");
        return client;
    }

    /// <summary>Submits with an idempotency key, retrying on 503/429/no answer; the submission's id, or null if refused for good.</summary>
    public async Task<Guid?> SubmitAsync(HttpClient candidate, int level, IReadOnlyDictionary<string, string> files, string key, CancellationToken ct)
    {
        using var response = await RetryAsync(_ =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/session/levels/{level}/submissions") { Content = JsonContent.Create(new { files }) };
            request.Headers.Add("Idempotency-Key", key);
            return candidate.SendAsync(request, ct);
        }, ct);
        return response is null ? null : (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();
    }

    /// <summary>The items of a list response: a bare JSON array, or a page as {"items": [...], "next_cursor": ...}.</summary>
    public static IEnumerable<JsonElement> Items(JsonElement list) =>
        list.ValueKind == JsonValueKind.Array ? list.EnumerateArray() : list.GetProperty("items").EnumerateArray();

    public HttpClient Client() => new() { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The successful response, or null when refused for good (any status but 503/429) or after the attempts run out.</summary>
    private async Task<HttpResponseMessage?> RetryAsync(Func<HttpClient, Task<HttpResponseMessage>> send, CancellationToken ct)
    {
        using var anonymous = Client();
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            try
            {
                var response = await send(anonymous);
                if (response.IsSuccessStatusCode)
                {
                    return response;
                }
                var status = (int)response.StatusCode;
                var retryAfter = response.Headers.RetryAfter?.Delta;
                OnError?.Invoke(retryAfter is null ? $"{status} without Retry-After" : $"{status} with Retry-After");
                response.Dispose();
                if (status is not (429 or 503))
                {
                    return null;
                }
                await Task.Delay(retryAfter ?? TimeSpan.FromSeconds(1), ct);
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
            {
                OnError?.Invoke("no answer (connection refused or reset, or timed out)");
                await Task.Delay(500, ct);
            }
        }
        return null;
    }

    /// <summary>Waits until every id has its verdict; returns how many never got one (lost). Database outages are waited out.</summary>
    public static async Task<long> WaitDoneAsync(NpgsqlDataSource db, Guid[] ids, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                await using var connection = await db.OpenConnectionAsync(ct);
                var pending = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM submissions WHERE id = ANY(@ids) AND status <> 'done'", new { ids });
                var missing = ids.Length - await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM submissions WHERE id = ANY(@ids)", new { ids });
                if (pending == 0 || DateTime.UtcNow > deadline)
                {
                    return pending + missing;
                }
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
            }
            await Task.Delay(250, ct);
        }
    }
}
