using BugHunt.Api.Admin;
using BugHunt.Api.Levels;
using BugHunt.Api.Sessions;
using BugHunt.Api.Submissions;
using BugHunt.Core.Assessments;
using BugHunt.Core.Database;
using BugHunt.Core.Packs;
using BugHunt.Core.Sessions;
using BugHunt.Core.Submissions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;

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
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "api-docs";
            o.SwaggerEndpoint("/openapi/v1.json", "BugHunt API");
            o.DocumentTitle = "BugHunt API reference";
        });
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" })).WithTags("Operations");
        app.MapSessions();
        app.MapLevels();
        app.MapSubmissions();
        app.MapAdmin();
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
        services.TryAddSingleton(new SubmissionRules());
        services.AddSingleton<ChallengeStore>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<SubmissionStore>();
        services.AddSingleton<AssessmentStore>();
        services.AddSingleton<LevelContext>();
        services.AddSingleton<ReportBuilder>();
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
        services.AddExceptionHandler<ClientErrorHandler>();
    }
}

/// <summary>
/// Turns malformed requests (bad JSON, oversized bodies) into ProblemDetails a person can act on;
/// anything else is a server fault and stays a 500 without internals.
/// </summary>
internal sealed class ClientErrorHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }
        var status = bad.StatusCode;
        var detail = status == StatusCodes.Status413PayloadTooLarge
            ? $"The request body is larger than {BugHuntApi.MaxRequestBytes / 1024} KiB."
            : bad.InnerException is System.Text.Json.JsonException json
                ? $"The request body is not valid JSON: {json.Message}"
                : bad.Message;
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Title = status == 413 ? "Request too large" : "Malformed request", Detail = detail },
        });
    }
}
