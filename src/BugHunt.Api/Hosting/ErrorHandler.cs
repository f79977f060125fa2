using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace BugHunt.Api.Hosting;

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
                $"The request body is larger than {ApplicationServices.MaxRequestBytes / 1024} KiB."),
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
