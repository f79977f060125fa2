using System.Security.Cryptography;
using System.Text;
using BugHunt.Api.Sessions;
using BugHunt.Core.Sessions;

namespace BugHunt.Api.Admin;

/// <summary>
/// Admin endpoints take the admin key as "X-Api-Key" (or "Authorization: Bearer &lt;key&gt;"). A
/// candidate's session token is recognised and refused with 403; no key, or a wrong one, is 401.
/// </summary>
internal sealed class AdminAuth(AdminOptions options, SessionStore sessions) : IEndpointFilter
{
    public const string Header = "X-Api-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = PresentedKey(http);
        if (Matches(key, options.Key))
        {
            return await next(context);
        }
        if (key.Length > 0 && await sessions.FindByTokenAsync(key, http.RequestAborted) is not null)
        {
            return TypedResults.Problem("Candidate session tokens cannot use the admin API.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
        }
        return key.Length == 0
            ? TypedResults.Problem($"Send the admin key in the {Header} header.", statusCode: StatusCodes.Status401Unauthorized, title: "Admin key required")
            : TypedResults.Problem("That is not this installation's admin key.", statusCode: StatusCodes.Status401Unauthorized, title: "Admin key not accepted");
    }

    /// <summary>The key sent as X-Api-Key, or else as a bearer token; empty when there is none.</summary>
    public static string PresentedKey(HttpContext http) =>
        http.Request.Headers[Header].ToString() is { Length: > 0 } key ? key : SessionAuth.BearerToken(http) ?? "";

    /// <summary>Compares in constant time, so the response time does not tell how much of a key was right.</summary>
    public static bool Matches(string presented, string? secret) =>
        presented.Length > 0 && secret is { Length: > 0 } && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(secret));
}

public sealed class AdminOptions
{
    /// <summary>Configuration key (environment variable) holding the admin API key.</summary>
    public const string KeyVariable = "BUGHUNT_ADMIN_KEY";

    public required string Key { get; init; }
}
