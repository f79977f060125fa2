using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BugHunt.Core.Packs;
using BugHunt.Testing;
using Xunit;

namespace BugHunt.Api.Tests;

[Collection(ServerCollection.Name)]
public sealed class SessionApiTests(BugHuntServer server)
{
    [PostgresFact]
    public async Task Opening_an_invite_gives_a_session_that_reads_the_first_level()
    {
        var (candidate, _) = await server.NewCandidateAsync();
        var level = await candidate.GetFromJsonAsync<JsonElement>("/api/session/levels/1");

        Assert.Equal("causal-attention", level.GetProperty("challenge").GetString());
        Assert.Equal(server.Attention.StarterFiles["Attention.cs"], level.GetProperty("files").GetProperty("Attention.cs").GetString());
        var publicTests = level.GetProperty("public_tests").EnumerateArray().Select(t => t.GetProperty("id").GetString()).ToList();
        Assert.Equal(server.Attention.PublicTests.Select(t => t.Id), publicTests);
        Assert.Contains("Ticket", level.GetProperty("statement").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [PostgresFact]
    public async Task Level_view_contains_no_hidden_material()
    {
        var (candidate, _) = await server.NewCandidateAsync();
        var raw = await candidate.GetStringAsync("/api/session/levels/1");

        foreach (var hidden in server.Attention.Tests.Where(t => t.Visibility == Visibility.Hidden))
        {
            Assert.DoesNotContain(hidden.Id, raw, StringComparison.Ordinal);
        }
        // Probe code is hidden: no probe's observation names or Observe calls appear.
        Assert.NotEmpty(server.Attention.Probes);
        Assert.DoesNotContain("Observe(", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("prefix_perturbed", raw, StringComparison.Ordinal);
        Assert.DoesNotContain(JsonEncodedText.Encode(server.Attention.ReferenceFiles["Attention.cs"]).ToString(), raw, StringComparison.Ordinal);
        Assert.DoesNotContain("\"bugs\"", raw, StringComparison.Ordinal);
        // Hint texts stay hidden until revealed; their costs are shown.
        Assert.All(server.Attention.Hints, h => Assert.DoesNotContain(h.Text[..30], raw, StringComparison.Ordinal));
        Assert.Contains("cost_points", raw, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task A_single_use_invite_cannot_be_opened_twice()
    {
        var invite = await server.InviteAsync(await server.CreateAssessmentAsync());
        using var client = server.Client();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"/api/invites/{invite}/sessions", null)).StatusCode);
        var second = await client.PostAsync($"/api/invites/{invite}/sessions", null);
        Assert.Equal(HttpStatusCode.Gone, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
        Assert.Contains("already used", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Candidate_endpoints_refuse_a_missing_or_forged_token_with_401()
    {
        using var anonymous = server.Client();
        var missing = await anonymous.GetAsync("/api/session");
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Contains("Bearer", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var forged = server.Client("not-a-real-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/session/levels/1")).StatusCode);
    }
}
