using System.Collections.Concurrent;
using BugHunt.Api.Tests;
using BugHunt.Core.Submissions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace BugHunt.Browser.Tests;

/// <summary>
/// The submission stream read by Chromium's own EventSource, as the HTML standard defines it: the
/// page follows a real graded run with a stream ticket, sees its events and done, and after the
/// server ends the stream the browser's one reconnection gets 204 and it stops for good.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class SubmissionStreamInBrowserTests(BugHuntServer server)
{
    [BrowserFact]
    public async Task EventSource_follows_a_graded_run_to_done_and_stops_reconnecting_at_the_204()
    {
        // An API of its own that notes every request for a submission stream and its answer.
        var requests = new ConcurrentQueue<(string? LastEventId, int Status)>();
        var (api, address) = await server.StartApiAsync(new SubmissionRules(), map: app => app.Use(async (http, next) =>
        {
            await next(http);
            if (http.Request.Path.Value?.EndsWith("/events", StringComparison.Ordinal) == true)
            {
                requests.Enqueue((http.Request.Headers["Last-Event-ID"].FirstOrDefault(), http.Response.StatusCode));
            }
        }));
        await using var ownApi = api;
        var (opened, _) = await server.NewCandidateAsync();
        using var candidate = BugHuntServer.Rebase(opened, address);
        var id = await server.SubmitAsync(candidate, new Dictionary<string, string> { ["Attention.cs"] = "this is not C#" }, kind: "runs");

        await using var chromium = await HeadlessChromium.StartAsync();
        using var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var browser = await chromium.ConnectAsync(playwright);
        var page = browser.Contexts[0].Pages[0];
        await page.GotoAsync(new Uri(address, "/proctor").ToString());
        // The page's own EventSource, not closed by the page: what happens after done is the server's doing.
        await page.EvaluateAsync("""
            async ([id, token]) => {
              const response = await fetch(`/api/session/submissions/${id}/stream-ticket`, { method: "POST", headers: { Authorization: `Bearer ${token}` } });
              const { ticket } = await response.json();
              window.seen = [];
              window.source = new EventSource(`/api/session/submissions/${id}/events?ticket=${encodeURIComponent(ticket)}`);
              for (const type of ["submission", "done"]) {
                window.source.addEventListener(type, (e) => window.seen.push({ type, id: e.lastEventId, data: JSON.parse(e.data) }));
              }
            }
            """, new object[] { id.ToString(), opened.DefaultRequestHeaders.Authorization!.Parameter! });

        await page.WaitForFunctionAsync("() => window.seen.some(e => e.type === 'done')", null, new() { Timeout = 180_000 });
        var seen = await page.EvaluateAsync<SeenEvent[]>("() => window.seen.map(e => ({ type: e.type, id: e.id, status: e.data.status, verdict: e.data.verdict ?? null }))");
        Assert.Equal("done", seen[^1].Type);
        Assert.Equal(("submission", "done", "compile_error"), (seen[^2].Type, seen[^2].Status, seen[^2].Verdict));
        Assert.All(seen, e => Assert.False(string.IsNullOrEmpty(e.Id)));

        // The browser reconnects once with the last id, gets 204, and is CLOSED.
        await page.WaitForFunctionAsync("() => window.source.readyState === EventSource.CLOSED", null, new() { Timeout = 30_000 });
        var settled = requests.ToArray();
        Assert.Equal([(null, 200), (seen[^1].Id, 204)], settled);
        // Well past the stream's retry interval, nothing more comes.
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Equal(settled.Length, requests.Count);
    }

    /// <summary>An event as the page saw it (Playwright fills a class with setters).</summary>
    private sealed class SeenEvent
    {
        public string Type { get; set; } = "";

        public string Id { get; set; } = "";

        public string? Status { get; set; }

        public string? Verdict { get; set; }
    }
}
