using BugHunt.Api.Sessions;
using BugHunt.Core.Assessments;
using BugHunt.Core.Integrity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BugHunt.Api.Integrity;

public sealed record EventRequest(string? Kind, int? Size, int? Level);

public sealed record SnapshotStored(long Id, string Kind);

/// <summary>What the candidate's page reports: focus and clipboard events, and proctoring snapshots.</summary>
public static class IntegrityApi
{
    public const int MaxEventsPerSession = 5000;

    public static void MapIntegrity(this IEndpointRouteBuilder app)
    {
        var session = app.MapGroup("/api/session").AddEndpointFilter<SessionAuth>().WithTags("Candidate");
        session.MapPost("/events", RecordAsync).WithName("RecordIntegrityEvents").ProducesProblem(409).ProducesProblem(429).WithSummary("Report an integrity event: tab_hidden, tab_visible, window_blur, window_focus, paste (with size), copy, fullscreen_exit.");
        session.MapPost("/snapshots", SnapshotAsync).WithName("UploadSnapshot").Accepts<byte[]>("image/jpeg", "image/png", "image/webp").ProducesProblem(409).ProducesProblem(429).WithSummary(
            $"Upload a webcam or screen snapshot (?kind=webcam|screen; body: a JPEG, PNG or WebP image of at most {IntegrityStore.MaxSnapshotBytes / 1024} KiB). A session's snapshots are capped in rate per kind, number and total size.");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RecordAsync(EventRequest request, HttpContext http, IntegrityStore integrity, TimeProvider clock, CancellationToken ct)
    {
        var session = http.Session();
        if (!session.IsOpenAt(clock.GetUtcNow()))
        {
            return TypedResults.Problem("Events are recorded only while the assessment is running.", statusCode: 409, title: "Not running");
        }
        if (request.Kind is null || !IntegrityStore.EventKinds.Contains(request.Kind))
        {
            return TypedResults.Problem($"kind must be one of: {string.Join(", ", IntegrityStore.EventKinds.Order(StringComparer.Ordinal))}.", statusCode: 400, title: "Event not valid");
        }
        if (request.Size is < 0 || request.Level is < 1)
        {
            return TypedResults.Problem("size must be at least 0 and level at least 1.", statusCode: 400, title: "Event not valid");
        }
        if (!await integrity.RecordAsync(session.Id, request.Kind, request.Size, request.Level, MaxEventsPerSession, ct))
        {
            return TypedResults.Problem($"At most {MaxEventsPerSession} events are recorded per session.", statusCode: 429, title: "Too many events");
        }
        return TypedResults.NoContent();
    }

    private static async Task<Results<Created<SnapshotStored>, ProblemHttpResult>> SnapshotAsync(
        string? kind, HttpContext http, IntegrityStore integrity, AssessmentStore assessments, SnapshotLimits limits, TimeProvider clock, CancellationToken ct)
    {
        var session = http.Session();
        if (!session.IsOpenAt(clock.GetUtcNow()))
        {
            return TypedResults.Problem("Snapshots are taken only while the assessment is running.", statusCode: 409, title: "Not running");
        }
        var required = (await assessments.GetAsync(session.AssessmentId, ct))!.Proctoring;
        if (kind is not ("webcam" or "screen") || (kind == "webcam" && !required.Webcam) || (kind == "screen" && !required.Screen))
        {
            return TypedResults.Problem("kind must be webcam or screen, and the assessment must require that kind of snapshot.", statusCode: 400, title: "Snapshot not valid");
        }
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, ct);
        if (buffer.Length == 0)
        {
            return TypedResults.Problem("Send the image as the request body; this one is empty.", statusCode: 400, title: "Snapshot not valid");
        }
        if (buffer.Length > IntegrityStore.MaxSnapshotBytes)
        {
            return TypedResults.Problem($"A snapshot may be at most {IntegrityStore.MaxSnapshotBytes / 1024} KiB; this one is {buffer.Length / 1024} KiB. Send a smaller or more compressed image.",
                statusCode: 413, title: "Snapshot too large");
        }
        var content = buffer.ToArray();
        if (IntegrityStore.ImageType(content) is not { } contentType)
        {
            return TypedResults.Problem("The body is not a PNG, JPEG or WebP image (judged by its first bytes, whatever its Content-Type). Send the image file itself.",
                statusCode: 415, title: "Not an image");
        }
        var saved = await integrity.SaveSnapshotAsync(session.Id, kind, contentType, content, limits, ct);
        switch (saved.Outcome)
        {
            case SnapshotOutcome.TooMany:
                return TypedResults.Problem($"This session already has {limits.MaxPerSession} snapshots, the most stored per session; no more are kept.",
                    statusCode: 429, title: "Too many snapshots");
            case SnapshotOutcome.StorageFull:
                return TypedResults.Problem($"A session's snapshots may take at most {limits.MaxBytesPerSession / (1024 * 1024)} MiB in all, and this one does not fit; no more are kept.",
                    statusCode: 413, title: "Snapshot storage full");
            case SnapshotOutcome.TooSoon:
                var seconds = Math.Max(1, (int)Math.Ceiling(saved.RetryAfter!.Value.TotalSeconds));
                http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return TypedResults.Problem($"At most one {kind} snapshot every {limits.MinInterval.TotalSeconds:0} s. Try again in {seconds} s.",
                    statusCode: 429, title: "Too many snapshots");
        }
        return TypedResults.Created($"/api/admin/sessions/{session.Id}/snapshots/{saved.Id}", new SnapshotStored(saved.Id!.Value, kind));
    }
}
