using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BugHunt.Testing;
using Xunit;

namespace BugHunt.Api.Tests;

/// <summary>Proctoring consent, integrity events and snapshots, and what the proctor's report shows.</summary>
[Collection(ServerCollection.Name)]
public sealed class IntegrityTests(BugHuntServer server)
{
    private Task<Guid> ProctoredAsync() => server.CreateAssessmentAsync(new
    {
        name = "proctored " + Guid.NewGuid().ToString("N")[..6],
        levels = new[] { new { pack = "lab-screen", challenge = "causal-attention" } },
        proctoring = new { webcam = true, screen = false },
    });

    [PostgresFact]
    public async Task Proctored_assessment_cannot_start_without_consent()
    {
        var (candidate, _) = await server.OpenAsync(await server.InviteAsync(await ProctoredAsync()), start: false);
        var refused = await candidate.PostAsync("/api/session/start", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("webcam snapshots", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("not_started", (await candidate.GetFromJsonAsync<JsonElement>("/api/session")).GetProperty("status").GetString());

        var started = await candidate.PostAsJsonAsync("/api/session/start", new { consent = new { webcam = true, screen = false } });
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
    }

    [PostgresFact]
    public async Task Events_are_recorded_at_server_time_and_large_pastes_and_long_absences_are_flagged()
    {
        var (candidate, sessionId) = await server.NewCandidateAsync();
        async Task<HttpStatusCode> Send(object e) => (await candidate.PostAsJsonAsync("/api/session/events", e)).StatusCode;

        Assert.Equal(HttpStatusCode.NoContent, await Send(new { kind = "paste", size = 1500, level = 1 }));
        Assert.Equal(HttpStatusCode.NoContent, await Send(new { kind = "paste", size = 12, level = 1 }));
        Assert.Equal(HttpStatusCode.NoContent, await Send(new { kind = "tab_hidden" }));
        server.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(HttpStatusCode.NoContent, await Send(new { kind = "tab_visible" }));
        Assert.Equal(HttpStatusCode.BadRequest, await Send(new { kind = "took_a_photo" }));

        using var admin = server.Admin();
        var report = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/sessions/{sessionId}/report");
        var events = report.GetProperty("integrity_events").EnumerateArray().ToList();
        Assert.Equal(["paste", "paste", "tab_hidden", "tab_visible"], events.Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal(1500, events[0].GetProperty("size").GetInt32());
        var flags = report.GetProperty("flags").EnumerateArray().Select(f => f.GetString()!).ToList();
        Assert.Contains(flags, f => f.StartsWith("large paste: 1500 characters", StringComparison.Ordinal));
        Assert.Contains(flags, f => f.StartsWith("long absence: 120 s", StringComparison.Ordinal));
        Assert.Equal(2, flags.Count);
        Assert.Equal(2, report.GetProperty("session").GetProperty("flags").GetInt32());

        // Gone and not back: flagged once the absence is long, while the session runs.
        Assert.Equal(HttpStatusCode.NoContent, await Send(new { kind = "window_blur" }));
        server.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(2, (await admin.GetFromJsonAsync<JsonElement>($"/api/admin/sessions/{sessionId}/report")).GetProperty("flags").GetArrayLength());
        server.Clock.Advance(TimeSpan.FromSeconds(40));
        var open = (await admin.GetFromJsonAsync<JsonElement>($"/api/admin/sessions/{sessionId}/report")).GetProperty("flags").EnumerateArray().Last().GetString();
        Assert.StartsWith("long absence: away from the page since", open, StringComparison.Ordinal);
        Assert.EndsWith("no return recorded", open, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Webcam_snapshot_is_stored_with_the_session_and_only_a_proctor_can_read_it()
    {
        var (candidate, sessionId) = await server.OpenAsync(await server.InviteAsync(await ProctoredAsync()), start: false);
        Assert.Equal(HttpStatusCode.OK, (await candidate.PostAsJsonAsync("/api/session/start", new { consent = new { webcam = true } })).StatusCode);
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4];
        using var content = new ByteArrayContent(png);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        var stored = await candidate.PostAsync("/api/session/snapshots?kind=webcam", content);
        Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
        var id = (await stored.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        using var screen = new ByteArrayContent(png);
        screen.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        Assert.Equal(HttpStatusCode.BadRequest, (await candidate.PostAsync("/api/session/snapshots?kind=screen", screen)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await candidate.GetAsync($"/api/admin/sessions/{sessionId}/snapshots/{id}")).StatusCode);

        using var admin = server.Admin();
        var image = await admin.GetAsync($"/api/admin/sessions/{sessionId}/snapshots/{id}");
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal(png, await image.Content.ReadAsByteArrayAsync());
        var report = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/sessions/{sessionId}/report");
        var snapshot = Assert.Single(report.GetProperty("snapshots").EnumerateArray());
        Assert.Equal("webcam", snapshot.GetProperty("kind").GetString());
        Assert.Equal(png.Length, snapshot.GetProperty("bytes").GetInt32());
    }
}

[Collection(ServerCollection.Name)]
public sealed class SimilarityTests(BugHuntServer server)
{
    [PostgresFact]
    public async Task Copied_fix_is_flagged_and_the_side_by_side_view_shows_both()
    {
        var assessment = await server.CreateAssessmentAsync();
        var ids = await server.SaveAlikeFixesAsync(assessment);

        using var admin = server.Admin();
        var pairs = await BugHuntServer.AllItemsAsync(admin, $"/api/admin/assessments/{assessment}/levels/1/similarity", limit: 1);
        Assert.Equal(3, pairs.Count);
        var top = pairs[0];
        Assert.Equal(new[] { "Alice", "Bob" }, new[] { top.GetProperty("candidate_a").GetString(), top.GetProperty("candidate_b").GetString() }.Order());
        Assert.True(top.GetProperty("flagged").GetBoolean(), top.ToString());
        Assert.All(pairs.Skip(1), p => Assert.False(p.GetProperty("flagged").GetBoolean(), p.ToString()));

        var side = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/assessments/{assessment}/levels/1/fixes?sessions={ids[0]},{ids[1]}");
        Assert.Equal(server.Attention.StarterFiles["Attention.cs"], side.GetProperty("starter").GetProperty("Attention.cs").GetString());
        Assert.Contains("Digest", side.GetProperty("candidates")[1].GetProperty("files").GetProperty("Attention.cs").GetString(), StringComparison.Ordinal);

        // The flagged pair is a flag of both sessions, in their reports and in the sessions list.
        var alice = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/sessions/{ids[0]}/report");
        var flag = Assert.Single(alice.GetProperty("flags").EnumerateArray()).GetString()!;
        Assert.StartsWith("high similarity: level 1 fix", flag, StringComparison.Ordinal);
        Assert.EndsWith("alike with Bob's", flag, StringComparison.Ordinal);
        Assert.Equal(assessment, alice.GetProperty("session").GetProperty("assessment_id").GetGuid());
        var listed = await BugHuntServer.AllItemsAsync(admin, $"/api/admin/assessments/{assessment}/sessions");
        Assert.Equal([1, 1, 0], ids.Select(id => listed.Single(s => s.GetProperty("id").GetGuid() == id).GetProperty("flags").GetInt32()));
    }
}
