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
        var key = http.Request.Headers[Header].ToString();
        if (key.Length == 0)
        {
            key = SessionAuth.BearerToken(http) ?? "";
        }
        if (key.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(options.Key)))
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
}

public sealed class AdminOptions
{
    /// <summary>Configuration key (environment variable) holding the admin API key.</summary>
    public const string KeyVariable = "BUGHUNT_ADMIN_KEY";

    public required string Key { get; init; }
}
