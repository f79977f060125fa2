using System.Net;
using System.Text;
using BugHunt.Testing;
using Xunit;

namespace BugHunt.Api.Tests;

/// <summary>X-Content-Type-Options: nosniff on every kind of response, once.</summary>
[Collection(ServerCollection.Name)]
public sealed class NoSniffTests(BugHuntServer server)
{
    private static void AssertNoSniff(HttpResponseMessage response) =>
        Assert.Equal(["nosniff"], response.Headers.TryGetValues("X-Content-Type-Options", out var values) ? values : []);

    [PostgresFact]
    public async Task Json_problem_and_text_responses_carry_nosniff()
    {
        var (candidate, _) = await server.NewCandidateAsync();
        using var _ = candidate;
        using var anonymous = server.Client();
        using var admin = server.Admin();

        var json = await candidate.GetAsync("/api/session");
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        AssertNoSniff(json);

        var missing = await anonymous.GetAsync("/api/no-such-endpoint");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        AssertNoSniff(missing);

        // A malformed body is answered by the exception handler, which clears the headers set before it.
        var malformed = await admin.PostAsync("/api/admin/assessments", new StringContent("{\"name\": ", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        AssertNoSniff(malformed);

        var unauthorized = await anonymous.GetAsync("/api/admin/assessments");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        AssertNoSniff(unauthorized);

        var csv = await admin.GetAsync($"/api/admin/assessments/{await server.CreateAssessmentAsync()}/results.csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        AssertNoSniff(csv);
    }

    [PostgresFact]
    public async Task Pages_and_their_assets_carry_nosniff_once()
    {
        using var anonymous = server.Client();

        var page = await anonymous.GetAsync("/proctor");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        AssertNoSniff(page);
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());

        var bundle = Path.GetFileName(Directory.GetFiles(Path.Combine(TestEnvironment.RepositoryRoot(), "src", "BugHunt.Api", "wwwroot"), "proctor-*.js").First());
        var asset = await anonymous.GetAsync($"/assets/{bundle}");
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        AssertNoSniff(asset);
    }
}
