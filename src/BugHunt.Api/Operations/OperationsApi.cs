using System.Globalization;
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
        // OpenTelemetry's Prometheus exporter as a pipeline of its own, run inside the endpoint rather than
        // mapped as one, so /metrics keeps its auth filter and its place in the OpenAPI document.
        var exporter = app.CreateApplicationBuilder().UseOpenTelemetryPrometheusScrapingEndpoint(_ => true).Build();
        app.MapGet("/metrics", (HttpContext http, OperationsMetrics metrics, CancellationToken ct) => MetricsAsync(http, metrics, exporter, ct)).AddEndpointFilter<MetricsAuth>().WithTags("Operations")
            .WithName("GetMetrics").Produces<string>(StatusCodes.Status200OK, "text/plain").ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithSummary($"Prometheus text: queue depth, submissions, verdicts, verdict latency, graders, request durations, runtime. Needs an admin's key ({StaffAuth.Header}) or {MetricsOptions.TokenVariable} as 'Authorization: Bearer'.");
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

    /// <summary>
    /// The Prometheus text of every meter the API exports (docs/operations.md): BugHunt's own, read from
    /// a snapshot at most <see cref="OperationsMetrics.RefreshInterval"/> old, ASP.NET Core's request
    /// durations and the runtime's. The exporter writes the response.
    /// </summary>
    private static async Task MetricsAsync(HttpContext http, OperationsMetrics metrics, RequestDelegate exporter, CancellationToken ct)
    {
        await metrics.RefreshIfStaleAsync(ct);
        await exporter(http);
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
