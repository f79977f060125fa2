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
        session.MapPost("/events", RecordAsync).WithSummary("Report an integrity event: tab_hidden, tab_visible, window_blur, window_focus, paste (with size), copy, fullscreen_exit.");
        session.MapPost("/snapshots", SnapshotAsync).WithSummary("Upload a webcam or screen snapshot (?kind=webcam|screen; body: image/jpeg, image/png or image/webp, at most 512 KiB).");
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
        string? kind, HttpContext http, IntegrityStore integrity, AssessmentStore assessments, TimeProvider clock, CancellationToken ct)
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
        var contentType = http.Request.ContentType?.Split(';')[0].Trim() ?? "";
        if (!IntegrityStore.ImageTypes.Contains(contentType))
        {
            return TypedResults.Problem("Send the image as the body with Content-Type image/jpeg, image/png or image/webp.", statusCode: 400, title: "Snapshot not valid");
        }
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, ct);
        if (buffer.Length is 0 or > IntegrityStore.MaxSnapshotBytes)
        {
            return TypedResults.Problem($"A snapshot must be 1 byte to {IntegrityStore.MaxSnapshotBytes / 1024} KiB.", statusCode: 400, title: "Snapshot not valid");
        }
        var id = await integrity.SaveSnapshotAsync(session.Id, kind, contentType, buffer.ToArray(), ct);
        return TypedResults.Created($"/api/admin/sessions/{session.Id}/snapshots/{id}", new SnapshotStored(id, kind));
    }
}
