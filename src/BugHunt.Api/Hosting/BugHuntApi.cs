using BugHunt.Api.Sessions;
using BugHunt.Api.Submissions;
using BugHunt.Core.Database;
using BugHunt.Core.Packs;
using BugHunt.Core.Sessions;
using BugHunt.Core.Submissions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;

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

        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" }));
        app.MapSessions();
        app.MapSubmissions();
        return app;
    }

    private static void AddApplicationServices(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration[BugHuntDatabase.ConnectionStringVariable]
            ?? throw new InvalidOperationException($"Set {BugHuntDatabase.ConnectionStringVariable} to a PostgreSQL connection string.");
        services.AddSingleton(BugHuntDatabase.Open(connectionString));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ChallengeStore>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<SubmissionStore>();
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
        services.AddProblemDetails();
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
