using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BugHunt.Core.Integrity;
using BugHunt.Core.Submissions;
using BugHunt.Testing;
using Xunit;

namespace BugHunt.Api.Tests;

/// <summary>What a candidate's page may upload as proctoring snapshots, and how they are served back.</summary>
[Collection(ServerCollection.Name)]
public sealed class SnapshotUploadTests(BugHuntServer server)
{
    /// <summary>A real 1×1 PNG.</summary>
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    /// <summary>A real 1×1 JPEG.</summary>
    private static readonly byte[] Jpeg = Convert.FromBase64String(
        "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=");

    /// <summary>A started candidate of an assessment that takes webcam and screen snapshots, optionally on another API instance.</summary>
    private async Task<(HttpClient Candidate, Guid SessionId)> ProctoredCandidateAsync(Uri? api = null)
    {
        var assessment = await server.CreateAssessmentAsync(new
        {
            name = "snapshots " + Guid.NewGuid().ToString("N")[..6],
            levels = new[] { new { pack = "lab-screen", challenge = "causal-attention" } },
            proctoring = new { webcam = true, screen = true },
        });
        var (candidate, sessionId) = await server.OpenAsync(await server.InviteAsync(assessment), start: false);
        var started = await candidate.PostAsJsonAsync("/api/session/start", new { consent = new { webcam = true, screen = true } });
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        if (api is null)
        {
            return (candidate, sessionId);
        }
        using (candidate)
        {
            return (BugHuntServer.Rebase(candidate, api), sessionId);
        }
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient candidate, string kind, byte[] body, string contentType)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await candidate.PostAsync($"/api/session/snapshots?kind={kind}", content);
    }

    private async Task<List<JsonElement>> StoredAsync(Guid sessionId)
    {
        using var admin = server.Admin();
        var report = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/sessions/{sessionId}/report");
        return [.. report.GetProperty("snapshots").EnumerateArray()];
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;

    [PostgresFact]
    public async Task Snapshot_with_html_content_is_refused_with_415_and_nothing_stored()
    {
        var (candidate, sessionId) = await ProctoredCandidateAsync();
        using var _ = candidate;

        var html = await UploadAsync(candidate, "webcam", Encoding.UTF8.GetBytes("<html><body><script>alert(document.cookie)</script></body></html>"), "image/png");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, html.StatusCode);
        Assert.Contains("not a PNG, JPEG or WebP image", await DetailAsync(html), StringComparison.Ordinal);
        Assert.Empty(await StoredAsync(sessionId));
    }

    [PostgresFact]
    public async Task Png_and_jpeg_are_served_back_with_the_type_of_their_bytes_and_nosniff()
    {
        var (candidate, sessionId) = await ProctoredCandidateAsync();
        using var _ = candidate;

        // Each is sent with the other's Content-Type: the bytes decide.
        var png = await UploadAsync(candidate, "webcam", Png, "image/jpeg");
        var jpeg = await UploadAsync(candidate, "screen", Jpeg, "image/png");
        Assert.Equal(HttpStatusCode.Created, png.StatusCode);
        Assert.Equal(HttpStatusCode.Created, jpeg.StatusCode);

        using var admin = server.Admin();
        foreach (var (response, bytes, type) in new[] { (png, Png, "image/png"), (jpeg, Jpeg, "image/jpeg") })
        {
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
            var image = await admin.GetAsync($"/api/admin/sessions/{sessionId}/snapshots/{id}");
            Assert.Equal(HttpStatusCode.OK, image.StatusCode);
            Assert.Equal(type, image.Content.Headers.ContentType?.MediaType);
            Assert.Equal(["nosniff"], image.Headers.GetValues("X-Content-Type-Options"));
            Assert.Equal(bytes, await image.Content.ReadAsByteArrayAsync());
        }
        Assert.Equal(["image/png", "image/jpeg"], (await StoredAsync(sessionId)).Select(s => s.GetProperty("content_type").GetString()));
    }

    [PostgresFact]
    public async Task Second_snapshot_of_a_kind_within_ten_seconds_gets_429_with_Retry_After()
    {
        var (candidate, sessionId) = await ProctoredCandidateAsync();
        using var _ = candidate;

        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(candidate, "webcam", Jpeg, "image/jpeg")).StatusCode);
        var again = await UploadAsync(candidate, "webcam", Jpeg, "image/jpeg");
        Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
        Assert.InRange(again.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 10);
        Assert.Contains("At most one webcam snapshot every 10 s", await DetailAsync(again), StringComparison.Ordinal);
        // The limit is per kind: the screen is not held back by the webcam.
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(candidate, "screen", Jpeg, "image/jpeg")).StatusCode);
        Assert.Equal(2, (await StoredAsync(sessionId)).Count);

        server.Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(candidate, "webcam", Jpeg, "image/jpeg")).StatusCode);
        Assert.Equal(3, (await StoredAsync(sessionId)).Count);
    }

    [PostgresFact]
    public async Task Snapshots_beyond_the_per_session_count_are_refused_with_429_and_not_stored()
    {
        var (app, address) = await server.StartApiAsync(new SubmissionRules(), new SnapshotLimits(MaxPerSession: 2));
        await using var _ = app;
        var (candidate, sessionId) = await ProctoredCandidateAsync(address);
        using var __ = candidate;

        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(candidate, "webcam", Png, "image/png")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(candidate, "screen", Png, "image/png")).StatusCode);
        server.Clock.Advance(TimeSpan.FromSeconds(11));
        var third = await UploadAsync(candidate, "webcam", Png, "image/png");

        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Null(third.Headers.RetryAfter);
        Assert.Contains("already has 2 snapshots", await DetailAsync(third), StringComparison.Ordinal);
        Assert.Equal(2, (await StoredAsync(sessionId)).Count);
    }

    [PostgresFact]
    public async Task Snapshot_that_would_pass_the_per_session_bytes_is_refused_with_413_and_not_stored()
    {
        var (app, address) = await server.StartApiAsync(new SubmissionRules(), new SnapshotLimits(MaxBytesPerSession: 1024 * 1024));
        await using var _ = app;
        var (candidate, sessionId) = await ProctoredCandidateAsync(address);
        using var __ = candidate;
        var half = new byte[IntegrityStore.MaxSnapshotBytes];
        Jpeg.CopyTo(half, 0);

        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(candidate, "webcam", half, "image/jpeg")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(candidate, "screen", half, "image/jpeg")).StatusCode);
        server.Clock.Advance(TimeSpan.FromSeconds(11));
        var full = await UploadAsync(candidate, "webcam", Png, "image/png");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, full.StatusCode);
        Assert.Contains("at most 1 MiB in all", await DetailAsync(full), StringComparison.Ordinal);
        Assert.Equal(2, (await StoredAsync(sessionId)).Count);
    }

    [PostgresFact]
    public async Task Snapshot_over_512_KiB_is_refused_with_413_and_not_stored()
    {
        var (candidate, sessionId) = await ProctoredCandidateAsync();
        using var _ = candidate;
        var big = new byte[IntegrityStore.MaxSnapshotBytes + 1];
        Jpeg.CopyTo(big, 0);

        var response = await UploadAsync(candidate, "webcam", big, "image/jpeg");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("at most 512 KiB", await DetailAsync(response), StringComparison.Ordinal);
        Assert.Empty(await StoredAsync(sessionId));
    }
}
