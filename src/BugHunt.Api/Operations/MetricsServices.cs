using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace BugHunt.Api.Operations;

public static class MetricsServices
{
    /// <summary>
    /// The meters /metrics exports through OpenTelemetry's Prometheus exporter: BugHunt's own
    /// (<see cref="OperationsMetrics"/>), ASP.NET Core's (request durations, connections) and the runtime's.
    /// </summary>
    public static void AddOperationsMetrics(this IServiceCollection services)
    {
        services.AddSingleton<OperationsMetrics>();
        services.AddOpenTelemetry().ConfigureResource(r => r.AddService("bughunt-api")).WithMetrics(m => m
            .AddMeter(OperationsMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter(o =>
            {
                // Every scrape collects anew: BugHunt's gauges already cache what costs a database read.
                o.ScrapeResponseCacheDurationMilliseconds = 0;
                // Names are unique across meters, so series need no otel_scope_name label.
                o.ScopeInfoEnabled = false;
            }));
        services.ConfigureOpenTelemetryMeterProvider((sp, b) =>
        {
            // A listener hears every meter of that name in the process. Two APIs in one process (the
            // tests start several) would mix each other's queue and request figures, so the meters
            // another app's factory created are dropped.
            var own = sp.GetRequiredService<IMeterFactory>();
            b.AddView(i => i.Meter.Scope is IMeterFactory factory && factory != own ? MetricStreamConfiguration.Drop : null);
        });
    }
}
