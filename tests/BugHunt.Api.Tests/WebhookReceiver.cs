using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace BugHunt.Api.Tests;

/// <summary>A webhook request as the receiver got it: headers and the exact body.</summary>
public sealed record ReceivedWebhook(IHeaderDictionary Headers, string Body)
{
    public string Id => Headers["webhook-id"].ToString();

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string Type => Json.GetProperty("type").GetString()!;

    public JsonElement Data => Json.GetProperty("data");
}

/// <summary>
/// A real HTTP receiver on a loopback port: Kestrel, answering every POST with <see cref="Status"/>.
/// It can be created down (the port reserved but closed) and brought up later on the same port.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private WebApplication? _app;

    private WebhookReceiver(int port) => Port = port;

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/hooks/bughunt");

    /// <summary>What every request is answered with; a test switches it to make the receiver fail or recover.</summary>
    public HttpStatusCode Status { get; set; } = HttpStatusCode.NoContent;

    /// <summary>The body of every answer.</summary>
    public string ResponseBody { get; set; } = "";

    /// <summary>The Retry-After header of every answer, when set.</summary>
    public string? RetryAfter { get; set; }

    /// <summary>How long the receiver waits before it answers.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>A receiver that is listening.</summary>
    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = Down();
        await receiver.UpAsync();
        return receiver;
    }

    /// <summary>A receiver whose port nothing listens on (connections are refused) until <see cref="UpAsync"/>.</summary>
    public static WebhookReceiver Down()
    {
        // The kernel picks a free port; closing the listener before anything connects leaves it free to bind again.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new WebhookReceiver(port);
    }

    public async Task UpAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/hooks/bughunt", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            Received.Enqueue(new ReceivedWebhook(new HeaderDictionary(http.Request.Headers.ToDictionary(h => h.Key, h => h.Value)), body));
            await Task.Delay(Delay);
            if (RetryAfter is { } retryAfter)
            {
                http.Response.Headers.RetryAfter = retryAfter;
            }
            if ((int)Status is >= 300 and < 400)
            {
                http.Response.Headers.Location = $"http://127.0.0.1:{Port}/elsewhere";
            }
            return Results.Text(ResponseBody, statusCode: (int)Status);
        });
        await app.StartAsync();
        _app = app;
    }

    /// <summary>Waits until a request matching <paramref name="match"/> arrives; fails the test after <paramref name="timeout"/>.</summary>
    public async Task<ReceivedWebhook> WaitForAsync(Func<ReceivedWebhook, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (Received.FirstOrDefault(match) is { } found)
            {
                return found;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no matching webhook within {timeout ?? TimeSpan.FromSeconds(30)}; received: {string.Join(" | ", Received.Select(r => r.Body))}");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>The webhook of <paramref name="type"/> about <paramref name="sessionId"/>.</summary>
    public Task<ReceivedWebhook> WaitForAsync(string type, Guid sessionId, TimeSpan? timeout = null) =>
        WaitForAsync(r => r.Type == type && r.Data.GetProperty("session_id").GetGuid() == sessionId, timeout);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
