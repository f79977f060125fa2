using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BugHunt.Api.Admin;
using BugHunt.Api.Submissions;
using BugHunt.Core.Database;
using BugHunt.Core.Grading;
using BugHunt.Core.Submissions;
using BugHunt.Testing;
using Dapper;
using Microsoft.Extensions.Logging;
using Xunit;

namespace BugHunt.Api.Tests;

/// <summary>
/// The submission stream read as a standard client reads it, with a raw HttpClient: ids, retry,
/// heartbeats, resuming, the end, and stream tickets. Submissions are written straight into the
/// database with a lease held by a grader that does not exist, so each state lasts as long as the
/// test needs and no sandbox is involved.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class SubmissionStreamTests(BugHuntServer server)
{
    private const string Owner = "stream-tests (no such grader)";

    private static readonly Verdict WrongAnswer = new(VerdictKind.WrongAnswer, 0.5, "1 of 2 tests passed", [], [], "", false, new Timings(1, 2, 1234, new Dictionary<string, double>()));

    [PostgresFact]
    public async Task Stream_opens_with_retry_gives_every_event_an_id_and_ends_with_done()
    {
        var (candidate, session) = await server.NewCandidateAsync();
        var id = await InsertAsync(session, SubmissionStatus.Done);

        using var response = await candidate.GetAsync($"/api/session/submissions/{id}/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Equal("no", response.Headers.GetValues("X-Accel-Buffering").Single());
        var body = await response.Content.ReadAsStringAsync();

        Assert.StartsWith("retry: 2000\n\n", body, StringComparison.Ordinal);
        var events = Parse(body);
        Assert.Equal(["submission", "done"], events.Select(e => e.Event));
        Assert.All(events, e => Assert.False(string.IsNullOrEmpty(e.Id)));
        Assert.Equal(events[0].Id, events[1].Id);
        var view = JsonDocument.Parse(events[0].Data).RootElement;
        Assert.Equal(("done", "wrong_answer"), (view.GetProperty("status").GetString(), view.GetProperty("verdict").GetString()));
        Assert.Equal("wrong_answer", JsonDocument.Parse(events[1].Data).RootElement.GetProperty("verdict").GetString());
    }

    [PostgresFact]
    public async Task Heartbeat_comments_keep_a_long_run_open()
    {
        var (candidate, session) = await server.NewCandidateAsync();
        var id = await InsertAsync(session, SubmissionStatus.Running);

        using var response = await candidate.GetAsync($"/api/session/submissions/{id}/events", HttpCompletionOption.ResponseHeadersRead);
        var lines = await ReadLinesAsync(await ReaderAsync(response), (l, _) => l == ": keepalive", TimeSpan.FromSeconds(20));

        Assert.Contains("event: submission", lines);
        Assert.Equal(": keepalive", lines[^1]);
    }

    [PostgresFact]
    public async Task Resuming_with_Last_Event_ID_sends_only_what_is_newer_and_waits_when_nothing_is()
    {
        var (candidate, session) = await server.NewCandidateAsync();
        var id = await InsertAsync(session, SubmissionStatus.Running);
        string running;
        using (var first = await candidate.GetAsync($"/api/session/submissions/{id}/events", HttpCompletionOption.ResponseHeadersRead))
        {
            running = Parse(string.Join('\n', await ReadLinesAsync(await ReaderAsync(first), (l, all) => l.Length == 0 && all.Contains("event: submission"), TimeSpan.FromSeconds(20))) + "\n")[0].Id!;
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/session/submissions/{id}/events");
        request.Headers.Add("Last-Event-ID", running);
        using var resumed = await candidate.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        var stream = await ReaderAsync(resumed);
        // Nothing changed: only heartbeats, not the state the client has.
        var quiet = await ReadLinesAsync(stream, (l, all) => all.Count(x => x == ": keepalive") == 2, TimeSpan.FromSeconds(20));
        Assert.DoesNotContain(quiet, l => l.StartsWith("event:", StringComparison.Ordinal));

        Assert.True(await new SubmissionStore(server.Db, TimeProvider.System).CompleteAsync(id, Owner, WrongAnswer, CancellationToken.None));
        var rest = Parse(string.Join('\n', await ReadLinesAsync(stream, (l, all) => l.Length == 0 && all.Contains("event: done"), TimeSpan.FromSeconds(20))) + "\n");
        Assert.Equal(["submission", "done"], rest.Select(e => e.Event));
        Assert.True(long.Parse(rest[0].Id!) > long.Parse(running));
        Assert.Equal("done", JsonDocument.Parse(rest[0].Data).RootElement.GetProperty("status").GetString());
    }

    [PostgresFact]
    public async Task Reconnecting_after_the_end_gets_204_so_an_EventSource_stops()
    {
        var (candidate, session) = await server.NewCandidateAsync();
        var id = await InsertAsync(session, SubmissionStatus.Done);
        var end = Parse(await candidate.GetStringAsync($"/api/session/submissions/{id}/events"))[^1].Id!;

        Assert.Equal(HttpStatusCode.NoContent, (await ResumeAsync(candidate, id, end)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await ResumeAsync(candidate, id, (long.Parse(end) + 7).ToString())).StatusCode);
        // A client that saw less gets the end again.
        var behind = await ResumeAsync(candidate, id, "5");
        Assert.Equal(HttpStatusCode.OK, behind.StatusCode);
        Assert.Equal(["submission", "done"], Parse(await behind.Content.ReadAsStringAsync()).Select(e => e.Event));
    }

    [PostgresFact]
    public async Task Ticket_opens_its_submissions_stream_without_the_session_token()
    {
        var (candidate, session) = await server.NewCandidateAsync();
        var id = await InsertAsync(session, SubmissionStatus.Done);
        var ticket = await TicketAsync(candidate, id);
        Assert.True(ticket.GetProperty("expires_at").GetDateTimeOffset() - server.Clock.GetUtcNow() is { TotalMinutes: > 4 and <= 5.1 });

        using var anonymous = server.Client();
        var response = await anonymous.GetAsync($"/api/session/submissions/{id}/events?ticket={Uri.EscapeDataString(ticket.GetProperty("ticket").GetString()!)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["submission", "done"], Parse(await response.Content.ReadAsStringAsync()).Select(e => e.Event));
    }

    [PostgresFact]
    public async Task Expired_forged_foreign_and_other_submissions_tickets_get_401()
    {
        var (alice, aliceSession) = await server.NewCandidateAsync();
        var (bob, bobSession) = await server.NewCandidateAsync();
        var aliceRun = await InsertAsync(aliceSession, SubmissionStatus.Done);
        var aliceOther = await InsertAsync(aliceSession, SubmissionStatus.Done);
        var bobRun = await InsertAsync(bobSession, SubmissionStatus.Done);
        var ticket = (await TicketAsync(alice, aliceRun)).GetProperty("ticket").GetString()!;
        var expired = new StreamTickets(new AdminOptions { Key = BugHuntServer.AdminKey }, new ShiftedClock(server.Clock, -StreamTickets.Lifetime - TimeSpan.FromSeconds(5))).Issue(aliceSession, aliceRun).Ticket;
        var forged = new StreamTickets(new AdminOptions { Key = "another-installations-key-0123456789" }, TimeProvider.System).Issue(aliceSession, aliceRun).Ticket;

        await AssertRefusedAsync(aliceRun, expired, "expired");
        await AssertRefusedAsync(aliceRun, forged, "not valid");
        await AssertRefusedAsync(aliceRun, ticket[..^2] + (ticket[^2] == 'A' ? "BA" : "AA"), "not valid");
        await AssertRefusedAsync(aliceOther, ticket, "another submission");
        await AssertRefusedAsync(bobRun, ticket, "another submission");
        // Nor does Bob's own token make Alice's ticket work on his submission.
        var withBob = await bob.GetAsync($"/api/session/submissions/{aliceRun}/events?ticket={Uri.EscapeDataString(ticket)}");
        Assert.Equal(HttpStatusCode.NotFound, withBob.StatusCode);
    }

    [PostgresFact]
    public async Task Stream_opened_with_a_ticket_ends_when_the_ticket_expires()
    {
        var (_, session) = await server.NewCandidateAsync();
        var id = await InsertAsync(session, SubmissionStatus.Running);
        // Issued almost a lifetime ago: two seconds left.
        var ticket = new StreamTickets(new AdminOptions { Key = BugHuntServer.AdminKey }, new ShiftedClock(server.Clock, TimeSpan.FromSeconds(2) - StreamTickets.Lifetime)).Issue(session, id).Ticket;
        using var anonymous = server.Client();

        using var response = await anonymous.GetAsync($"/api/session/submissions/{id}/events?ticket={Uri.EscapeDataString(ticket)}", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var body = await response.Content.ReadAsStringAsync(cts.Token);

        Assert.Equal(["submission"], Parse(body).Select(e => e.Event));
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/session/submissions/{id}/events?ticket={Uri.EscapeDataString(ticket)}")).StatusCode);
    }

    [PostgresFact]
    public async Task Finishing_the_session_revokes_its_tickets()
    {
        var (candidate, session) = await server.NewCandidateAsync();
        var id = await InsertAsync(session, SubmissionStatus.Done);
        var ticket = (await TicketAsync(candidate, id)).GetProperty("ticket").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await candidate.PostAsync("/api/session/finish", null)).StatusCode);

        await AssertRefusedAsync(id, ticket, "finished");
        var refused = await candidate.PostAsync($"/api/session/submissions/{id}/stream-ticket", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
    }

    [PostgresFact]
    public async Task Ticket_opens_nothing_but_its_stream()
    {
        var (candidate, session) = await server.NewCandidateAsync();
        var id = await InsertAsync(session, SubmissionStatus.Done);
        var ticket = (await TicketAsync(candidate, id)).GetProperty("ticket").GetString()!;
        using var anonymous = server.Client();
        var query = $"?ticket={Uri.EscapeDataString(ticket)}";

        foreach (var path in new[] { $"/api/session/submissions/{id}", "/api/session/submissions", "/api/session", "/api/session/levels/1" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path + query)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync($"/api/session/submissions/{id}/stream-ticket{query}", null)).StatusCode);
        using var bearer = server.Client(ticket);
        Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.GetAsync($"/api/session/submissions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.GetAsync($"/api/session/submissions/{id}/events")).StatusCode);
        using var staff = server.Staff(ticket);
        Assert.Equal(HttpStatusCode.Unauthorized, (await staff.GetAsync("/api/admin/me")).StatusCode);
    }

    [PostgresFact]
    public async Task Ticket_in_the_URL_is_not_written_to_the_logs()
    {
        var logged = new LogLines();
        var (api, address) = await server.StartApiAsync(new SubmissionRules(), configure: b =>
        {
            b.Logging.SetMinimumLevel(LogLevel.Trace);
            b.Logging.AddProvider(logged);
        });
        await using var ownApi = api;
        var (opened, session) = await server.NewCandidateAsync();
        using var candidate = BugHuntServer.Rebase(opened, address);
        var id = await InsertAsync(session, SubmissionStatus.Done);
        var ticket = (await TicketAsync(candidate, id)).GetProperty("ticket").GetString()!;
        using var anonymous = new HttpClient { BaseAddress = address };

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/api/session/submissions/{id}/events?ticket={Uri.EscapeDataString(ticket)}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/session/submissions/{Guid.NewGuid()}/events?ticket={Uri.EscapeDataString(ticket)}")).StatusCode);

        Assert.Contains(logged.Lines, l => l.Contains("/events", StringComparison.Ordinal));
        Assert.DoesNotContain(logged.Lines, l => l.Contains(ticket, StringComparison.Ordinal) || l.Contains(Uri.EscapeDataString(ticket), StringComparison.Ordinal));
    }

    /// <summary>Every line any logger of the API writes.</summary>
    private sealed class LogLines : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Enqueue(formatter(state, exception) + " " + exception);

        public void Dispose()
        {
        }
    }

    private async Task AssertRefusedAsync(Guid submission, string ticket, string reason)
    {
        using var anonymous = server.Client();
        var response = await anonymous.GetAsync($"/api/session/submissions/{submission}/events?ticket={Uri.EscapeDataString(ticket)}");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains(reason, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> TicketAsync(HttpClient candidate, Guid id)
    {
        var response = await candidate.PostAsync($"/api/session/submissions/{id}/stream-ticket", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<HttpResponseMessage> ResumeAsync(HttpClient candidate, Guid id, string lastEventId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/session/submissions/{id}/events");
        request.Headers.Add("Last-Event-ID", lastEventId);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        return await candidate.SendAsync(request);
    }

    /// <summary>A run of level 1 in the given state; a running or queued one is leased to a grader that never comes.</summary>
    private async Task<Guid> InsertAsync(Guid session, SubmissionStatus status)
    {
        var id = Guid.NewGuid();
        var done = status == SubmissionStatus.Done;
        await using var connection = await server.Db.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO submissions (id, session_id, challenge_version_id, level_position, kind, files, status, attempts, lease_owner, lease_expires_at,
                                     created_at, started_at, finished_at, verdict, score, result)
            VALUES (@id, @session, @version, 1, 'run', '{}', @status, 1, @owner, now() + interval '1 hour',
                    now(), now(), @finished, @verdict, @score, @result::jsonb)
            """, new
        {
            id,
            session,
            version = server.AttentionVersion,
            status = status.ToString().ToLowerInvariant(),
            owner = done ? null : Owner,
            finished = done ? DateTime.UtcNow : (DateTime?)null,
            verdict = done ? VerdictKinds.Name(WrongAnswer.Kind) : null,
            score = done ? WrongAnswer.Score : (double?)null,
            result = done ? JsonSerializer.Serialize(WrongAnswer, BugHuntDatabase.Json) : null,
        });
        return id;
    }

    private sealed record SseEvent(string? Id, string Event, string Data);

    /// <summary>The events of a stream's text, as the HTML standard's parser dispatches them (comments and retry are not events).</summary>
    private static List<SseEvent> Parse(string body)
    {
        var events = new List<SseEvent>();
        string? id = null, type = null, data = null;
        foreach (var line in body.Split('\n'))
        {
            if (line.Length == 0)
            {
                if (data is not null)
                {
                    events.Add(new SseEvent(id, type ?? "message", data));
                }
                (type, data) = (null, null);
                continue;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon == 0)
            {
                continue;
            }
            var (field, value) = colon < 0 ? (line, "") : (line[..colon], line[(colon + 1)..].TrimStart(' '));
            switch (field)
            {
                case "id": id = value; break;
                case "event": type = value; break;
                case "data": data = data is null ? value : data + "\n" + value; break;
            }
        }
        return events;
    }

    /// <summary>Reads the stream's lines until <paramref name="enough"/> says so (given the line and all so far), failing after <paramref name="timeout"/>.</summary>
    private static async Task<StreamReader> ReaderAsync(HttpResponseMessage response) => new(await response.Content.ReadAsStreamAsync());

    private static async Task<List<string>> ReadLinesAsync(StreamReader reader, Func<string, List<string>, bool> enough, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var lines = new List<string>();
        while (await reader.ReadLineAsync(cts.Token) is { } line)
        {
            lines.Add(line);
            if (enough(line, lines))
            {
                return lines;
            }
        }
        throw new InvalidOperationException("the stream ended early: " + string.Join(" | ", lines));
    }

    /// <summary>The API's clock (which other tests move forward) shifted by <paramref name="by"/>.</summary>
    private sealed class ShiftedClock(TimeProvider server, TimeSpan by) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => server.GetUtcNow() + by;
    }
}
