using BugHunt.Core.Sessions;

namespace BugHunt.Api.Sessions;

/// <summary>Resolves the candidate's session from "Authorization: Bearer &lt;session token&gt;".</summary>
internal sealed class SessionAuth(SessionStore sessions) : IEndpointFilter
{
    public const string Scheme = "SessionToken";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        await SignInAsync(context.HttpContext, sessions) ?? await next(context);

    /// <summary>Signs the request in with its bearer session token; the refusal when it has none or a bad one.</summary>
    public static async Task<IResult?> SignInAsync(HttpContext http, SessionStore sessions)
    {
        var token = BearerToken(http);
        if (token is null)
        {
            return Unauthorized(http, "Send the session token from opening your invite as 'Authorization: Bearer <token>'.");
        }
        var session = await sessions.FindByTokenAsync(token, http.RequestAborted);
        if (session is null)
        {
            return Unauthorized(http, "The session token is not valid.");
        }
        http.Items[typeof(Session)] = session;
        return null;
    }

    public static string? BearerToken(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) && header.Length > 7 ? header[7..].Trim() : null;
    }

    /// <summary>401 with the scheme to use (RFC 9110 asks for WWW-Authenticate with every 401).</summary>
    public static IResult Unauthorized(HttpContext http, string detail)
    {
        http.Response.Headers.WWWAuthenticate = "Bearer realm=\"BugHunt session\"";
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Not signed in");
    }
}

internal static class SessionHttpExtensions
{
    public static Session Session(this HttpContext http) =>
        http.Items[typeof(Session)] as Session ?? throw new InvalidOperationException("SessionAuth did not run for this endpoint.");
}
