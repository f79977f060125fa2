using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BugHunt.Core.Submissions;
using BugHunt.Testing;
using Xunit;

namespace BugHunt.Api.Tests;

[Collection(ServerCollection.Name)]
public sealed class SubmissionApiTests(BugHuntServer server)
{
    [PostgresFact]
    public async Task Body_that_is_not_JSON_gets_400_problem_details_and_stores_nothing()
    {
        var (candidate, sessionId) = await server.NewCandidateAsync();
        var response = await candidate.PostAsync("/api/session/levels/1/submissions", new StringContent("{\"files\": {\"Attention.cs\": ", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("not valid JSON", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await new SubmissionStore(server.Db, TimeProvider.System).CountForSessionAsync(sessionId, CancellationToken.None));
    }

    [PostgresFact]
    public async Task File_that_is_not_editable_gets_400_naming_the_editable_files()
    {
        var (candidate, sessionId) = await server.NewCandidateAsync();
        var response = await candidate.PostAsJsonAsync("/api/session/levels/1/submissions", new { files = new Dictionary<string, string> { ["../../etc/passwd"] = "x" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("Editable files: Attention.cs", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await new SubmissionStore(server.Db, TimeProvider.System).CountForSessionAsync(sessionId, CancellationToken.None));
    }

    [PostgresFact]
    public async Task Submission_without_files_gets_400_showing_the_expected_shape()
    {
        var (candidate, _) = await server.NewCandidateAsync();
        var response = await candidate.PostAsJsonAsync("/api/session/levels/1/submissions", new { files = new Dictionary<string, string>() });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("{\\\"files\\\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Another_sessions_submission_reads_as_404()
    {
        var (alice, _) = await server.NewCandidateAsync();
        var (bob, _) = await server.NewCandidateAsync();
        var response = await alice.PostAsJsonAsync("/api/session/levels/1/submissions", new { files = server.Attention.StarterFiles });
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync($"/api/session/submissions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"/api/session/submissions/{id}")).StatusCode);
    }
}
