using BugHunt.Api.Admin;
using BugHunt.Api.Integrity;
using BugHunt.Api.Levels;
using BugHunt.Api.Operations;
using BugHunt.Api.Sessions;
using BugHunt.Api.Submissions;
using BugHunt.Api.Webhooks;
using BugHunt.Core.Assessments;
using BugHunt.Core.Authoring;
using BugHunt.Core.Database;
using BugHunt.Core.Integrity;
using BugHunt.Core.Notebooks;
using BugHunt.Core.Operations;
using BugHunt.Core.Packs;
using BugHunt.Core.Sessions;
using BugHunt.Core.Staff;
using BugHunt.Core.Submissions;
using BugHunt.Core.Webhooks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BugHunt.Api.Hosting;

/// <summary>What the API is composed from: its stores, options bound once from configuration, JSON and problem details.</summary>
public static class ApplicationServices
{
    public const long MaxRequestBytes = 1024 * 1024;

    /// <summary>
    /// Registers the API's services. Tests register their clock, submission rules and snapshot limits
    /// before this runs; those are added here only when absent.
    /// </summary>
    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxRequestBytes);
        // The hosting log writes each request's whole URL, query included, and a browser's stream
        // ticket travels in the query (an EventSource cannot send headers): no URL reaches the logs.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        var services = builder.Services;
        var configuration = builder.Configuration;
        var connectionString = configuration[BugHuntDatabase.ConnectionStringVariable]
            ?? throw new InvalidOperationException($"Set {BugHuntDatabase.ConnectionStringVariable} to a PostgreSQL connection string.");
        services.AddSingleton(BugHuntDatabase.Open(connectionString));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new AdminOptions
        {
            Key = configuration[AdminOptions.KeyVariable] is { Length: >= 16 } key
                ? key
                : throw new InvalidOperationException($"Set {AdminOptions.KeyVariable} to a bootstrap admin key of at least 16 characters."),
        });
        services.AddSingleton(new MetricsOptions
        {
            Token = configuration[MetricsOptions.TokenVariable] switch
            {
                null or "" => null,
                { Length: >= 16 } token => token,
                _ => throw new InvalidOperationException($"{MetricsOptions.TokenVariable} must be at least 16 characters, or unset (then /metrics takes the admin key only)."),
            },
        });
        services.TryAddSingleton(new SubmissionRules());
        services.TryAddSingleton(new SnapshotLimits());
        services.TryAddSingleton(new SubmissionStreamOptions());
        services.AddSingleton<StreamTickets>();
        services.AddSingleton<ChallengeStore>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<SubmissionStore>();
        services.AddSingleton<SubmissionSignals>();
        services.AddHostedService(sp => sp.GetRequiredService<SubmissionSignals>());
        services.AddSingleton<AssessmentStore>();
        services.AddSingleton<PackValidationStore>();
        services.AddSingleton<PackCatalog>();
        services.AddSingleton<RejudgeStore>();
        services.AddSingleton<NotebookStore>();
        services.AddSingleton<CatalogueStore>();
        services.AddSingleton<LevelContext>();
        services.AddSingleton<FixComparer>();
        services.AddSingleton<ReportBuilder>();
        services.AddSingleton<OperationsStore>();
        services.AddOperationsMetrics();
        services.AddSingleton<IntegrityStore>();
        services.AddSingleton(SnapshotRetentionOptions.From(configuration));
        services.AddSingleton<SnapshotRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<SnapshotRetention>());
        services.AddSingleton<AuditLog>();
        services.AddSingleton<StaffStore>();
        services.AddSingleton<StaffKeys>();
        services.AddSingleton(WebhookOptions.From(configuration));
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<WebhookQueue>();
        services.AddSingleton<WebhookSweep>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        services.AddOpenApi(o => o
            .AddDocumentTransformer<DocumentDescription>()
            .AddOperationTransformer<StaffRolesDescription>()
            .AddOperationTransformer<OperationContract>()
            .AddSchemaTransformer<NumberSchemas>()
            .AddSchemaTransformer<LooseSchemas>());
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = BugHuntDatabase.Json.PropertyNamingPolicy;
            // Responses carry numbers as JSON numbers; only diagnostics of a candidate's output declare NaN and ±Infinity.
            o.SerializerOptions.NumberHandling = NumberSchemas.Default;
            foreach (var converter in BugHuntDatabase.Json.Converters)
            {
                o.SerializerOptions.Converters.Add(converter);
            }
        });
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            // Kestrel can refuse an oversized body before any endpoint runs: say what the limit is.
            if (c.ProblemDetails.Status == StatusCodes.Status413PayloadTooLarge)
            {
                c.ProblemDetails.Detail ??= $"The request body is larger than {MaxRequestBytes / 1024} KiB.";
            }
        });
        services.AddExceptionHandler<ErrorHandler>();
    }
}
