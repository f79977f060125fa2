using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using BugHunt.Core.Database;
using BugHunt.Core.Grading;
using BugHunt.Core.Submissions;
using Microsoft.AspNetCore.Http.Features;

namespace BugHunt.Api.Submissions;

/// <summary>How the submission stream paces itself; tests shorten the heartbeat.</summary>
public sealed class SubmissionStreamOptions
{
    /// <summary>A comment line is sent after this much silence, so proxies and browsers keep a long run's stream open.</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The reconnection delay the stream asks standard clients (EventSource) for, in its first line.</summary>
    public TimeSpan Retry { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// A submission's progress as a standard Server-Sent Events stream (the HTML standard's
/// EventSource): <c>retry:</c> first, then a <c>submission</c> event each time its state moves,
/// each with an <see cref="StateId">id that orders the states</see>, heartbeat comments in
/// silence, and at the verdict the final <c>submission</c> event and a <c>done</c> event with the
/// same id, and the end of the response. A client resuming with <c>Last-Event-ID</c> gets only
/// states newer than the one it saw, and one resuming at or past the end gets 204, which tells an
/// EventSource to stop reconnecting.
/// </summary>
internal sealed class SubmissionEventStream(
    Guid id, Guid sessionId, long? seen, DateTimeOffset? until, SubmissionStore submissions, SubmissionSignals signals,
    SubmissionStreamOptions options, TimeProvider clock) : IResult
{
    public const string ContentType = "text/event-stream";

    /// <summary>
    /// Orders a submission's states: each grading attempt is running, then queued again (its
    /// grader failed) or done, and while queued a smaller queue position is later. Ids only grow
    /// within a submission's life, so "newer than what the client saw" is a comparison.
    /// </summary>
    public static long StateId(Submission submission, int? queuePosition)
    {
        const long Positions = 1_000_000;
        var phase = submission.Status switch
        {
            SubmissionStatus.Queued => 2L * submission.Attempts,
            SubmissionStatus.Running => (2L * submission.Attempts) - 1,
            _ => (2L * submission.Attempts) + 1,
        };
        return (phase * Positions) + (submission.Status == SubmissionStatus.Queued ? Positions - 1 - Math.Min(queuePosition ?? 0, Positions - 1) : 0);
    }

    /// <summary>The id the client says it saw last, if it sent one we can read.</summary>
    public static long? LastEventId(HttpRequest request) =>
        long.TryParse(request.Headers["Last-Event-ID"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var seen) ? seen : null;

    public async Task ExecuteAsync(HttpContext http)
    {
        var ct = http.RequestAborted;
        var response = http.Response;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-cache, no-store";
        // nginx and the like would hold the events back until a buffer fills.
        response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        try
        {
            await WriteAsync(response, $"retry: {(long)options.Retry.TotalMilliseconds}\n\n", ct);
            var sent = seen;
            var lastWrite = Stopwatch.GetTimestamp();
            while (true)
            {
                // Taken before the read, so a change between the read and the wait still wakes it.
                var changed = signals.Next(id);
                var anyChange = signals.NextOfAny();
                var submission = await submissions.GetAsync(id, sessionId, ct);
                if (submission is null)
                {
                    return;
                }
                var position = submission.Status == SubmissionStatus.Queued ? await submissions.QueuePositionAsync(id, ct) : (int?)null;
                var stateId = StateId(submission, position);
                if (sent is null || stateId > sent)
                {
                    sent = stateId;
                    await WriteEventAsync(response, stateId, "submission", SubmissionApi.View(submission, position), ct);
                    lastWrite = Stopwatch.GetTimestamp();
                }
                if (submission.Status == SubmissionStatus.Done)
                {
                    await WriteEventAsync(response, stateId, "done", new DoneEvent(id, "done", submission.Verdict is { } v ? VerdictKinds.Name(v.Kind) : null), ct);
                    return;
                }
                // A ticket's stream ends with the ticket: the client reconnects, is refused, and asks for a new one.
                var left = until is { } end ? end - clock.GetUtcNow() : Timeout.InfiniteTimeSpan;
                if (until is not null && left <= TimeSpan.Zero)
                {
                    return;
                }
                var quiet = options.Heartbeat - Stopwatch.GetElapsedTime(lastWrite);
                // Its own change wakes it at once; while queued, so does any other's (its position moves).
                await signals.WaitAsync(submission.Status == SubmissionStatus.Queued ? Task.WhenAny(changed, anyChange) : changed,
                    left == Timeout.InfiniteTimeSpan || quiet < left ? quiet : left, ct);
                if (Stopwatch.GetElapsedTime(lastWrite) >= options.Heartbeat)
                {
                    await WriteAsync(response, ": keepalive\n\n", ct);
                    lastWrite = Stopwatch.GetTimestamp();
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private sealed record DoneEvent(Guid Id, string Status, string? Verdict);

    private static Task WriteEventAsync<T>(HttpResponse response, long eventId, string type, T data, CancellationToken ct) =>
        WriteAsync(response, string.Create(CultureInfo.InvariantCulture,
            $"id: {eventId}\nevent: {type}\ndata: {JsonSerializer.Serialize(data, BugHuntDatabase.Json)}\n\n"), ct);

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken ct)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
        await response.Body.FlushAsync(ct);
    }
}
