using System.Globalization;
using System.Text;
using BugHunt.Api.Admin;
using BugHunt.Api.Hosting;
using BugHunt.Core.Operations;
using BugHunt.Core.Staff;

namespace BugHunt.Api.Operations;

public sealed record HealthView(string Status, string Database, int GradersAlive, long Queued, long Running);

/// <summary>
/// Health for load balancers, public and only counts; metrics for operators, behind an admin's key or
/// the metrics token, since they name graders and show verdict and queue volumes. Neither reveals submissions.
/// </summary>
public static class OperationsApi
{
    public static void MapOperations(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", HealthAsync).WithTags("Operations").WithName("GetHealth").Produces<HealthView>(200).Produces<HealthView>(503).WithSummary("200 when the API can reach its database; 503 with Retry-After when it cannot.");
        app.MapGet("/metrics", MetricsAsync).AddEndpointFilter<MetricsAuth>().WithTags("Operations")
            .WithName("GetMetrics").Produces<string>(200, "text/plain").WithSummary($"Prometheus text: queue depth, verdicts, verdict latency, graders alive. Needs an admin's key ({StaffAuth.Header}) or {MetricsOptions.TokenVariable} as 'Authorization: Bearer'.");
    }

    private static async Task<IResult> HealthAsync(OperationsStore operations, HttpContext http, CancellationToken ct)
    {
        try
        {
            var queue = await operations.QueueAsync(ct);
            var graders = await operations.GradersAsync(ct);
            return TypedResults.Ok(new HealthView("ok", "ok", graders.Count(g => g.Alive), queue.Queued, queue.Running));
        }
        catch (Exception e) when (ErrorHandler.IsDatabaseDown(e))
        {
            http.Response.Headers.RetryAfter = ErrorHandler.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Json(new HealthView("unavailable", "unreachable", 0, 0, 0), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static async Task<IResult> MetricsAsync(OperationsStore operations, CancellationToken ct)
    {
        var queue = await operations.QueueAsync(ct);
        var verdicts = await operations.VerdictsAsync(ct);
        var latency = await operations.LatencyAsync(ct);
        var graders = await operations.GradersAsync(ct);
        var text = new StringBuilder();
        void Metric(string name, string help, string type, IEnumerable<(string Labels, double Value)> values)
        {
            text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n");
            foreach (var (labels, value) in values)
            {
                text.Append(CultureInfo.InvariantCulture, $"{name}{labels} {value.ToString("R", CultureInfo.InvariantCulture)}\n");
            }
        }
        Metric("bughunt_queue_depth", "Submissions waiting for a grader.", "gauge", [("", queue.Queued)]);
        Metric("bughunt_submissions_running", "Submissions being graded now.", "gauge", [("", queue.Running)]);
        Metric("bughunt_queue_oldest_seconds", "Age of the oldest queued submission.", "gauge", [("", queue.OldestQueuedSeconds ?? 0)]);
        Metric("bughunt_verdicts_total", "Final verdicts stored, by kind.", "counter", verdicts.Select(v => ($"{{verdict=\"{v.Verdict}\"}}", (double)v.Count)));
        Metric("bughunt_verdict_latency_seconds", "Accepted-to-stored latency of the last hour's verdicts.", "summary",
            [("{quantile=\"0.5\"}", latency.P50Seconds ?? 0), ("{quantile=\"0.95\"}", latency.P95Seconds ?? 0), ("{quantile=\"0.99\"}", latency.P99Seconds ?? 0)]);
        text.Append(CultureInfo.InvariantCulture, $"bughunt_verdict_latency_seconds_count {latency.Count}\n");
        Metric("bughunt_graders_alive", "Graders that reported within the heartbeat timeout.", "gauge", [("", graders.Count(g => g.Alive))]);
        Metric("bughunt_grader_graded_total", "Submissions graded per grader.", "counter", graders.Select(g => ($"{{grader=\"{g.Id}\",alive=\"{(g.Alive ? "true" : "false")}\"}}", (double)g.Graded)));
        return TypedResults.Text(text.ToString(), "text/plain; version=0.0.4; charset=utf-8");
    }
}

public sealed class MetricsOptions
{
    /// <summary>Configuration key (environment variable) of a token that reads /metrics only, for a scraper that should not hold the admin key.</summary>
    public const string TokenVariable = "BUGHUNT_METRICS_TOKEN";

    public string? Token { get; init; }
}

/// <summary>
/// /metrics takes an admin's key (the bootstrap key or an admin user's), or the metrics token, as
/// X-Api-Key or 'Authorization: Bearer'; anything else is 401, other staff roles included.
/// </summary>
internal sealed class MetricsAuth(StaffKeys staff, MetricsOptions metrics) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = StaffAuth.PresentedKey(http);
        if (StaffAuth.Matches(key, metrics.Token)
            || (key.Length > 0 && (await staff.SignInAsync(key, lookForCandidates: false, http.RequestAborted)).Actor is { Role: StaffRole.Admin }))
        {
            return await next(context);
        }
        return TypedResults.Problem(
            $"Send an admin's key in the {StaffAuth.Header} header, or the metrics token ({MetricsOptions.TokenVariable}) as 'Authorization: Bearer <token>'.",
            statusCode: StatusCodes.Status401Unauthorized, title: key.Length == 0 ? "Metrics key required" : "Metrics key not accepted");
    }
}
