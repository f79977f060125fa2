using BugHunt.Api.Admin;
using BugHunt.Api.Integrity;
using BugHunt.Api.Levels;
using BugHunt.Api.Operations;
using BugHunt.Api.Pages;
using BugHunt.Core.Operations;
using BugHunt.Api.Sessions;
using BugHunt.Api.Submissions;
using BugHunt.Core.Assessments;
using BugHunt.Core.Database;
using BugHunt.Core.Integrity;
using BugHunt.Core.Packs;
using BugHunt.Core.Sessions;
using BugHunt.Core.Submissions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace BugHunt.Api.Hosting;

/// <summary>Builds the web API. The API process never talks to Docker: grading happens in graders.</summary>
public static class BugHuntApi
{
    public const long MaxRequestBytes = 1024 * 1024;

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxRequestBytes);
        builder.Services.AddApplicationServices(builder.Configuration);

        var app = builder.Build();
        app.UseNoSniff();
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "api-docs";
            o.SwaggerEndpoint("/openapi/v1.json", "BugHunt API");
            o.DocumentTitle = "BugHunt API reference";
        });
        app.MapOperations();
        app.MapSessions();
        app.MapLevels();
        app.MapSubmissions();
        app.MapIntegrity();
        app.MapAdmin();
        app.MapPages();
        return app;
    }

    private static void AddApplicationServices(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration[BugHuntDatabase.ConnectionStringVariable]
            ?? throw new InvalidOperationException($"Set {BugHuntDatabase.ConnectionStringVariable} to a PostgreSQL connection string.");
        services.AddSingleton(BugHuntDatabase.Open(connectionString));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new AdminOptions
        {
            Key = configuration[AdminOptions.KeyVariable] is { Length: >= 16 } key
                ? key
                : throw new InvalidOperationException($"Set {AdminOptions.KeyVariable} to an admin API key of at least 16 characters."),
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
        services.AddSingleton<ChallengeStore>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<SubmissionStore>();
        services.AddSingleton<AssessmentStore>();
        services.AddSingleton<LevelContext>();
        services.AddSingleton<FixComparer>();
        services.AddSingleton<ReportBuilder>();
        services.AddSingleton<OperationsStore>();
        services.AddSingleton<IntegrityStore>();
        services.AddOpenApi(o => o.AddDocumentTransformer<SecuritySchemes>());
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = BugHuntDatabase.Json.PropertyNamingPolicy;
            o.SerializerOptions.NumberHandling = BugHuntDatabase.Json.NumberHandling;
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

    /// <summary>
    /// Every response, API JSON, problems, snapshots and pages alike, is read by browsers only as the
    /// type it declares: a snapshot or a candidate's text is never sniffed into HTML or script. The
    /// header is set when the response starts, so the exception handler clearing headers cannot drop it.
    /// </summary>
    private static void UseNoSniff(this WebApplication app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            context.Response.Headers.XContentTypeOptions = "nosniff";
            return Task.CompletedTask;
        });
        return next(context);
    });
}

/// <summary>
/// Turns malformed requests (bad JSON, oversized bodies) into ProblemDetails a person can act on,
/// and an unreachable database into 503 with Retry-After (a transaction that failed stored
/// nothing). Anything else is a server fault and stays a 500 without internals.
/// </summary>
internal sealed class ErrorHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public static bool IsDatabaseDown(Exception e) =>
        e is NpgsqlException { IsTransient: true } or NpgsqlException { InnerException: System.Net.Sockets.SocketException or IOException or TimeoutException }
        || (e is InvalidOperationException && e.InnerException is NpgsqlException)
        || e is PostgresException { SqlState: "57P01" or "57P02" or "57P03" };

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            _ when IsDatabaseDown(exception) => (503, "Temporarily unavailable",
                $"The database cannot be reached right now; nothing was stored. Try again in {RetryAfterSeconds} seconds."),
            BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge => (413, "Request too large",
                $"The request body is larger than {BugHuntApi.MaxRequestBytes / 1024} KiB."),
            // A value of the wrong type: the reader's own message names a CLR type, so name the field instead.
            BadHttpRequestException { InnerException: System.Text.Json.JsonException { InnerException: InvalidOperationException or FormatException } json } bad =>
                (bad.StatusCode, "Malformed request", $"{Field(json.Path)} has a value of the wrong type. Numbers must be finite JSON numbers such as 72: "
                    + "\"NaN\", \"Infinity\", numbers in quotes and numbers too large to represent (1e999) are not accepted."),
            BadHttpRequestException { InnerException: System.Text.Json.JsonException json } bad => (bad.StatusCode, "Malformed request",
                $"The request body is not valid JSON: {json.Message}"),
            BadHttpRequestException bad => (bad.StatusCode, "Malformed request", bad.Message),
            _ => (0, "", ""),
        };
        if (status == 0)
        {
            return false;
        }
        if (status == 503)
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    private static string Field(string? path) => path is { Length: > 2 } && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "The request body";
}
