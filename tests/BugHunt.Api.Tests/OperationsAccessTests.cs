using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using BugHunt.Api.Operations;
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
        server.Clock.Advance(OperationsMetrics.RefreshInterval);

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

    [EndToEndFact]
    public async Task Scrape_is_prometheus_text_with_request_histograms_and_a_graded_submission_moves_the_counters()
    {
        server.Clock.Advance(OperationsMetrics.RefreshInterval);
        var before = await ScrapeAsync();

        var (candidate, _) = await server.NewCandidateAsync();
        using (candidate)
        {
            var id = await server.SubmitAsync(candidate, new Dictionary<string, string> { ["Attention.cs"] = "this is not C#" });
            Assert.Equal("compile_error", (await BugHuntServer.VerdictAsync(candidate, id)).GetProperty("verdict").GetString());
        }
        server.Clock.Advance(OperationsMetrics.RefreshInterval);
        var after = await ScrapeAsync();

        Assert.True(after.Value("bughunt_submissions_total", ("kind", "submit")) >= before.Value("bughunt_submissions_total", ("kind", "submit")) + 1);
        Assert.True(after.Value("bughunt_verdicts_total", ("verdict", "compile_error")) >= before.Value("bughunt_verdicts_total", ("verdict", "compile_error")) + 1);
        // The first scrape is in the second one's request durations.
        var scrapes = ("http_route", "/metrics");
        Assert.True(Count(after, scrapes) >= Count(before, scrapes) + 1);
        AssertHistograms(after, "http_server_request_duration_seconds");
        Assert.Equal("histogram", after.Types["http_server_request_duration_seconds"]);
        Assert.Equal("counter", after.Types["bughunt_submissions_total"]);
        Assert.Equal("counter", after.Types["bughunt_verdicts_total"]);
        Assert.Equal("counter", after.Types["bughunt_grader_graded_total"]);
        foreach (var gauge in new[] { "bughunt_queue_depth", "bughunt_submissions_running", "bughunt_queue_oldest_seconds", "bughunt_graders_alive", "bughunt_verdict_latency_seconds", "bughunt_verdicts_last_hour" })
        {
            Assert.Equal("gauge", after.Types[gauge]);
        }
        Assert.Single(after.Find("bughunt_verdict_latency_seconds", ("quantile", "0.95")));
        Assert.True(after.Value("bughunt_verdicts_last_hour") >= 1);
        Assert.Contains(after.Samples, s => s.Name.StartsWith("dotnet_gc_", StringComparison.Ordinal));
    }

    [PostgresFact]
    public async Task Database_derived_values_are_read_once_per_refresh_interval_not_on_every_scrape()
    {
        server.Clock.Advance(OperationsMetrics.RefreshInterval);
        await ScrapeAsync();
        var graderId = "grader-cache-" + Guid.NewGuid().ToString("N")[..8];
        await new OperationsStore(server.Db, TimeProvider.System).HeartbeatAsync(graderId, null, graded: true, CancellationToken.None);

        var cached = await ScrapeAsync();
        Assert.Empty(cached.Find("bughunt_grader_graded_total", ("grader", graderId)));
        server.Clock.Advance(OperationsMetrics.RefreshInterval);
        var fresh = await ScrapeAsync();
        Assert.Equal(1, fresh.Value("bughunt_grader_graded_total", ("grader", graderId)));
    }

    private async Task<PrometheusText> ScrapeAsync()
    {
        var response = await MetricsAsync(h => h.Authorization = new("Bearer", BugHuntServer.MetricsToken));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }

    private static double Count(PrometheusText metrics, params (string, string)[] labels) =>
        metrics.Find("http_server_request_duration_seconds_count", labels).Sum(s => s.Value);

    /// <summary>Every series of a histogram has cumulative buckets up to +Inf, which equals its _count, and a _sum.</summary>
    private static void AssertHistograms(PrometheusText metrics, string name)
    {
        var counts = metrics.Find(name + "_count").ToList();
        Assert.NotEmpty(counts);
        foreach (var count in counts)
        {
            var series = count.Labels.Select(l => (l.Key, l.Value)).ToArray();
            var buckets = metrics.Find(name + "_bucket", series).Where(b => b.Labels.Count == count.Labels.Count + 1).ToList();
            Assert.True(buckets.Count > 1, $"{name} {string.Join(",", series)} has {buckets.Count} buckets");
            Assert.Equal("+Inf", buckets[^1].Labels["le"]);
            Assert.Equal(count.Value, buckets[^1].Value);
            Assert.True(buckets.Zip(buckets.Skip(1)).All(p => p.First.Value <= p.Second.Value), $"{name} buckets are not cumulative");
            var sum = Assert.Single(metrics.Find(name + "_sum", series), s => s.Labels.Count == count.Labels.Count);
            Assert.True(sum.Value >= 0);
        }
    }
}
