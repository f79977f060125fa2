using System.Diagnostics;
using System.Text;
using BugHunt.Core.Webhooks;
using StandardWebhooks;

namespace BugHunt.Api.Webhooks;

/// <summary>
/// Delivers the outbox: every poll it reports passed deadlines (<see cref="WebhookSweep"/>), claims
/// due deliveries and POSTs each, signed per Standard Webhooks, then records the attempt. A 2xx
/// answer is delivered; anything else, a timeout or a refused connection is retried on the
/// backoff schedule (or later, when the receiver's Retry-After asks) until the attempts run out. Redirects are not followed: a receiver that
/// moved must be updated by staff, not by whoever answers at the old address.
/// </summary>
public sealed class WebhookDispatcher : BackgroundService
{
    /// <summary>What the delivery log keeps of an error text and of a receiver's response body.</summary>
    public const int MaxErrorChars = 500;

    public const int MaxResponseBytes = 1024;

    private readonly WebhookQueue _queue;
    private readonly WebhookSweep _sweep;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<WebhookDispatcher> _log;
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    public WebhookDispatcher(WebhookQueue queue, WebhookSweep sweep, WebhookOptions options, TimeProvider clock, ILogger<WebhookDispatcher> log)
    {
        (_queue, _sweep, _options, _clock, _log) = (queue, sweep, options, clock, log);
        _http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = options.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        })
        { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Looks for due deliveries now instead of at the next poll (after a redelivery is queued).</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Dispatch)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                await _sweep.SweepAsync(stoppingToken);
                var claimed = await _queue.ClaimAsync(_owner, _options.Concurrency, _options.Lease, stoppingToken);
                await Task.WhenAll(claimed.Select(d => DeliverAsync(d, stoppingToken)));
                busy = claimed.Count == _options.Concurrency;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database is down or a bug: log it and keep polling; nothing is lost, the outbox waits.
                _log.LogError(e, "Webhook dispatch failed; retrying at the next poll");
            }
            if (!busy)
            {
                try
                {
                    await _wake.WaitAsync(_options.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task DeliverAsync(ClaimedDelivery delivery, CancellationToken stoppingToken)
    {
        var outcome = await AttemptAsync(delivery, stoppingToken);
        if (outcome is null)
        {
            // Stopping mid-attempt: nothing is recorded, and the lease lets another node try once it expires.
            return;
        }
        if (!await _queue.RecordAsync(delivery, _owner, outcome, _options.Schedule, CancellationToken.None))
        {
            _log.LogWarning("Webhook delivery {Delivery} attempt {Number} outlived its lease; its outcome was not recorded", delivery.Id, delivery.Number);
        }
    }

    /// <returns>The attempt's outcome, or null when the node is stopping.</returns>
    private async Task<AttemptOutcome?> AttemptAsync(ClaimedDelivery delivery, CancellationToken stoppingToken)
    {
        var started = _clock.GetUtcNow().UtcDateTime;
        var watch = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            using var request = Sign(delivery);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var body = await ReadBoundedAsync(response, timeout.Token);
            var status = (int)response.StatusCode;
            var error = response.IsSuccessStatusCode ? null
                : response.Headers.Location is { } location ? $"HTTP {status}: redirect to {location} not followed"
                : $"HTTP {status} {response.ReasonPhrase}";
            return new AttemptOutcome(started, watch.Elapsed.TotalMilliseconds, status, Bound(error), body,
                response.IsSuccessStatusCode ? null : RetryAfter(response));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return null;
        }
        catch (OperationCanceledException)
        {
            return new AttemptOutcome(started, watch.Elapsed.TotalMilliseconds, null, $"no response within {_options.Timeout.TotalSeconds:0.###} s", null);
        }
        catch (HttpRequestException e)
        {
            var reason = e.InnerException is { } inner && inner.Message != e.Message ? $"{e.Message} ({inner.Message})" : e.Message;
            return new AttemptOutcome(started, watch.Elapsed.TotalMilliseconds, null, Bound(reason), null);
        }
        catch (Exception e) when (e is UriFormatException or InvalidOperationException or NotSupportedException)
        {
            // A URL or secret the request cannot be built from: a failed attempt in the log, not a delivery stuck in its lease.
            return new AttemptOutcome(started, watch.Elapsed.TotalMilliseconds, null, Bound($"could not send: {e.Message}"), null);
        }
    }

    /// <summary>
    /// The wait a Retry-After header asks for, in seconds or as a date (RFC 9110 §10.2.3); null
    /// without one. A date is the receiver's wall-clock time, so it is read against the host's, as
    /// the signing timestamp is, never a moved test clock.
    /// </summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - TimeProvider.System.GetUtcNow() is { Ticks: > 0 } wait ? wait : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>
    /// The POST of one attempt. The signing timestamp is the host's wall-clock time, never a moved
    /// test clock: receivers check it against their own clock to refuse replays.
    /// </summary>
    private static HttpRequestMessage Sign(ClaimedDelivery delivery)
    {
        var id = WebhookOutbox.WebhookId(delivery.EventId);
        var sentAt = TimeProvider.System.GetUtcNow();
        var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", sentAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", new StandardWebhook(delivery.Secret).Sign(id, sentAt, delivery.Payload));
        request.Headers.UserAgent.ParseAdd("BugHunt-Webhooks/1.0");
        return request;
    }

    /// <summary>The first <see cref="MaxResponseBytes"/> of the response, as text; the rest is never read.</summary>
    private static async Task<string?> ReadBoundedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            var buffer = new byte[MaxResponseBytes];
            var read = 0;
            while (read < buffer.Length && await stream.ReadAsync(buffer.AsMemory(read), ct) is var n and > 0)
            {
                read += n;
            }
            // PostgreSQL text holds no NUL characters.
            return read == 0 ? null : Encoding.UTF8.GetString(buffer, 0, read).Replace("\0", "", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException)
        {
            // The status is what counts; a body cut short is not an error of the delivery.
            return null;
        }
    }

    private static string? Bound(string? text) => text is { Length: > MaxErrorChars } ? text[..MaxErrorChars] : text;

    public override void Dispose()
    {
        _http.Dispose();
        _wake.Dispose();
        base.Dispose();
    }
}
