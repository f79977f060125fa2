using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using BugHunt.Core.Operations;
using BugHunt.Grader.Sandboxes;
using BugHunt.Testing;
using Xunit;

namespace BugHunt.Api.Tests;

/// <summary>Who may read /metrics, and what metrics and health tell about the machines behind them.</summary>
[Collection(ServerCollection.Name)]
public sealed class OperationsAccessTests(BugHuntServer server)
{
    private async Task<HttpResponseMessage> MetricsAsync(Action<HttpRequestHeaders> authenticate)
    {
        using var client = server.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        authenticate(request.Headers);
        return await client.SendAsync(request);
    }

    [PostgresFact]
    public async Task Metrics_without_a_key_get_401_and_healthz_stays_public()
    {
        using var anonymous = server.Client();
        var metrics = await anonymous.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, metrics.StatusCode);
        Assert.Contains("X-Api-Key", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
    }

    [PostgresFact]
    public async Task Metrics_take_the_admin_key_or_the_metrics_token_and_nothing_else()
    {
        Assert.Equal(HttpStatusCode.OK, (await MetricsAsync(h => h.Add("X-Api-Key", BugHuntServer.AdminKey))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await MetricsAsync(h => h.Authorization = new("Bearer", BugHuntServer.MetricsToken))).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await MetricsAsync(h => h.Authorization = new("Bearer", "not-the-metrics-token-at-all"))).StatusCode);
        var (candidate, _) = await server.NewCandidateAsync();
        using (candidate)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await MetricsAsync(h => h.Authorization = candidate.DefaultRequestHeaders.Authorization)).StatusCode);
        }
    }

    [PostgresFact]
    public async Task Metrics_and_health_show_no_host_name_or_process_id()
    {
        // A grader started with the default id reports in, as `bughunt grader` does.
        var graderId = SandboxOptions.NewGraderId();
        Assert.Matches("^grader-[0-9a-f]{12}$", graderId);
        await new OperationsStore(server.Db, TimeProvider.System).HeartbeatAsync(graderId, null, graded: true, CancellationToken.None);

        var metrics = await MetricsAsync(h => h.Add("X-Api-Key", BugHuntServer.AdminKey));
        var text = await metrics.Content.ReadAsStringAsync();
        using var anonymous = server.Client();
        var health = await anonymous.GetStringAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains($"grader=\"{graderId}\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Environment.MachineName, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Environment.MachineName, health, StringComparison.Ordinal);
        var pid = new Regex($"(^|[^0-9a-f]){Environment.ProcessId}([^0-9a-f]|$)");
        Assert.All(Regex.Matches(text, "grader=\"([^\"]*)\"").Select(m => m.Groups[1].Value), id => Assert.DoesNotMatch(pid, id));
    }
}
